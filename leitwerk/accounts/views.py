"""Sign-in and sign-out (django-allauth's views, signin_views.py) and „Sitzung verlängern“."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .session import session_renew
from .signin_views import LoginView, LogoutView

# Password, then (for admins and everybody who set it up) the code step: signin_views.py.
login = LoginView.as_view()
logout = LogoutView.as_view()


def _safe_next(request: HttpRequest) -> str:
    """The page the form was sent from, if it is one of ours; the start page otherwise."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@require_POST
def session_extend(request: HttpRequest) -> HttpResponse:
    """„Sitzung verlängern“: a plain form post, or fetch from session-timeout.js."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    target = _safe_next(request)
    if not request.user.is_authenticated:
        # Too late: the sign-in has already ended. Sign in again and land on the same page.
        if wants_json:
            return JsonResponse({"signed_in": False}, status=401)
        return redirect_to_login(target)
    ends = session_renew(request)
    if wants_json:
        return JsonResponse({"signed_in": True, "ends_at": int(ends.timestamp())})
    messages.success(
        request,
        _("Ihre Anmeldung ist verlängert, bis %(time)s Uhr.")
        % {"time": time_format(localtime(ends), "H:i")},
    )
    return redirect(target)
