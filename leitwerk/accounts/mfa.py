"""The second factor on django-allauth's `allauth.mfa` (catalogue B5): Leitwerk's small additions.

allauth keeps the app secret (`Authenticator` of type "totp", base32) and the recovery codes
(type "recovery_codes"), checks codes (`AuthenticateForm`) and runs the code step of the sign-in
(`allauth.mfa.stages.AuthenticateStage`). Added here:

- `MFAAdapter`: German error messages, the QR code drawn with segno (no extra library), the app
  of a privileged person cannot be removed without a new one.
- `AuthenticateForm` / `ReauthenticateForm`: allauth's, plus a code replay guard in the
  database (`last_counter` in the authenticator's data, the row locked), because allauth's own
  guard lives in the cache, which is per process without `CACHE_URL`. Backup codes are
  compared without case, spaces or dashes (migrated django-otp codes had letters).
- `EnrolStage`: a privileged person without an app sets one up during the sign-in, before
  `login()` runs (`signin_views.second_factor_enroll`).
- `enrol_confirm` / `recovery_codes_renew`: set up or replace the app (the previous app and the
  recovery codes stop working), new recovery codes.
- audit entries and the lockout: a wrong code counts like a wrong password for django-axes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import segno
from allauth.account.internal.stagekit import clear_login
from allauth.account.stages import LoginStage
from allauth.core import context
from allauth.core.internal.cryptokit import normalize_user_code
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa import signals as mfa_signals
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base import forms as allauth_forms
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    clear_totp_secret,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from leitwerk.core.audit import audit

from . import policy

INCORRECT_CODE = _(
    "Der Code stimmt nicht oder wurde schon benutzt. Bitte geben Sie den nächsten Code aus "
    "der App ein. Nach mehreren falschen Codes wird die Anmeldung für eine Weile gesperrt."
)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": INCORRECT_CODE,
        "cannot_delete_authenticator": _(
            "Für Ihre Rolle ist die Zwei-Faktor-Anmeldung Pflicht. Richten Sie stattdessen "
            "eine neue App ein."
        ),
        "cannot_generate_recovery_codes": _(
            "Notfall-Codes gibt es erst, wenn eine Authenticator-App eingerichtet ist."
        ),
    }

    def build_totp_svg(self, url: str) -> str:
        qr = segno.make(url, error="m")
        return qr.svg_inline(scale=4, light="#fff", title=str(_("QR-Code zum Einrichten der App")))

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.RECOVERY_CODES:
            return True
        others = Authenticator.objects.filter(
            user_id=authenticator.user_id,
            type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
        ).exclude(pk=authenticator.pk)
        return others.exists() or not policy.is_privileged(authenticator.user)


# ------------------------------------------------------------------------- checking a code


def _counter_of(secret: str, code: str) -> int | None:
    for counter in yield_hotp_counters_from_time():
        if format_hotp_value(hotp_value(secret, counter)) == code:
            return counter
    return None


def totp_use_counter(authenticator: Authenticator, code: str) -> bool:
    """Remember the time step of an accepted code in the database; False if it was used."""
    with transaction.atomic():
        row = Authenticator.objects.select_for_update().get(pk=authenticator.pk)
        counter = _counter_of(decrypt(row.data["secret"]), code)
        if counter is None or counter <= row.data.get("last_counter", -1):
            return False
        row.data["last_counter"] = counter
        row.save(update_fields=["data"])
    return True


class _CodeCheck:
    # Provided by the allauth code forms this mixes into (authenticate / reauthenticate);
    # annotations only, so nothing here shadows them.
    user: Any
    authenticator: Any
    cleaned_data: dict[str, Any]
    _emit_authentication_failed: Callable[[Any], None]

    def clean_code(self) -> str:
        request = context.request
        user = self.user
        if AxesProxyHandler.is_locked(request, credentials={"username": user.email}):
            # Locked out by wrong passwords or codes: no code is checked (B3); the lockout
            # middleware answers with the German lockout page.
            request.axes_locked_out = True
            clear_login(request)  # the half-done sign-in ends; the password step is locked too
            raise MFAAdapter().validation_error("incorrect_code")
        self.cleaned_data["code"] = normalize_user_code(self.cleaned_data["code"])
        code = super().clean_code()  # type: ignore[misc]
        found = self.authenticator
        if found.type == Authenticator.Type.TOTP and not totp_use_counter(found, code):
            self._emit_authentication_failed(found)
            raise MFAAdapter().validation_error("incorrect_code")
        return code


class AuthenticateForm(_CodeCheck, allauth_forms.AuthenticateForm):
    pass


class ReauthenticateForm(_CodeCheck, allauth_forms.ReauthenticateForm):
    pass


# ------------------------------------------------------------------- setting up the app


class EnrolStage(LoginStage):
    """After allauth's code step: a privileged person without an app must set one up now."""

    key = "leitwerk_enrol"
    urlname = "accounts:2fa_enroll"

    def handle(self) -> tuple:
        from allauth.core.internal.httpkit import headed_redirect_response

        user = self.login.user
        if user is None or policy.has_second_factor(user) or not policy.is_privileged(user):
            return None, True
        return headed_redirect_response(self.urlname), True


def secret_valid(secret: str, code: str) -> bool:
    return _counter_of(secret, normalize_user_code(code)) is not None


@transaction.atomic
def enrol_confirm(request: Any, *, user: Any, secret: str, code: str) -> list[str] | None:
    """Check the first code of the new app; on success it replaces any earlier app and the
    recovery codes. Returns the new recovery codes (shown once), or None for a wrong code."""
    type(user)._default_manager.select_for_update().get(pk=user.pk)
    code = normalize_user_code(code)
    counter = _counter_of(secret, code)
    if counter is None:
        return None
    Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    ).delete()
    totp = TOTP.activate(user, secret).instance
    totp.data["last_counter"] = counter
    totp.save(update_fields=["data"])
    codes = RecoveryCodes.activate(user).generate_codes()
    clear_totp_secret(request)
    audit(actor=user, action="accounts.2fa_enrolled", data={"authenticator": totp.pk})
    mfa_signals.authenticator_added.send(
        sender=Authenticator, request=request, user=user, authenticator=totp
    )
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: Any) -> list[str]:
    Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES).delete()
    codes = RecoveryCodes.activate(user).generate_codes()
    audit(actor=user, action="accounts.2fa_backup_codes_renewed")
    return codes


def recovery_codes_left(user: Any) -> int:
    found = Authenticator.objects.filter(
        user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES
    ).first()
    return len(RecoveryCodes(found).get_unused_codes()) if found else 0


def totp_secret_grouped(secret: str) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    raw = secret.rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def totp_tolerance() -> int:
    return mfa_settings.TOTP_TOLERANCE


# ----------------------------------------------------------------------- audit and lockout


@receiver(mfa_signals.authenticator_used, dispatch_uid="leitwerk_2fa_ok")
def _used(sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any) -> None:
    kind = "backup_code" if authenticator.type == Authenticator.Type.RECOVERY_CODES else "totp"
    audit(actor=user, action="accounts.2fa_ok", data={"kind": kind})


@receiver(mfa_signals.authentication_failed, dispatch_uid="leitwerk_2fa_failed")
def _failed(sender: Any, request: Any, user: Any, **kw: Any) -> None:
    audit(actor=None, action="accounts.2fa_failed", data={"user_id": user.pk})
    # A wrong code counts towards django-axes' lockout of this address + IP pair (B3/B5).
    user_login_failed.send(sender=__name__, credentials={"username": user.email}, request=request)
