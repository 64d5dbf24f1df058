"""Fixtures of the sign-in tests (catalogue B2-B8); none is autouse."""

from __future__ import annotations

import pytest

from leitwerk.accounts.tests.factories import SuperUserFactory, UserFactory


@pytest.fixture
def enforce(settings):
    """Production behaviour: every session of an admin needs the code (test.py turns it off)."""
    settings.LEITWERK_2FA_ENFORCE_ALL_SESSIONS = True
    return settings


@pytest.fixture
def superuser(db):
    return SuperUserFactory(email="super@leitwerk.test")


@pytest.fixture
def staff_user(db):
    return UserFactory(email="staff@leitwerk.test", is_staff=True)


@pytest.fixture
def client_factory():
    """A second browser: `client_factory()` → a fresh, signed-out test client."""
    from django.test import Client

    return Client
