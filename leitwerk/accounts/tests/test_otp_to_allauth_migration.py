"""Issue 16: people who set up an app (django-otp) before the switch keep signing in with it.

accounts.0003 copies django-otp's TOTPDevice and unused StaticTokens into allauth.mfa's
Authenticator rows. Here a person enrolled the old way (rows as django-otp wrote them), the
migration runs for real (MigrationExecutor), and the person signs in with the code their app
computes from the same secret, or with an old backup code.
"""

from __future__ import annotations

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from leitwerk.accounts.tests.signin import password_step, signed_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("enforce")]

BEFORE = [("accounts", "0002_identity_provider")]
AFTER = [("accounts", "0003_otp_devices_to_allauth_mfa")]
NOW = 1_780_000_005.0


def _migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _migrate_to_latest() -> None:
    """Back to the newest accounts migration, so later tests find today's tables."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("accounts"))


def _app_code(device: TOTPDevice, at: float) -> str:
    """What the person's phone shows: django-otp's own TOTP over the device's key."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    totp.time = at
    return f"{totp.token():06d}"


@pytest.fixture
def enrolled_before(admin_user):
    """An admin with an app and backup codes from the django-otp days; the code of the
    previous 30 seconds was the last one used."""
    _migrate(BEFORE)
    Authenticator.objects.filter(user=admin_user).delete()
    device = TOTPDevice.objects.create(user=admin_user, name="Authenticator-App", confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=int(NOW) // 30 - 1)
    TOTPDevice.objects.create(user=admin_user, name="halb", confirmed=False)
    static = StaticDevice.objects.create(user=admin_user, name="Notfall-Codes", confirmed=True)
    StaticToken.objects.bulk_create(
        [StaticToken(device=static, token=t) for t in ("abcd2345", "efgh6789")]
    )
    _migrate(AFTER)
    _migrate_to_latest()
    return admin_user, device


def test_the_app_becomes_an_allauth_authenticator_with_the_same_secret(enrolled_before):
    user, device = enrolled_before
    app = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    from base64 import b32encode

    assert app.data["secret"] == b32encode(device.bin_key).decode()
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert codes.data["migrated_codes"] == ["abcd2345", "efgh6789"]
    assert codes.data["used_mask"] == 0 and len(codes.data["seed"]) == 80


def test_enrolled_before_signs_in_with_a_code_from_the_same_secret(enrolled_before, client):
    user, device = enrolled_before
    with time_machine.travel(NOW, tick=False):
        password_step(client, user.email)
        response = client.post(reverse("accounts:2fa_verify"), {"code": _app_code(device, NOW)})
        assert response["Location"] == reverse("home")
        assert signed_in(client)


def test_the_code_used_last_before_the_switch_stays_used(enrolled_before, client):
    user, device = enrolled_before
    with time_machine.travel(NOW, tick=False):
        password_step(client, user.email)
        client.post(reverse("accounts:2fa_verify"), {"code": _app_code(device, NOW - 30)})
        assert not signed_in(client)


def test_an_old_backup_code_works_once_in_any_case(enrolled_before, client, client_factory):
    user, _ = enrolled_before
    password_step(client, user.email)
    client.post(reverse("accounts:2fa_verify"), {"code": "ABCD-2345"})
    assert signed_in(client)
    other = client_factory()
    password_step(other, user.email)
    other.post(reverse("accounts:2fa_verify"), {"code": "abcd2345"})
    assert not signed_in(other)
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert codes.data["migrated_codes"] == ["efgh6789"]
