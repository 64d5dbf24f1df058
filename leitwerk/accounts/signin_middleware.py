"""Per-request sign-in policy: absolute session lifetime (B4) and the second factor (B5).

Sits after allauth's AccountMiddleware; reads allauth's record of how this session
authenticated through `policy`.
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

from . import policy
from .signin_views import NEXT_KEY

# Pages a person who still owes the second factor may open.
_OPEN_NAMES = ("accounts:logout", "accounts:2fa_verify", "accounts:2fa_enroll")


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
        started = policy.login_started_at(request)
        if started is not None and time.time() - started > limit:
            logout(request)
            messages.info(
                request,
                _("Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an."),
            )
            return redirect_to_login(request.get_full_path())
        if not policy.second_factor_satisfied(request):
            path = request.path
            if path.startswith(settings.STATIC_URL) or path in {reverse(n) for n in _OPEN_NAMES}:
                return None
            if request.method == "GET":
                request.session[NEXT_KEY] = request.get_full_path()
            if policy.has_second_factor(request.user):
                return redirect("accounts:2fa_verify")
            return redirect("accounts:2fa_enroll")
        return None
