"""Copy django-otp's apps (TOTPDevice) and backup codes (StaticToken) into allauth.mfa (issue 16).

People enrolled before the switch keep their app and their unused backup codes:

- a confirmed TOTPDevice becomes an `Authenticator` of type "totp" whose data is
  {"secret": base32 of the device's key} (allauth.mfa.totp.internal.auth.TOTP.activate writes
  the same; MFAAdapter.encrypt is the identity), plus "last_counter" = the device's last_t, so
  the code used last before the switch still does not work again (mfa.totp_use_counter);
- the unused StaticTokens become an `Authenticator` of type "recovery_codes" with
  {"seed": <fresh seed>, "used_mask": 0, "migrated_codes": [the tokens]}: allauth's
  RecoveryCodes checks "migrated_codes" first and removes a code once it is used.

allauth computes codes with 30-second steps, 6 digits and t0 = 0, as django-otp's defaults;
a device with other settings (none is made by Leitwerk) cannot be carried over and is skipped,
and its owner sets up the app again at the next sign-in. The django-otp rows are left in place
(reverse: nothing to undo; the authenticators stay).
"""

from __future__ import annotations

import secrets
from base64 import b32encode
from binascii import unhexlify

from django.db import migrations


def otp_to_mfa(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    Authenticator = apps.get_model("mfa", "Authenticator")

    with_app = set()
    for device in TOTPDevice.objects.filter(confirmed=True).order_by("user_id", "-id"):
        if device.user_id in with_app:
            continue  # Leitwerk kept one app per person; the newest wins
        if (device.step, device.digits, device.t0) != (30, 6, 0):
            continue
        if Authenticator.objects.filter(user_id=device.user_id, type="totp").exists():
            with_app.add(device.user_id)
            continue
        Authenticator.objects.create(
            user_id=device.user_id,
            type="totp",
            data={
                "secret": b32encode(unhexlify(device.key)).decode("ascii"),
                "last_counter": device.last_t,
            },
            created_at=device.created_at or device.last_used_at or _now(),
            last_used_at=device.last_used_at,
        )
        with_app.add(device.user_id)

    for user_id in with_app:
        if Authenticator.objects.filter(user_id=user_id, type="recovery_codes").exists():
            continue
        tokens = list(
            StaticToken.objects.filter(
                device__in=StaticDevice.objects.filter(user_id=user_id, confirmed=True)
            )
            .order_by("id")
            .values_list("token", flat=True)
        )
        Authenticator.objects.create(
            user_id=user_id,
            type="recovery_codes",
            data={
                "seed": secrets.token_hex(40),
                "used_mask": 0,
                "migrated_codes": tokens,
            },
            created_at=_now(),
        )


def _now():
    from django.utils import timezone

    return timezone.now()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_identity_provider"),
        ("mfa", "0003_authenticator_type_uniq"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(otp_to_mfa, migrations.RunPython.noop)]
