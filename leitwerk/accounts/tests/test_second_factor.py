"""B5: a second factor (TOTP app + backup codes) for municipality admins, staff and superusers."""

from __future__ import annotations

import time

import pytest
import time_machine
from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.urls import reverse

from leitwerk.accounts.tests.signin import (
    app_for,
    code,
    password_step,
    signed_in,
)
from leitwerk.core.models import AuditLogEntry
from leitwerk.municipalities.models import Role
from leitwerk.municipalities.tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("enforce")]

PRIVILEGED = ["admin_user", "superuser", "staff_user"]
NOW = 1_780_000_005.0  # 5 s into a 30-s window


@pytest.mark.parametrize("who", PRIVILEGED)
def test_privileged_without_app_must_enrol_and_is_not_signed_in_yet(who, request, client):
    """Catalogue row B5."""
    user = request.getfixturevalue(who)
    response = password_step(client, user.email)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:2fa_enroll")
    assert "_auth_user_id" not in client.session
    assert not signed_in(client)


@pytest.mark.parametrize("who", PRIVILEGED)
def test_privileged_with_app_is_asked_for_the_code(who, request, client):
    """Catalogue row B5."""
    user = request.getfixturevalue(who)
    app_for(user)
    response = password_step(client, user.email)
    assert response["Location"] == reverse("accounts:2fa_verify")
    assert not signed_in(client)
    html = client.get(reverse("accounts:2fa_verify")).content.decode()
    assert "Code eingeben" in html and 'autocomplete="one-time-code"' in html


@pytest.mark.parametrize("who", ["viewer", "strategy_user", "unit_editor", "council_member"])
def test_other_roles_sign_in_with_the_password_alone(who, request, client):
    """Catalogue row B5."""
    user = request.getfixturevalue(who)
    response = password_step(client, user.email)
    assert response["Location"] == reverse("home")
    assert signed_in(client)


def test_other_roles_who_set_up_an_app_are_asked_for_it(viewer, client):
    """Catalogue row B5."""
    app_for(viewer)
    assert password_step(client, viewer.email)["Location"] == reverse("accounts:2fa_verify")
    assert not signed_in(client)


def test_right_code_signs_in_with_a_new_session_key_and_is_audited(admin_user, client):
    """Catalogue row B5."""
    device = app_for(admin_user)
    with time_machine.travel(NOW, tick=False):
        password_step(client, admin_user.email)
        before = client.session.session_key
        response = client.post(reverse("accounts:2fa_verify"), {"code": code(device)})
        assert response.status_code == 302 and response["Location"] == reverse("home")
        assert client.session.session_key != before
        request = type("R", (), {"session": client.session})()
        methods = [r["method"] for r in get_authentication_records(request, admin_user)]
        assert methods == ["password", "mfa"]
        assert signed_in(client)
    entry = AuditLogEntry.objects.get(action="accounts.login")
    assert entry.actor == admin_user and entry.data == {"method": "password", "second_factor": True}


def test_wrong_code_is_refused_in_german(admin_user, client):
    """Catalogue row B5."""
    app_for(admin_user)
    password_step(client, admin_user.email)
    response = client.post(reverse("accounts:2fa_verify"), {"code": "000000"})
    assert response.status_code == 200
    assert "Der Code stimmt nicht oder wurde schon benutzt" in response.content.decode()
    assert not signed_in(client)
    assert AuditLogEntry.objects.filter(action="accounts.2fa_failed").exists()


def test_a_code_works_only_once(admin_user, client, client_factory):
    """Catalogue row B5."""
    device = app_for(admin_user)
    with time_machine.travel(NOW, tick=False):
        used = code(device)
        password_step(client, admin_user.email)
        client.post(reverse("accounts:2fa_verify"), {"code": used})
        assert signed_in(client)
        # An attacker who watched the code and knows the password, seconds later:
        other = client_factory()
        password_step(other, admin_user.email)
        response = other.post(reverse("accounts:2fa_verify"), {"code": used})
        assert "wurde schon benutzt" in response.content.decode()
        assert not signed_in(other)


def test_code_older_than_one_step_is_refused(admin_user, client):
    """Catalogue row B5."""
    device = app_for(admin_user)
    old = code(device, NOW - 61)  # two windows back
    with time_machine.travel(NOW, tick=False):
        password_step(client, admin_user.email)
        client.post(reverse("accounts:2fa_verify"), {"code": old})
        assert not signed_in(client)


@pytest.mark.parametrize(("tolerance", "accepted"), [(0, False), (1, True)])
def test_code_of_the_previous_30_seconds_follows_the_tolerance(
    admin_user, client, tolerance, accepted, settings
):
    """Catalogue row B5."""
    # LEITWERK_TOTP_TOLERANCE=0: only the current window; default 1: one step of clock drift.
    settings.MFA_TOTP_TOLERANCE = tolerance
    device = app_for(admin_user)
    previous = code(device, NOW - 30)
    with time_machine.travel(NOW, tick=False):
        password_step(client, admin_user.email)
        client.post(reverse("accounts:2fa_verify"), {"code": previous})
        assert signed_in(client) is accepted


def test_the_password_step_expires_after_five_minutes(admin_user, client):
    """Catalogue row B5."""
    device = app_for(admin_user)
    with time_machine.travel(NOW, tick=False) as traveller:
        password_step(client, admin_user.email)
        traveller.shift(301)
        response = client.post(reverse("accounts:2fa_verify"), {"code": code(device)})
        assert response["Location"] == reverse("accounts:login")
        assert not signed_in(client)


def test_the_code_step_without_a_password_step_leads_to_the_login(client):
    """Catalogue row B5."""
    assert client.get(reverse("accounts:2fa_verify"))["Location"] == reverse("accounts:login")
    assert client.get(reverse("accounts:2fa_enroll"))["Location"] == reverse("accounts:login")


def test_password_alone_cannot_replace_an_existing_app(admin_user, client):
    """Catalogue row B5."""
    app_for(admin_user)
    password_step(client, admin_user.email)
    response = client.get(reverse("accounts:2fa_enroll"))
    assert response["Location"] == reverse("accounts:2fa_verify")
    assert Authenticator.objects.filter(user=admin_user).count() == 1


def test_enrolment_shows_qr_and_secret_and_backup_codes_once(admin_user, client):
    """Catalogue row B5."""
    with time_machine.travel(NOW, tick=False) as traveller:
        password_step(client, admin_user.email)
        html = client.get(reverse("accounts:2fa_enroll")).content.decode()
        device = client.session[SECRET_SESSION_KEY]  # the new app's secret, not yet saved
        assert not Authenticator.objects.filter(user=admin_user).exists()
        assert "<svg" in html and "<title>QR-Code zum Einrichten der App</title>" in html
        assert "<script" not in html.split("<main", 1)[1]  # no inline script (CSP)
        assert twofactor_secret(device) in html, "secret as text for people who cannot scan"
        wrong = client.post(reverse("accounts:2fa_enroll"), {"code": "123456"})
        assert "Der Code stimmt nicht" in wrong.content.decode() and not signed_in(client)
        traveller.shift(2)
        response = client.post(reverse("accounts:2fa_enroll"), {"code": code(device)})
        assert response["Location"] == reverse("accounts:2fa_backup_codes")
        app = Authenticator.objects.get(user=admin_user, type=Authenticator.Type.TOTP)
        assert app.data["secret"] == device
        page = client.get(reverse("accounts:2fa_backup_codes")).content.decode()
        tokens = RecoveryCodes(
            Authenticator.objects.get(user=admin_user, type=Authenticator.Type.RECOVERY_CODES)
        ).get_unused_codes()
        assert len(tokens) == 10 and all(t in page for t in tokens)
        again = client.get(reverse("accounts:2fa_backup_codes")).content.decode()
        assert not any(t in again for t in tokens) and "bereits angezeigt" in again
        assert signed_in(client)
        assert AuditLogEntry.objects.filter(
            action="accounts.2fa_enrolled", actor=admin_user
        ).exists()


def twofactor_secret(secret: str) -> str:
    from leitwerk.accounts.mfa import totp_secret_grouped

    return totp_secret_grouped(secret)


def test_a_backup_code_works_once(admin_user, client, client_factory):
    """Catalogue row B5."""
    app_for(admin_user)
    from leitwerk.accounts.mfa import recovery_codes_renew

    backup = recovery_codes_renew(user=admin_user)[0]
    password_step(client, admin_user.email)
    client.post(reverse("accounts:2fa_verify"), {"code": backup.upper()})
    assert signed_in(client)
    other = client_factory()
    password_step(other, admin_user.email)
    other.post(reverse("accounts:2fa_verify"), {"code": backup})
    assert not signed_in(other)


# ------------------------------------------------------------ sessions made another way


@pytest.mark.parametrize("who", PRIVILEGED)
def test_admin_area_and_pages_are_closed_to_an_unverified_admin_session(who, request, client):
    """Catalogue row B5."""
    user = request.getfixturevalue(who)
    app_for(user)
    client.force_login(user)  # e.g. a session from before 2FA became mandatory
    for url in (reverse("admin:index"), reverse("home"), reverse("accounts:account")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse(
            "accounts:2fa_verify"
        ), url


def test_admin_area_opens_after_the_code(superuser, client):
    """Catalogue row B5."""
    device = app_for(superuser)
    client.force_login(superuser)
    with time_machine.travel(NOW, tick=False):
        client.get(reverse("admin:index"))
        response = client.post(reverse("accounts:2fa_verify"), {"code": code(device)})
        assert response["Location"] == reverse("admin:index")
        assert client.get(reverse("admin:index")).status_code == 200


def test_admin_login_page_is_leitwerks_sign_in(client):
    """Catalogue row B5."""
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_becoming_admin_during_a_password_session_asks_for_the_app(viewer, musterstadt, client):
    """Catalogue row B5."""
    password_step(client, viewer.email)
    assert signed_in(client)
    MembershipFactory(user=viewer, municipality=musterstadt, role=Role.ADMIN)
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("accounts:2fa_enroll")


def test_without_enforcement_force_login_sessions_stay_usable(superuser, client, settings):
    # What the rest of the test suite relies on (config/settings/test.py).
    """Catalogue row B5."""
    settings.LEITWERK_2FA_ENFORCE_ALL_SESSIONS = False
    app_for(superuser)
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code == 200


def test_production_settings_enforce_every_session():
    """Catalogue row B5."""
    import config.settings.base as base

    assert base.LEITWERK_2FA_ENFORCE_ALL_SESSIONS is True


def test_demo_admin_signs_in_with_the_code_from_logins_md(client):
    """Catalogue row B5."""
    from leitwerk.accounts.tests.factories import UserFactory
    from leitwerk.devdata.demo import DEMO_PASSWORD, _demo_totp
    from leitwerk.devdata.totp import current_code

    user = UserFactory(email="superuser@leitwerk.example", is_staff=True, is_superuser=True)
    user.set_password(DEMO_PASSWORD)
    user.save()
    _demo_totp(user)
    with time_machine.travel(NOW, tick=False):
        password_step(client, user.email, DEMO_PASSWORD)
        client.post(reverse("accounts:2fa_verify"), {"code": current_code(time.time())})
        assert client.get(reverse("admin:index")).status_code == 200


def test_wrong_codes_count_towards_the_lockout_of_the_address(admin_user, client):
    # allauth.mfa reports each wrong code; django-axes counts it like a wrong password (B3).
    device = app_for(admin_user)
    with time_machine.travel(NOW, tick=False):
        password_step(client, admin_user.email)
        answers = [
            client.post(reverse("accounts:2fa_verify"), {"code": "000000"}).status_code
            for _ in range(10)
        ]
        assert answers == [200] * 9 + [429]
        # Locked: neither the right code nor the password helps until the cool-off ends.
        assert (
            client.post(reverse("accounts:2fa_verify"), {"code": code(device)}).status_code == 429
        )
        assert password_step(client, admin_user.email).status_code == 429
        assert not signed_in(client)
