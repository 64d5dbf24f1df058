"""Readiness (catalogue I9): can this process serve requests right now?

`/healthz` answers without touching anything (liveness: the process runs). `/readyz` also asks
the database for one trivial row and, if a real cache is configured, writes and reads one key.
Neither says what failed: monitoring needs the status code only, and a public endpoint must not
describe the installation.
"""

from __future__ import annotations

import secrets

import structlog
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections

logger = structlog.get_logger(__name__)

# Backends that keep nothing (or only this process's memory) have nothing that could be down.
_NO_SERVICE = {
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.locmem.LocMemCache",
}


def database_ready() -> bool:
    # The primary only: a read replica that lags or is down is the portal router's concern,
    # and taking every app server out of the load balancer would not bring it back.
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            if cursor.fetchone() != (1,):
                return False
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        logger.error("readiness_failed", component="database", error_type=type(error).__name__)
        return False
    return True


def cache_ready() -> bool:
    from django.conf import settings

    for alias, config in settings.CACHES.items():
        if config.get("BACKEND") in _NO_SERVICE:
            continue
        key = f"leitwerk:readyz:{secrets.token_hex(4)}"
        try:
            cache = caches[alias]
            cache.set(key, "1", timeout=10)
            ok = cache.get(key) == "1"
            cache.delete(key)
        except Exception as error:  # noqa: BLE001
            logger.error("readiness_failed", component="cache", error_type=type(error).__name__)
            return False
        if not ok:
            logger.error("readiness_failed", component="cache", error_type="roundtrip")
            return False
    return True


def ready() -> bool:
    return database_ready() and cache_ready()
