"""Access to one tenant row from a page: the kernel's answer is 404 for missing and foreign.

`scoped_get` reads the row of the current municipality (a row of another town looks exactly
like a missing one); `require` then answers 403 when the row is visible but the action is not
allowed (docs/SECURITY.md A5, checked by docs/permissions.yaml).
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
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
    """403 unless the signed-in person may do `perm` on the (visible) row `obj`."""
    require_allowed(request.user, perm, obj)


def access_row(
    queryset: QuerySet[_T],
    *,
    user: Any,
    municipality: Any,
    pk: Any,
    view_perm: str,
    perm: str | None = None,
) -> _T:
    """One row for a person, the same answer on every page, API route and export.

    404 when the municipality is not the person's to see (`view_perm` on it), or the row is
    missing or another town's (the queryset is scoped here); 403 when the row is visible but
    the action `perm` on it is not allowed.
    """
    require_visible(user, view_perm, municipality)
    row = queryset.filter(municipality=municipality, pk=pk).first()
    if row is None:
        raise Http404
    if perm is not None and not user.has_perm(perm, row):
        raise PermissionDenied
    return row


# The two predicates every selector and view builds its access check from: a person may do
# `perm` on `obj` (a row, or the municipality for "may see this stage at all"), and the same as
# a 404 for pages that must not reveal whether a row exists.


def may(user: Any, perm: str, obj: Any) -> bool:
    """`perm` on `obj`; False for no object (`not obj`: request.municipality is lazy)."""
    return bool(obj) and bool(user.has_perm(perm, obj))


def require_visible(user: Any, perm: str, obj: Any) -> None:
    """404 unless `may(user, perm, obj)`: missing, foreign and forbidden look the same."""
    if not may(user, perm, obj):
        raise Http404


def require_allowed(user: Any, perm: str, obj: Any) -> None:
    """For an action on a row the person can already see: 403 when not allowed (404 only
    when there is no row or municipality at all)."""
    if not obj:
        raise Http404
    if not user.has_perm(perm, obj):
        raise PermissionDenied
