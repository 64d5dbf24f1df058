"""B8: essential changes (password, second factor) need the current password again."""

from __future__ import annotations

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.urls import reverse

from leitwerk.accounts.tests.factories import DEFAULT_PASSWORD
from leitwerk.accounts.tests.signin import app_for, code, password_step

pytestmark = pytest.mark.django_db

NOW = 1_780_000_005.0


@pytest.fixture
def signed_in_admin(admin_user, client, enforce):
    """An admin signed in with password and code, as in real life."""
    device = app_for(admin_user)
    with time_machine.travel(NOW, tick=False) as traveller:
        password_step(client, admin_user.email)
        client.post(reverse("accounts:2fa_verify"), {"code": code(device)})
        yield client, traveller


def test_account_page_shows_the_second_factor_state(signed_in_admin):
    """Catalogue row B8."""
    client, _ = signed_in_admin
    html = client.get(reverse("accounts:account")).content.decode()
    assert "Mein Konto" in html and "Eingerichtet" in html
    assert reverse("accounts:password_change") in html
    header = client.get(reverse("home")).content.decode().split("</header>")[0]
    assert f'<a href="{reverse("accounts:account")}">Mein Konto</a>' in header


def test_replacing_the_app_asks_for_the_password_first(signed_in_admin, admin_user):
    """Catalogue row B8."""
    client, _ = signed_in_admin
    response = client.get(reverse("accounts:2fa_enroll"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:reauth"))
    wrong = client.post(
        reverse("accounts:reauth"),
        {"password": "falsches-Passwort-1", "next": reverse("accounts:2fa_enroll")},
    )
    assert "Das Passwort stimmt nicht" in wrong.content.decode()
    assert client.get(reverse("accounts:2fa_enroll")).status_code == 302
    right = client.post(
        reverse("accounts:reauth"),
        {"password": DEFAULT_PASSWORD, "next": reverse("accounts:2fa_enroll")},
    )
    assert right["Location"] == reverse("accounts:2fa_enroll")
    assert client.get(reverse("accounts:2fa_enroll")).status_code == 200
    assert SECRET_SESSION_KEY in client.session  # a new app is being set up


def test_the_password_confirmation_expires_after_five_minutes(signed_in_admin):
    """Catalogue row B8."""
    client, traveller = signed_in_admin
    client.post(reverse("accounts:reauth"), {"password": DEFAULT_PASSWORD, "next": "/"})
    traveller.shift(301)
    assert client.get(reverse("accounts:2fa_enroll"))["Location"].startswith(
        reverse("accounts:reauth")
    )


def test_new_backup_codes_need_the_password(signed_in_admin, admin_user):
    """Catalogue row B8."""
    client, _ = signed_in_admin
    response = client.post(reverse("accounts:2fa_backup_codes_renew"))
    assert response["Location"].startswith(reverse("accounts:reauth"))
    recovery = Authenticator.Type.RECOVERY_CODES
    assert not Authenticator.objects.filter(user=admin_user, type=recovery).exists()
    client.post(reverse("accounts:reauth"), {"password": DEFAULT_PASSWORD, "next": "/"})
    response = client.post(reverse("accounts:2fa_backup_codes_renew"))
    assert response["Location"] == reverse("accounts:2fa_backup_codes")
    codes = Authenticator.objects.get(user=admin_user, type=recovery)
    assert len(RecoveryCodes(codes).get_unused_codes()) == 10


def test_password_change_needs_the_current_password(viewer, client_for):
    """Catalogue row B8."""
    client = client_for(viewer)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "nicht-das-alte-1",
            "new_password1": "Neues-Passwort-fuer-2027",
            "new_password2": "Neues-Passwort-fuer-2027",
        },
    )
    assert response.status_code == 200
    viewer.refresh_from_db()
    assert viewer.check_password(DEFAULT_PASSWORD)


def test_wrong_confirmations_count_towards_the_lockout(viewer, client_for):
    """Catalogue row B8."""
    client = client_for(viewer)
    for _ in range(10):
        client.post(reverse("accounts:reauth"), {"password": "falsches-Passwort-1"})
    response = client.post(reverse("accounts:reauth"), {"password": DEFAULT_PASSWORD})
    assert response.status_code == 429


def test_the_code_of_a_session_check_is_no_password_confirmation(admin_user, client, enforce):
    # A session from before the admin role (force_login) gives the code; replacing the app
    # still needs the password.
    device = app_for(admin_user)
    client.force_login(admin_user)
    with time_machine.travel(NOW, tick=False):
        client.post(reverse("accounts:2fa_verify"), {"code": code(device)})
        assert client.get(reverse("accounts:account")).status_code == 200
        response = client.get(reverse("accounts:2fa_enroll"))
        assert response["Location"].startswith(reverse("accounts:reauth"))
