from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from .scoping import switch_guard_for_this_context, tenant_guard


class TenantGuardMiddleware:
    """Turns the tenant-query guard on for the whole request (core/scoping.py, A6).

    The Django admin is the operator's cross-town tool (superusers, second factor required),
    so its views run with the guard off.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with tenant_guard(on=True):
            return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        match = getattr(request, "resolver_match", None)
        if match is not None and "admin" in match.namespaces:
            switch_guard_for_this_context(on=False)
        return None
