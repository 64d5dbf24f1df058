"""Response headers and HTTP methods for every response (catalogue C3, C10).

`SecurityHeadersMiddleware` sits directly below Django's SecurityMiddleware and the CSP
middleware and above WhiteNoise, so static files, feeds, downloads, PDFs and error pages get
the same headers as HTML pages. It also answers 405 to methods no HTML view needs
(TRACE, PUT, DELETE, OPTIONS, PATCH …); only a REST API under /api/ may use them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, HttpResponseNotAllowed
from django.utils.cache import patch_cache_control

HTML_METHODS = ("GET", "HEAD", "POST")
# A REST API under this prefix brings its own method handling (DRF answers 405 itself).
API_PREFIX = "/api/"

# Django renders JsonResponse and XML templates as UTF-8 but names no charset for these.
CHARSETLESS_TYPES = ("application/json", "application/xml")

# Browser features Leitwerk never uses: denied for the page and every frame.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in HTML_METHODS and not request.path_info.startswith(API_PREFIX):
            response: HttpResponseBase = HttpResponseNotAllowed(HTML_METHODS)
        else:
            response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault(
            "Cross-Origin-Opener-Policy",
            getattr(settings, "SECURE_CROSS_ORIGIN_OPENER_POLICY", None) or "same-origin",
        )
        response.headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if response.headers.get("Content-Type") in CHARSETLESS_TYPES and not response.streaming:
            # Rendered by Django, so in DEFAULT_CHARSET; say so (ZAP 10019 / catalogue C3).
            response.headers["Content-Type"] += f"; charset={response.charset}"
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or response.status_code >= 400:
            # A signed-in page must not stay in a shared browser's or proxy's cache, nor an
            # error page (it may be answered before the person is known, e.g. 405 or 400).
            patch_cache_control(response, no_store=True, private=True)
        return response
