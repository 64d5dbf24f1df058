"""Access to one tenant row from a page: the kernel's answer is 404 for missing and foreign.

`scoped_get` reads the row of the current municipality (a row of another town looks exactly
like a missing one); `require` then answers 403 when the row is visible but the action is not
allowed (docs/SECURITY.md A5, checked by docs/permissions.yaml).
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .http import TenantRequest
from .models import TenantModel

_T = TypeVar("_T", bound=TenantModel)


def scoped_get(request: TenantRequest, model: type[_T], pk: int, *related: str) -> _T:
    """The row of the current municipality, else 404 (missing and foreign look the same)."""
    queryset = model.objects.for_municipality(request.municipality)
    if related:
        queryset = queryset.select_related(*related)
    return cast(_T, get_object_or_404(queryset, pk=pk))


def require(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
