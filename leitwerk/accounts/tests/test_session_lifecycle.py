"""B4: session lifecycle – new key at sign-in, logout ends it, idle and absolute limits."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from leitwerk.accounts.tests.factories import DEFAULT_PASSWORD
from leitwerk.accounts.tests.signin import password_step, signed_in

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def test_sign_in_changes_the_session_key(viewer, client):
    """Catalogue row B4."""
    client.session.save()  # an anonymous session exists before (e.g. language, messages)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    password_step(client, viewer.email)
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before and signed_in(client)


def test_logout_ends_the_session_on_the_server(viewer, client, client_factory):
    """Catalogue row B4."""
    password_step(client, viewer.email)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("accounts:logout"))
    replay = client_factory()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    response = replay.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def test_without_activity_the_sign_in_ends_after_eight_hours(viewer, client):
    """Catalogue row B4."""
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    with time_machine.travel(T0, tick=False) as traveller:
        password_step(client, viewer.email)
        traveller.move_to(T0 + dt.timedelta(hours=8, minutes=1))
        assert not signed_in(client)


def test_absolute_lifetime_ends_even_an_extended_sign_in(viewer, client):
    """Catalogue row B4."""
    assert settings.LEITWERK_SESSION_ABSOLUTE_SECONDS == 24 * 3600
    with time_machine.travel(T0, tick=False) as traveller:
        password_step(client, viewer.email)
        for hours in (7, 14, 21):
            traveller.move_to(T0 + dt.timedelta(hours=hours))
            client.post(reverse("accounts:session_extend"), {"next": "/"})
            assert signed_in(client), f"still signed in after {hours} h"
        traveller.move_to(T0 + dt.timedelta(hours=24, minutes=1))
        response = client.get(reverse("accounts:account"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert "_auth_user_id" not in client.session


def test_deactivating_a_person_ends_their_sessions(viewer, client):
    """Catalogue row B4."""
    password_step(client, viewer.email)
    viewer.is_active = False
    viewer.save()
    assert not signed_in(client)


def test_password_change_ends_the_other_sessions_and_keeps_this_one(viewer, client, client_factory):
    """Catalogue row B4."""
    laptop, phone = client, client_factory()
    password_step(laptop, viewer.email)
    password_step(phone, viewer.email)
    html = laptop.get(reverse("accounts:password_change")).content.decode()
    assert "auf allen anderen Geräten abgemeldet" in html
    response = laptop.post(
        reverse("accounts:password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "Neues-Passwort-fuer-2027",
            "new_password2": "Neues-Passwort-fuer-2027",
        },
    )
    assert response["Location"] == reverse("accounts:account")
    assert signed_in(laptop)
    assert not signed_in(phone)
