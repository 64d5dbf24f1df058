"""Sign-in pages: django-allauth's views at Leitwerk's paths, plus the few pages of our own.

Flow of the password sign-in (catalogue B5), all allauth's: e-mail and password right → a
person with an app (or a security key) is *not* signed in yet; allauth keeps the half-done
sign-in in the session for ACCOUNT_LOGIN_TIMEOUT (5 minutes) and asks for the 6-digit code or a
recovery code (`allauth.mfa.stages.AuthenticateStage`, page `second_factor_verify`). A
privileged person without an app sets one up first (`mfa.EnrolStage`, page
`second_factor_enroll`). Only then `login()` runs and the session key changes.

Our own pages: setting up / replacing the app (one page for the sign-in and for „Mein Konto“,
with the QR code drawn on the server and the secret as text), the recovery codes shown once,
„Mein Konto“, and Django's password change and reset (unchanged).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from allauth.account.internal.stagekit import unstash_login
from allauth.account.stages import LoginStageController
from allauth.account.views import LoginView as AllauthLoginView
from allauth.account.views import LogoutView as AllauthLogoutView
from allauth.account.views import ReauthenticateView as AllauthReauthenticateView
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.base.internal.flows import post_authentication
from allauth.mfa.base.views import AuthenticateView as AllauthMfaAuthenticateView
from allauth.mfa.base.views import ReauthenticateView as AllauthMfaReauthenticateView
from allauth.mfa.totp.internal.auth import get_totp_secret
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from leitwerk.core import ratelimit
from leitwerk.core.audit import audit
from leitwerk.core.mail import mail_queue

from . import mfa, policy
from .oidc import enabled_providers
from .signals import client_ip
from .signin_forms import GermanPasswordResetForm
from .tasks import send_password_reset_mail

BACKUP_CODES_KEY = "leitwerk_backup_codes_once"
NEXT_KEY = "leitwerk_2fa_next"


def _safe(request: HttpRequest, target: str | None, default: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("https", "http") else ""


class LoginView(AllauthLoginView):
    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        # The sign-in buttons of the identity providers are forms whose answer redirects to
        # the provider; browsers apply the page's form-action to that redirect.
        origins = sorted({_origin(p.issuer) for p in enabled_providers()} - {""})
        if origins:
            response._csp_update = {"form-action": origins}
        return response


class LogoutView(AllauthLogoutView):
    http_method_names = ["post", "options"]  # signing out changes state: POST only


class ReauthenticateView(AllauthReauthenticateView):
    template_name = "accounts/reauth.html"


class MfaReauthenticateView(AllauthMfaReauthenticateView):
    """The code for a session that has none yet (made before the person became an admin)."""

    template_name = "accounts/second_factor_verify.html"

    def get_default_success_url(self) -> str:
        target = self.request.session.pop(NEXT_KEY, None)
        return _safe(self.request, target, reverse("home"))


_mfa_authenticate = AllauthMfaAuthenticateView.as_view(
    template_name="accounts/second_factor_verify.html"
)
_mfa_reauthenticate = MfaReauthenticateView.as_view()


def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code step: during the sign-in (allauth's stage) or for a signed-in session."""
    if request.user.is_authenticated:
        if policy.second_factor_satisfied(request) and policy.has_second_factor(request.user):
            return redirect("home")
        if not policy.has_second_factor(request.user):
            return redirect("accounts:2fa_enroll")
        return _mfa_reauthenticate(request)
    return _mfa_authenticate(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        strip=True,
        error_messages={"required": gettext_lazy("Bitte geben Sie den Code ein.")},
    )


def _pending_enrolment(request: HttpRequest) -> tuple[Any, Any] | None:
    stage = LoginStageController.enter(request, mfa.EnrolStage.key)
    return (stage.login.user, stage) if stage is not None else None


@sensitive_post_parameters("code")
def second_factor_enroll(request: HttpRequest) -> HttpResponse:
    """Set up the app: QR code, the secret as text for people who cannot scan, first code."""
    stage = None
    if request.user.is_authenticated:
        user = request.user
        forced = not policy.second_factor_satisfied(request)
        has_app = policy.has_second_factor(user)
        if forced and has_app:
            return redirect("accounts:2fa_verify")
        if not forced and not policy.reauth_is_recent(request):
            return redirect(f"{reverse('accounts:reauth')}?next={reverse('accounts:2fa_enroll')}")
    else:
        pending = _pending_enrolment(request)
        if pending is None:
            if unstash_login(request, peek=True) is not None:
                # Only the code itself may replace an app, never the password alone.
                return redirect("accounts:2fa_verify")
            messages.info(request, _("Bitte melden Sie sich an."))
            return redirect("accounts:login")
        user, stage = pending
        has_app = False
    secret = get_totp_secret(regenerate=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.enrol_confirm(request, user=user, secret=secret, code=form.cleaned_data["code"])
        if codes is not None:
            post_authentication(request, policy.totp_of(user))
            if stage is not None:
                response = stage.exit()
                target = response["Location"] if response.status_code == 302 else reverse("home")
            else:
                target = _safe(request, request.session.pop(NEXT_KEY, None), "")
                target = target or reverse("accounts:account")
            request.session[BACKUP_CODES_KEY] = {"codes": codes, "next": target}
            return redirect("accounts:2fa_backup_codes")
        form.add_error(
            "code",
            _(
                "Der Code stimmt nicht. Bitte prüfen Sie, ob die Uhrzeit Ihres Telefons "
                "stimmt, und geben Sie den Code ein, den die App gerade zeigt."
            ),
        )
    adapter = get_mfa_adapter()
    context = {
        "form": form,
        "qr_svg": adapter.build_totp_svg(adapter.build_totp_url(user, secret)),
        "secret": mfa.totp_secret_grouped(secret),
        "account_label": user.email,
        "replacing": has_app,
    }
    return render(request, "accounts/second_factor_enroll.html", context)


@login_required
def backup_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes, shown exactly once after they were made."""
    once = request.session.pop(BACKUP_CODES_KEY, None)
    context = {
        "codes": once["codes"] if once else [],
        "next": once["next"] if once else reverse("accounts:account"),
    }
    return render(request, "accounts/backup_codes.html", context)


@require_POST
@login_required
def backup_codes_renew(request: HttpRequest) -> HttpResponse:
    if not policy.reauth_is_recent(request):
        return redirect(f"{reverse('accounts:reauth')}?next={reverse('accounts:account')}")
    if not policy.has_second_factor(request.user):
        return redirect("accounts:account")
    codes = mfa.recovery_codes_renew(user=request.user)
    request.session[BACKUP_CODES_KEY] = {"codes": codes, "next": reverse("accounts:account")}
    return redirect("accounts:2fa_backup_codes")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """„Mein Konto“: password, second factor, recovery codes."""
    user = request.user
    context = {
        "device": policy.totp_of(user),
        "required": policy.is_privileged(user),
        "backup_left": mfa.recovery_codes_left(user),
        "reauth_recent": policy.reauth_is_recent(request),
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
        mail_queue(
            to=user.email,
            subject=_("Ihr Passwort wurde geändert"),
            body=_(
                "Guten Tag,\n\ndas Passwort Ihres Leitwerk-Zugangs %(email)s wurde soeben "
                "geändert. Alle anderen Anmeldungen wurden dabei beendet.\n\nWaren Sie das "
                "nicht? Dann wenden Sie sich bitte sofort an die Administration Ihrer "
                "Verwaltung.\n"
            )
            % {"email": user.email},
        )
        messages.success(
            self.request,
            _("Ihr Passwort ist geändert. Anmeldungen auf anderen Geräten sind beendet."),
        )
        return response


RESET_WINDOW = 3600


class PasswordResetView(auth_views.PasswordResetView):
    """Same answer, in the same time, whether or not the address is known (M7).

    The request only counts and queues: looking the address up and sending the mail happen in
    the worker (accounts.tasks). At most LEITWERK_RESET_PER_ADDRESS mails per address and hour
    (more requests get the same answer and send nothing), and LEITWERK_RESET_PER_CLIENT
    requests per client address and hour (then a German "try again later", which says
    nothing about any address).
    """

    form_class = GermanPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        if not ratelimit.hit(
            scope="reset-client",
            key=client_ip(self.request) or "",
            limit=settings.LEITWERK_RESET_PER_CLIENT,
            window=RESET_WINDOW,
        ):
            form.add_error(
                None,
                _(
                    "Von Ihrem Anschluss kamen in der letzten Stunde sehr viele Anfragen. "
                    "Bitte versuchen Sie es später noch einmal."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if ratelimit.hit(
            scope="reset-address",
            key=email,
            limit=settings.LEITWERK_RESET_PER_ADDRESS,
            window=RESET_WINDOW,
        ):
            site_url = settings.SITE_URL or self.request.build_absolute_uri("/")
            send_password_reset_mail.enqueue(email=email, site_url=site_url)
        return HttpResponseRedirect(self.get_success_url())


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
        mail_queue(
            to=user.email,
            subject=_("Ihr Passwort wurde zurückgesetzt"),
            body=_(
                "Guten Tag,\n\ndas Passwort Ihres Leitwerk-Zugangs %(email)s wurde über den "
                "Link „Passwort vergessen“ neu gesetzt.\n\nWaren Sie das nicht? Dann wenden "
                "Sie sich bitte sofort an die Administration Ihrer Verwaltung.\n"
            )
            % {"email": user.email},
        )
        return response


password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
