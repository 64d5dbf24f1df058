"""Cached content fragments of signed-in pages (issue 21).

The workspace pages (plan, dashboard, Vorhaben profile, goal scorecard, network pages) differ
between the people who may see them only by a few edit links and forms. Their content is
rendered once per change and kept in Django's cache (CACHE_URL) under the same invalidation
scheme as the public portal's page cache (portal.views): the id of the newest audit entry
(every service write is audited, in the same transaction), today's date, the language, the
query string (filters) and everything about the person that the fragment shows (passed by
the view as `variant`, e.g. may_edit and may_release). The personal frame (header,
navigation, messages, "Meine Aktualisierungen") is rendered live around it.

A fragment may contain forms: `{% csrf_token %}` renders a placeholder there, replaced by
the requesting person's token on every response, so no token is ever shared.

Not covered, as with the portal: rows written outside the services (Django admin, shell,
`leitwerk generate`) do not invalidate; the next audited write or the next day does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from leitwerk.core.models import AuditLogEntry

# Long enough to serve a busy morning; every change makes a new key anyway.
FRAGMENT_SECONDS = 6 * 3600
CSRF_PLACEHOLDER = "csrf-placeholder-of-a-cached-fragment"


def newest_change(municipality_ids: Iterable[int] | None) -> int:
    """Id of the newest audit entry of these municipalities (all when None), 0 if none.

    One index step per municipality (index audit_newest_per_town)."""
    entries = AuditLogEntry.objects.all()
    if municipality_ids is not None:
        ids = list(municipality_ids)
        if len(ids) == 1:
            entries = entries.filter(municipality_id=ids[0])
        else:
            entries = entries.filter(municipality_id__in=ids)
    newest = entries.order_by("-id").values_list("id", flat=True).first()
    return newest or 0


def fragment_key(
    request: HttpRequest, *, name: str, municipality_ids: Iterable[int] | None, variant: Any
) -> str:
    query = request.GET.urlencode() if request.GET else ""
    parts = [
        name,
        str(newest_change(municipality_ids)),
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        query,
        repr(variant),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"fragment:{name}:{digest}"


def cached_fragment(
    request: HttpRequest,
    *,
    name: str,
    municipality_ids: Iterable[int] | None,
    variant: Any,
    build: Callable[[], str],
) -> SafeString:
    """The fragment from the cache, or built by `build()` (which renders it) and kept.

    `variant` must hold everything about the person that the fragment shows."""
    if not getattr(settings, "LEITWERK_FRAGMENT_CACHE", True):
        # Off (query-count tests measure the rendering itself): built on every request.
        html = str(build())
        return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308
    key = fragment_key(request, name=name, municipality_ids=municipality_ids, variant=variant)
    html = cache.get(key)
    if html is None:
        html = str(build())
        cache.set(key, html, FRAGMENT_SECONDS)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 - rendered by our own (autoescaping) templates


def render_fragment(request: HttpRequest, template: str, context: dict[str, Any]) -> str:
    """Render a fragment template as anyone with the same `variant` would see it: the
    CSRF token is a placeholder (replaced per response by `cached_fragment`)."""
    return render_to_string(template, {**context, "csrf_token": CSRF_PLACEHOLDER}, request)
