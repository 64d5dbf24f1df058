"""Per-request sign-in rules: absolute session lifetime (B4) and the second factor (B5).

Sits after django_otp's OTPMiddleware (which sets `request.user.is_verified()`).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import twofactor

# Pages a person who still owes the second factor may open.
_OPEN_NAMES = ("accounts:logout", "accounts:2fa_verify", "accounts:2fa_enroll")


def login_started_at(request: Any) -> float | None:
    started = request.session.get(twofactor.LOGIN_AT_KEY)
    if started is not None:
        return float(started)
    last_login = getattr(request.user, "last_login", None)
    return last_login.timestamp() if last_login else None


class AccountSecurityMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request: Any) -> Any:
        limit = getattr(settings, "LEITWERK_SESSION_ABSOLUTE_SECONDS", 24 * 3600)
        started = login_started_at(request)
        if started is not None and time.time() - started > limit:
            logout(request)
            messages.info(
                request,
                _("Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an."),
            )
            return redirect_to_login(request.get_full_path())
        if not twofactor.second_factor_satisfied(request):
            path = request.path
            if path.startswith(settings.STATIC_URL) or path in {reverse(n) for n in _OPEN_NAMES}:
                return None
            if request.method == "GET":
                request.session["leitwerk_2fa_next"] = request.get_full_path()
            if twofactor.confirmed_totp(request.user) is not None:
                return redirect("accounts:2fa_verify")
            return redirect("accounts:2fa_enroll")
        return None
