"""The kernel's own pages: liveness and readiness for load balancers and monitoring."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from leitwerk.core import health


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 "ok" when the database (and a configured cache) answer, else 503 with no
    details (catalogue I9). Never cached, no tenant data."""
    if health.ready():
        return HttpResponse("ok", content_type="text/plain; charset=utf-8")
    return HttpResponse("nicht bereit", status=503, content_type="text/plain; charset=utf-8")
