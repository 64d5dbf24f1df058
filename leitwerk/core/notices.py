"""Notices for people ("Meine Aktualisierungen"): written by any stage, read by controlling.

The kernel owns them so that a higher stage (the network) can tell a person something on a page
a lower stage (controlling) shows, without either importing the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from .audit import audit
from .models import Notice


def notice_create(*, municipality: Any, recipients: Iterable[Any], text: str, url: str) -> int:
    """One open notice per person (people without an account row are skipped)."""
    rows = [
        Notice(
            municipality_id=getattr(municipality, "pk", municipality),
            recipient=person,
            text=text[:500],
            url=url,
        )
        for person in {p.pk: p for p in recipients if p is not None}.values()
    ]
    Notice.objects.bulk_create(rows)
    return len(rows)


def notices_open_for(*, user: Any, municipality: Any) -> list[Notice]:
    """The person's open notices in this municipality, newest first (one query)."""
    if not municipality or not getattr(user, "is_authenticated", False):
        return []
    return list(
        Notice.objects.for_municipality(municipality).filter(recipient=user, done_at=None)[:50]
    )


def notice_get(*, user: Any, municipality: Any, pk: int) -> Notice:
    """One of the person's own notices; 404 for anyone else's, a foreign one or a missing one."""
    notice = Notice.objects.for_municipality(municipality).filter(pk=pk, recipient=user).first()
    if notice is None:
        raise Http404
    return notice


@transaction.atomic
def notice_done(*, user: Any, municipality: Any, pk: int) -> Notice:
    """Mark one of the person's own notices done (again: nothing changes)."""
    notice = notice_get(user=user, municipality=municipality, pk=pk)
    if notice.done_at is not None:
        return notice
    notice.done_at = timezone.now()
    notice.save(update_fields=["done_at", "updated_at"])
    audit(actor=user, action="notice.done", target=notice)
    return notice
