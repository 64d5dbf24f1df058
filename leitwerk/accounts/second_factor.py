"""Services of the second factor: app enrolment, backup codes, checking a code (audited)."""

from __future__ import annotations

import re
from base64 import b32encode
from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from leitwerk.core.audit import audit

TOTP_NAME = "Authenticator-App"
BACKUP_NAME = "Notfall-Codes"
BACKUP_CODE_COUNT = 10


def totp_secret_base32(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@transaction.atomic
def totp_enroll_start(*, user: Any) -> TOTPDevice:
    """The not yet confirmed app device shown as QR code; reused until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user,
            name=TOTP_NAME,
            confirmed=False,
            tolerance=getattr(settings, "LEITWERK_TOTP_TOLERANCE", 1),
        )
    return device


def _clean(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


@transaction.atomic
def totp_enroll_confirm(*, user: Any, device: TOTPDevice, code: str) -> list[str] | None:
    """Check the first code; on success the app replaces any earlier one and fresh backup
    codes are made. Returns the backup codes (shown once), or None for a wrong code."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(_clean(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _backup_codes_replace(user=user)
    audit(actor=user, action="accounts.2fa_enrolled", data={"device": device.persistent_id})
    return codes


def _backup_codes_replace(*, user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


@transaction.atomic
def backup_codes_regenerate(*, user: Any) -> list[str]:
    codes = _backup_codes_replace(user=user)
    audit(actor=user, action="accounts.2fa_backup_codes_renewed")
    return codes


def second_factor_check(*, user: Any, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts this code (each code works once), or None."""
    token = _clean(code)
    with transaction.atomic():
        if token.isdigit():
            devices: list[Any] = list(
                TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
            )
        else:
            devices = list(
                StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
            )
        for device in devices:
            if device.verify_token(token):
                audit(
                    actor=user,
                    action="accounts.2fa_ok",
                    data={"kind": "backup_code" if isinstance(device, StaticDevice) else "totp"},
                )
                return device
    audit(actor=None, action="accounts.2fa_failed", data={"user_id": user.pk})
    return None
