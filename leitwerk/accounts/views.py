"""Sign-in and sign-out (django-allauth's views, signin_views.py) and „Sitzung verlängern“."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leitwerk.core.logs import actor_id, security_event

from . import services as account_services
from .privacy import user_export_own
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


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """„Meine Daten“: everything stored about the signed-in person, as a JSON file (Art. 15)."""
    data = user_export_own(user=request.user)
    # A read: logged as a security event, not audited (GET changes nothing).
    security_event("user.export_self", outcome="ok", actor_id=actor_id(request.user))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="leitwerk-meine-daten.json"'
    return response


@login_required
@require_POST
def reminders_switch(request: HttpRequest) -> HttpResponse:
    """„Erinnerungen per E-Mail“ on or off for the signed-in person (the duty to report stays)."""
    wanted = request.POST.get("email_reminders") == "on"
    account_services.reminders_set(user=request.user, email_reminders=wanted)
    messages.success(
        request,
        _("Erinnerungen per E-Mail sind eingeschaltet.")
        if wanted
        else _("Erinnerungen per E-Mail sind ausgeschaltet. Ihre Sachstände bleiben fällig."),
    )
    return redirect("accounts:account")
