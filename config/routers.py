"""Send the public portal's reads to a read replica, everything else to the primary.

The public pages (`/<slug>/…`, public surveys and suggestions, the public network pages) are
most of the traffic and only read. When `REPLICA_DATABASE_URL` is set, settings add a
`replica` database and `LEITWERK_READ_REPLICA = "replica"`; `PortalReadsMiddleware` marks
GET/HEAD requests to those pages, and `ReplicaRouter` sends their reads there.

Always on the primary (`default`):
- every write, and every read outside a marked request (workspace, admin, forms being sent);
- sign-in state (sessions, users, memberships' auth tables), so a person who just signed in
  is never shown as signed out because the replica lags a moment behind;
- migrations: the replica copies the primary's schema through PostgreSQL replication.

Without a replica nothing changes: the router answers None and Django uses `default`.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.conf import settings

# URL namespaces of the public, read-mostly pages.
PORTAL_NAMESPACES = frozenset(
    {"portal", "feedback_public", "feedback_suggestions", "network_public"}
)
READ_METHODS = frozenset({"GET", "HEAD"})
# Read from the primary even inside a portal request: replica lag must not sign anyone out.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "accounts", "contenttypes", "django_tasks_db"})

_portal_read: ContextVar[bool] = ContextVar("leitwerk_portal_read", default=False)


def replica_alias() -> str | None:
    """The configured replica alias, or None when reads stay on the primary."""
    alias = getattr(settings, "LEITWERK_READ_REPLICA", None)
    return alias if alias and alias in settings.DATABASES else None


class portal_reads:  # noqa: N801 - used like a function: `with portal_reads(): ...`
    """Mark a block as portal reads (the middleware does this per request)."""

    def __enter__(self) -> None:
        self._token = _portal_read.set(True)

    def __exit__(self, *exc: object) -> None:
        _portal_read.reset(self._token)


class PortalReadsMiddleware:
    """Marks GET/HEAD requests to public pages, so the router may read them from the replica."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_leitwerk_portal_token", None)
            if token is not None:
                _portal_read.reset(token)

    def process_view(self, request: Any, view_func: Any, view_args: Any, view_kwargs: Any) -> None:
        if _is_portal_request(request):
            request._leitwerk_portal_token = _portal_read.set(True)


def _is_portal_request(request: Any) -> bool:
    match = getattr(request, "resolver_match", None)
    if request.method not in READ_METHODS or match is None or not match.namespaces:
        return False
    return match.namespaces[0] in PORTAL_NAMESPACES


class ReplicaRouter:
    """Portal reads → replica (when configured); all writes and other reads → default."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        alias = replica_alias()
        if alias is None or not _portal_read.get():
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return "default"
        return alias

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both aliases hold the same data; a row read from the replica may point to one read
        # from the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return None if db == "default" else False
