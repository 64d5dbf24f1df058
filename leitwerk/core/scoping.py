"""Run-time guard: while a request is answered, every query of a tenant model names a municipality.

Catalogue row A6 ("query scoping cannot be forgotten"). `TenantQuerySet` asks `check_scoped()`
before it reads, counts, updates or deletes. While the guard is on (see `TenantGuardMiddleware`),
a query whose WHERE clause does not pin the rows to a municipality raises
`UnscopedTenantQuery` instead of answering with rows of every town. Pinned means one of:

- a filter `municipality=…` / `municipality__in=…` on the model or on a tenant model reached
  through an inner join (`plan__municipality=…`; links never cross towns, `TenantModel.clean`),
  or on a field of the municipality itself (`municipality__slug=…`), joined through that FK;
- a related manager or prefetch of an already loaded tenant row (`plan.vorhaben.all()`):
  Django hints the instance, and its rows belong to the instance's municipality;
- an explicit `.across_municipalities()`: the rare read that spans towns on purpose (the
  person's own memberships, the network's shared indicators). It is searchable by name and the
  lint in core/tests/test_tenancy_lint.py keeps it out of views.

Outside requests (management commands, the background worker, tests' own set-up) the guard is
off: those run on the operator's behalf, and every command names its municipality anyway.

Why not django-scopes: it filters implicitly by a context value, which hides the tenant filter
our selectors spell out, and the network's cross-town reads would need a scope per call. This
guard keeps the explicit filters and only refuses the forgotten ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models import Model
from django.db.models.lookups import Lookup
from django.db.models.query import QuerySet
from django.db.models.sql.datastructures import Join
from django.db.models.sql.query import Query
from django.db.models.sql.where import AND, OR, WhereNode

_guard_on: ContextVar[bool] = ContextVar("leitwerk_tenant_guard", default=False)

_PINNING_LOOKUPS = frozenset({"exact", "in"})

# How many queries the guard refused in this process: the test suite fails a test during
# which this grows, so a refusal swallowed by an error page still counts ("0 in the run").
refusals = 0


class UnscopedTenantQuery(Exception):
    """A tenant model was queried during a request without naming a municipality."""


@contextmanager
def tenant_guard(*, on: bool = True) -> Iterator[None]:
    token = _guard_on.set(on)
    try:
        yield
    finally:
        _guard_on.reset(token)


def guard_is_on() -> bool:
    return _guard_on.get()


def switch_guard_for_this_context(*, on: bool) -> None:
    """Within a `tenant_guard` block: change the setting until that block ends and resets it."""
    _guard_on.set(on)


def _is_tenant_model(model: type[Model] | None) -> bool:
    from .models import TenantModel  # here, not above: core.models builds on this module

    return model is not None and issubclass(model, TenantModel)


def _is_municipality_model(model: type[Model] | None) -> bool:
    return model is not None and model._meta.label == "municipalities.Municipality"


def _lookup_pins(lookup: Lookup[Any], query: Query) -> bool:
    if lookup.lookup_name not in _PINNING_LOOKUPS:
        return False
    column = lookup.lhs
    target = getattr(column, "target", None)
    alias = getattr(column, "alias", None)
    if target is None or alias is None:
        return False
    model = getattr(target, "model", None)
    if target.name == "municipality" and _is_tenant_model(model):
        return _reached_by_inner_join(query, alias)
    if _is_municipality_model(model):
        join = query.alias_map.get(alias)
        return (
            isinstance(join, Join)
            and join.join_type == "INNER JOIN"
            and getattr(join.join_field, "name", None) == "municipality"
            and _reached_by_inner_join(query, join.parent_alias)
        )
    return False


def _reached_by_inner_join(query: Query, alias: str) -> bool:
    """The alias is the base table or joined to it by INNER JOINs only (no NULL rows sneak in)."""
    while True:
        join = query.alias_map.get(alias)
        if not isinstance(join, Join):
            return True  # the base table
        if join.join_type != "INNER JOIN":
            return False
        alias = join.parent_alias


def _node_pins(node: object, query: Query) -> bool:
    if isinstance(node, Lookup):
        return _lookup_pins(node, query)
    if not isinstance(node, WhereNode) or node.negated:
        return False
    if node.connector == AND:
        return any(_node_pins(child, query) for child in node.children)
    if node.connector == OR:
        return bool(node.children) and all(_node_pins(child, query) for child in node.children)
    return False


def query_is_pinned(query: Query) -> bool:
    if query.is_empty():
        return True
    if query.combinator:
        return all(query_is_pinned(part) for part in query.combined_queries)
    return _node_pins(query.where, query)


def check_scoped(queryset: QuerySet[Any, Any], operation: str) -> None:
    if not _guard_on.get() or getattr(queryset, "_across_municipalities", False):
        return
    # Django keeps the row a related manager reads from only in the private `_hints`.
    instance = queryset._hints.get("instance")  # type: ignore[attr-defined]
    if instance is not None and (
        _is_tenant_model(type(instance)) or _is_municipality_model(type(instance))
    ):
        return
    if query_is_pinned(queryset.query):
        return
    global refusals
    refusals += 1
    raise UnscopedTenantQuery(
        f"{queryset.model._meta.label}.{operation}() during a request without a municipality "
        "filter: scope it in a selector (municipality=...) or, if it spans towns on purpose, "
        "call .across_municipalities() and say why."
    )
