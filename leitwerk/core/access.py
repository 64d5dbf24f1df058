"""Access to one tenant row from a page: the kernel's answer is 404 for missing and foreign.

`scoped_get` reads the row of the current municipality (a row of another town looks exactly
like a missing one); `require` then answers 403 when the row is visible but the action is not
allowed (docs/SECURITY.md A5, checked by docs/permissions.yaml).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest
from django.shortcuts import get_object_or_404


def scoped_get(request: HttpRequest, model: type[models.Model], pk: int, *related: str) -> Any:
    """The row of the current municipality, else 404 (missing and foreign look the same)."""
    queryset = model.objects.filter(municipality=request.municipality)  # type: ignore[attr-defined]
    if related:
        queryset = queryset.select_related(*related)
    return get_object_or_404(queryset, pk=pk)


def require(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
