"""Fixtures of the API tests: two complete worlds and clients that sign in with a token."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from leitwerk.api.services import api_token_create
from leitwerk.testing.routes import CANARY, OWN_TAG
from leitwerk.testing.world import build_world


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Throttle counters live in the cache; every test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def worlds(musterstadt, other_town):
    return build_world(musterstadt, OWN_TAG), build_world(other_town, CANARY)


@pytest.fixture
def token_client():
    """`token_client(user, municipality)`: an APIClient sending that person's new token."""

    def make(user, municipality) -> APIClient:
        _token, raw = api_token_create(user=user, municipality=municipality, name="Test")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return make
