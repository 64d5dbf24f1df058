"""Password sign-in with a second step for the code, „Mein Konto“, password change and reset.

Flow of the password sign-in (catalogue B5): e-mail and password right → a person who needs a
second factor is *not* signed in yet; the session only remembers them for a few minutes
(`twofactor.pending_start`). With an app already set up they give the 6-digit code (or a backup
code); without one they set the app up first (QR code and the secret as text) and confirm with a
code. Only then `login()` runs, the session key changes and the OTP device is bound to the
session. django-otp's TOTPDevice refuses a code that was used before (last_t) and codes outside
the tolerance window, and slows down guessing (throttling).
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from leitwerk.core.audit import audit

from . import second_factor, twofactor
from .oidc import enabled_providers
from .signin_forms import CodeForm, GermanPasswordResetForm, PasswordConfirmForm


def _mark_login(request: HttpRequest, *, second: bool) -> None:
    request.session[twofactor.PASSWORD_LOGIN_KEY] = True
    request.session[twofactor.LOGIN_AT_KEY] = int(time.time())
    audit(
        actor=request.user,
        action="accounts.login",
        data={"method": "password", "second_factor": second},
    )


def _safe(request: HttpRequest, target: str | None, default: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        # The sign-in buttons of the identity providers are forms whose answer redirects to
        # the provider; browsers apply the page's form-action to that redirect.
        origins = sorted({_origin(p.issuer) for p in enabled_providers()} - {""})
        if origins:
            response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if twofactor.requires_second_factor(user):
            twofactor.pending_start(self.request, user, next_url=self.get_success_url())
            if twofactor.confirmed_totp(user) is not None:
                return redirect("accounts:2fa_verify")
            return redirect("accounts:2fa_enroll")
        response = super().form_valid(form)
        _mark_login(self.request, second=False)
        return response


def _who(request: HttpRequest) -> tuple[Any, str, dict] | None:
    """(person, "session" | "pending", pending entry) for the second-factor pages."""
    if request.user.is_authenticated:
        return request.user, "session", {}
    pending = twofactor.pending_get(request)
    if pending is None:
        return None
    return pending[0], "pending", pending[1]


def _finish(request: HttpRequest, user: Any, mode: str, entry: dict, device: Any) -> str:
    """Sign in (pending) or verify (session) with the device; returns where to go next."""
    if mode == "pending":
        user.backend = entry["backend"]
        auth_login(request, user)  # new session key, the pending entry carries over
        twofactor.pending_clear(request)
        otp_login(request, device)
        _mark_login(request, second=True)
        return _safe(request, entry.get("next"), reverse(settings.LOGIN_REDIRECT_URL))
    otp_login(request, device)
    request.session[twofactor.PASSWORD_LOGIN_KEY] = True
    return _safe(request, request.session.pop("leitwerk_2fa_next", None), reverse("home"))


def _to_login(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Bitte melden Sie sich an."))
    return redirect("accounts:login")


@sensitive_post_parameters("code")
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """Second step: the 6-digit code from the app or a backup code."""
    who = _who(request)
    if who is None:
        return _to_login(request)
    user, mode, entry = who
    if mode == "session" and user.is_verified():
        return redirect("home")
    if twofactor.confirmed_totp(user) is None:
        return redirect("accounts:2fa_enroll")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor.second_factor_check(user=user, code=form.cleaned_data["code"])
        if device is not None:
            return redirect(_finish(request, user, mode, entry, device))
        form.add_error(
            "code",
            _(
                "Der Code stimmt nicht oder wurde schon benutzt. Bitte geben Sie den "
                "nächsten Code aus der App ein. Nach mehreren falschen Codes müssen Sie "
                "etwas länger warten."
            ),
        )
    return render(request, "accounts/second_factor_verify.html", {"form": form})


def _qr_svg(device: TOTPDevice) -> str:
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(scale=4, light="#fff", title=_("QR-Code zum Einrichten der App"))


@sensitive_post_parameters("code")
def second_factor_enroll(request: HttpRequest) -> HttpResponse:
    """Set up the app: QR code, the secret as text for people who cannot scan, first code."""
    who = _who(request)
    if who is None:
        return _to_login(request)
    user, mode, entry = who
    has_app = twofactor.confirmed_totp(user) is not None
    if mode == "pending" and has_app:
        # Only the code itself may replace an app, never the password alone.
        return redirect("accounts:2fa_verify")
    if mode == "session":
        forced = not twofactor.second_factor_satisfied(request)
        if forced and has_app:
            return redirect("accounts:2fa_verify")
        if not forced and not twofactor.reauth_is_recent(request):
            return redirect(f"{reverse('accounts:reauth')}?next={reverse('accounts:2fa_enroll')}")
    device = second_factor.totp_enroll_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.totp_enroll_confirm(
            user=user, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            device.refresh_from_db()
            target = _finish(request, user, mode, entry, device)
            request.session[twofactor.BACKUP_CODES_KEY] = {"codes": codes, "next": target}
            request.session.pop(twofactor.REAUTH_KEY, None)
            return redirect("accounts:2fa_backup_codes")
        form.add_error(
            "code",
            _(
                "Der Code stimmt nicht. Bitte prüfen Sie, ob die Uhrzeit Ihres Telefons "
                "stimmt, und geben Sie den Code ein, den die App gerade zeigt."
            ),
        )
    context = {
        "form": form,
        "qr_svg": _qr_svg(device),
        "secret": second_factor.totp_secret_base32(device),
        "account_label": user.email,
        "replacing": has_app,
    }
    return render(request, "accounts/second_factor_enroll.html", context)


@login_required
def backup_codes(request: HttpRequest) -> HttpResponse:
    """The backup codes, shown exactly once after they were made."""
    once = request.session.pop(twofactor.BACKUP_CODES_KEY, None)
    context = {
        "codes": once["codes"] if once else [],
        "next": once["next"] if once else reverse("accounts:account"),
    }
    return render(request, "accounts/backup_codes.html", context)


@require_POST
@login_required
def backup_codes_renew(request: HttpRequest) -> HttpResponse:
    if not twofactor.reauth_is_recent(request):
        return redirect(f"{reverse('accounts:reauth')}?next={reverse('accounts:account')}")
    if twofactor.confirmed_totp(request.user) is None:
        return redirect("accounts:account")
    codes = second_factor.backup_codes_regenerate(user=request.user)
    request.session[twofactor.BACKUP_CODES_KEY] = {
        "codes": codes,
        "next": reverse("accounts:account"),
    }
    return redirect("accounts:2fa_backup_codes")


@sensitive_post_parameters("password")
@login_required
def reauth(request: HttpRequest) -> HttpResponse:
    """Confirm the password before an essential change (catalogue B8)."""
    target = _safe(
        request, request.POST.get("next") or request.GET.get("next"), reverse("accounts:account")
    )
    form = PasswordConfirmForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        twofactor.reauth_mark(request)
        return redirect(target)
    return render(request, "accounts/reauth.html", {"form": form, "next": target})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """„Mein Konto“: password, second factor, backup codes."""
    user = request.user
    device = twofactor.confirmed_totp(user)
    context = {
        "device": device,
        "required": twofactor.is_privileged(user),
        "backup_left": twofactor.backup_codes_left(user),
        "reauth_recent": twofactor.reauth_is_recent(request),
    }
    return render(request, "accounts/account.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Needs the current password (B8); other sessions end because the password hash changes."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user: Any = self.request.user
        audit(actor=user, action="accounts.password_changed")
        send_mail(
            _("Ihr Passwort wurde geändert"),
            _(
                "Guten Tag,\n\ndas Passwort Ihres Leitwerk-Zugangs %(email)s wurde soeben "
                "geändert. Alle anderen Anmeldungen wurden dabei beendet.\n\nWaren Sie das "
                "nicht? Dann wenden Sie sich bitte sofort an die Administration Ihrer "
                "Verwaltung.\n"
            )
            % {"email": user.email},
            None,
            [user.email],
        )
        messages.success(
            self.request,
            _("Ihr Passwort ist geändert. Anmeldungen auf anderen Geräten sind beendet."),
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Same answer whether or not the address is known (no user enumeration)."""

    form_class = GermanPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link works once and for PASSWORD_RESET_TIMEOUT seconds; no sign-in afterwards, so
    the second factor is still asked for at the next sign-in."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        audit(actor=None, action="accounts.password_reset", data={"user_id": user.pk})
        send_mail(
            _("Ihr Passwort wurde zurückgesetzt"),
            _(
                "Guten Tag,\n\ndas Passwort Ihres Leitwerk-Zugangs %(email)s wurde über den "
                "Link „Passwort vergessen“ neu gesetzt.\n\nWaren Sie das nicht? Dann wenden "
                "Sie sich bitte sofort an die Administration Ihrer Verwaltung.\n"
            )
            % {"email": user.email},
            None,
            [user.email],
        )
        return response


password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("https", "http") else ""
