from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from leitwerk.core import health
from leitwerk.municipalities.selectors import SESSION_KEY, municipalities_for_user
from leitwerk.plans.selectors import plan_list_for_user


@require_GET
def healthz(request):
    """For load balancers and monitoring: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@require_GET
@never_cache
def readyz(request):
    """Readiness: 200 "ok" when the database (and a configured cache) answer, else 503 with no
    details (catalogue I9). Never cached, no tenant data."""
    if health.ready():
        return HttpResponse("ok", content_type="text/plain; charset=utf-8")
    return HttpResponse("nicht bereit", status=503, content_type="text/plain; charset=utf-8")


@login_required
def home(request):
    plans = plan_list_for_user(user=request.user, municipality=request.municipality)
    return render(request, "core/home.html", {"plans": plans})


@login_required
@require_POST
def switch_municipality(request):
    """Remembers the chosen municipality in the session, if the person belongs to it."""
    try:
        chosen = int(request.POST.get("municipality", ""))
    except ValueError:
        chosen = None
    allowed = {m.pk for m in municipalities_for_user(user=request.user)}
    if chosen in allowed:
        request.session[SESSION_KEY] = chosen
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("core:home")
    return HttpResponseRedirect(target)
