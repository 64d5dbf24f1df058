"""A URLconf for the error-page tests (C3, C9): Leitwerk's URLs plus views that fail on purpose."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import handler500  # noqa: F401
from config.urls import urlpatterns as leitwerk_urlpatterns

SECRET_DETAIL = "geheim-SELECT-password-from-users"


def boom(request):
    raise RuntimeError(f"Absichtlicher Testfehler {SECRET_DETAIL}")


def forbidden(request):
    raise PermissionDenied(SECRET_DETAIL)


def suspicious(request):
    raise SuspiciousOperation(SECRET_DETAIL)


urlpatterns = [
    path("test-fehler/500/", boom),
    path("test-fehler/403/", forbidden),
    path("test-fehler/400/", suspicious),
    *leitwerk_urlpatterns,
]
