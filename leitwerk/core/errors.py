"""The 500 page with an incident ID (catalogue C9).

The ID is the request ID of the structured logs when there is one (django-structlog binds it),
so support finds every log line of the failed request; otherwise a fresh one. The page shows
the ID and nothing else about the error: no stack trace, SQL, settings or paths.
"""

from __future__ import annotations

import logging
import uuid

from django.http import HttpRequest, HttpResponseServerError
from django.template import loader

logger = logging.getLogger("leitwerk.errors")


def incident_id() -> str:
    try:
        import structlog

        request_id = structlog.contextvars.get_contextvars().get("request_id")
    except ImportError:  # pragma: no cover - structlog is a dependency
        request_id = None
    return str(request_id or uuid.uuid4())


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponseServerError:
    """handler500: Django calls it inside the `except` block of the failed request."""
    incident = incident_id()
    logger.exception(
        "Unerwarteter Fehler, Vorfall %s: %s %s", incident, request.method, request.path
    )
    # Rendered without the request: no context processor may touch the database again.
    body = loader.get_template(template_name).render({"incident_id": incident})
    response = HttpResponseServerError(body)
    response["X-Incident-ID"] = incident
    return response
