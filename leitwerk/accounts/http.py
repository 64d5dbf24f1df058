"""The request of a signed-in page, typed: `request.user` is a `User`, `request.municipality`
the `Municipality` the person works in (see leitwerk/core/http.py). For annotations only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from leitwerk.core.http import TenantRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from leitwerk.municipalities.models import Municipality

    from .models import User


class AuthedRequest(TenantRequest):
    """What `@login_required` pages receive: the authentication and the municipality
    middleware ran. `municipality` is falsy for a person without any membership."""

    user: User
    municipality: Municipality
    htmx: HtmxDetails  # django-htmx's HtmxMiddleware
