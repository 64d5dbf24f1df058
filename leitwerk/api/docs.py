"""OpenAPI schema and Swagger UI, with the UI's assets served from drf-spectacular-sidecar.

The schema and the documentation page are public: they describe the interface, not any
municipality's data (every data endpoint needs a token or a session). Swagger UI is the only
page of Leitwerk that needs inline styles; its CSP exception is set on this view alone.
The split view serves Swagger UI's start script as a file, so no inline script is needed.
"""

from __future__ import annotations

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny


class SchemaView(SpectacularAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []


@method_decorator(csp_update({"style-src": ["'unsafe-inline'"]}), name="dispatch")
class SwaggerView(SpectacularSwaggerSplitView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    title = "Leitwerk API v1"
