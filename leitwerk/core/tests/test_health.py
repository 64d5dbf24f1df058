"""Liveness and readiness endpoints (catalogue I9)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _database_down():
    return mock.patch.object(
        connections["default"], "cursor", side_effect=OperationalError("connection refused")
    )


def test_readyz_answers_ok_and_is_never_cached(client, musterstadt):
    """Catalogue row I9."""
    response = client.get(reverse("core:readyz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert "Musterstadt" not in response.content.decode()


def test_readyz_answers_503_without_details_when_the_database_is_down(client):
    """Catalogue row I9."""
    with _database_down():
        response = client.get(reverse("core:readyz"))
    assert response.status_code == 503
    body = response.content.decode()
    assert body == "nicht bereit"
    assert "refused" not in body and "Operational" not in body
    assert "no-store" in response["Cache-Control"]


def test_readyz_answers_503_when_a_configured_cache_is_down(client):
    """Catalogue row I9."""
    # A Redis nobody listens on: the cache is configured and every call to it fails, as in
    # production when Redis is down (the sessions use the same cache, lazily).
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=broken):
        response = client.get(reverse("core:readyz"))
    assert response.status_code == 503
    assert response.content == b"nicht bereit"


def test_readyz_checks_a_working_cache(client, tmp_path):
    """Catalogue row I9."""
    working = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    with override_settings(CACHES=working):
        assert client.get(reverse("core:readyz")).status_code == 200


def test_healthz_is_liveness_only_and_needs_no_database(client):
    """Catalogue row I9."""
    with _database_down():
        response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
