"""The municipality switcher in the page header (people who work for several towns)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from leitwerk.municipalities.selectors import SESSION_KEY, municipalities_for_user


@login_required
@require_POST
def switch(request):
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
        target = reverse("home")
    return HttpResponseRedirect(target)
