"""Rate limits per scope (`anon`, `user`), read from the settings on every request.

DRF's own classes copy the rates when they are imported; these read them when a request
arrives, so `LEITWERK_API_RATE_*` and tests' settings overrides take effect. Counters live in
Django's cache (per process with the default local-memory cache; use a shared cache such as
Redis or the database cache when several web processes run).
"""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.settings import api_settings


class _SettingsRate:
    scope: str

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_SettingsRate, throttling.AnonRateThrottle):
    pass


class UserThrottle(_SettingsRate, throttling.UserRateThrottle):
    pass
