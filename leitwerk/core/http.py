"""The request as views see it once the middleware ran, for annotations only.

Django builds the request; these classes are never instantiated. They tell the type checker
which attributes the middleware added: `TenantRequest` names the tenant in the kernel's terms
(the kernel may not import the municipalities app), `leitwerk.accounts.http.AuthedRequest`
names the project's own `User` and `Municipality` for the pages of the stages above.
"""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest


class TenantRequest(HttpRequest):
    """An HttpRequest with `municipality`, set by `CurrentMunicipalityMiddleware`.

    It is a lazy object: falsy for a person without any membership, which the selectors'
    `not municipality` checks catch.
    """

    municipality: models.Model
