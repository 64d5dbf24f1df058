"""Background work of the portal (django-tasks): the confirmation mail of a follower and the
mails to followers after a release.

Tasks take ids; they run outside requests, so the ids from our own queue are read across
municipalities and every further read is pinned to the row's municipality.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from leitwerk.core.mail import mail_queue
from leitwerk.plans.models import PortalRelease

from .models import Follow
from .notifications import InitiativeChanges, release_changes


def _absolute(path: str) -> str:
    base = getattr(settings, "SITE_URL", "") or ""
    return f"{base.rstrip('/')}{path}"


def _links(follow: Follow) -> dict[str, str]:
    slug = follow.municipality.slug
    return {
        "confirm_url": _absolute(
            reverse(
                "portal:follow_confirm", kwargs={"municipality_slug": slug, "token": follow.token}
            )
        ),
        "cancel_url": _absolute(
            reverse(
                "portal:follow_cancel", kwargs={"municipality_slug": slug, "token": follow.token}
            )
        ),
    }


def _target_name(follow: Follow) -> str:
    if follow.initiative is not None:
        name = f"{follow.initiative.number} {follow.initiative.title}".strip()
        return f"Vorhaben „{name}“"
    return f"Plan „{follow.plan.title if follow.plan else ''}“"


@task()
def send_follow_confirmation(follow_id: int) -> int:
    """The double opt-in mail: a link to confirm (and one to cancel). 0 if the row is gone."""
    # An id from our own task queue: the municipality is not known before reading the row.
    follow = (
        Follow.objects.across_municipalities()
        .select_related("municipality", "initiative", "plan")
        .filter(pk=follow_id, confirmed_at__isnull=True)
        .first()
    )
    if follow is None:
        return 0
    context = {
        "municipality": follow.municipality,
        "target": _target_name(follow),
        **_links(follow),
    }
    mail_queue(
        to=follow.email,
        subject=f"Bitte bestätigen: Neuigkeiten aus {follow.municipality.name}",
        body=render_to_string("portal/mail/follow_confirm.txt", context),
    )
    return 1


def _mail_changes(follow: Follow, changes: list[InitiativeChanges]) -> int:
    links = _links(follow)
    context = {
        "municipality": follow.municipality,
        "target": _target_name(follow),
        "changes": changes,
        "portal_url": _absolute(
            reverse("portal:home", kwargs={"municipality_slug": follow.municipality.slug})
        ),
        **links,
    }
    mail_queue(
        to=follow.email,
        subject=f"Neuigkeiten: {context['target']}",
        body=render_to_string("portal/mail/follow_changes.txt", context),
        # RFC 2369: mail programs show an "unsubscribe" button that opens the cancel page.
        headers={"List-Unsubscribe": f"<{links['cancel_url']}>"},
    )
    return 1


@task()
def notify_followers(release_id: int) -> int:
    """Compare this release with the plan's previous one and mail every confirmed follower of
    a changed Vorhaben (or of the plan) what changed; the number of mails sent."""
    # An id from our own task queue (enqueued after the release committed).
    release = (
        PortalRelease.objects.across_municipalities()
        .filter(pk=release_id)
        .only("id", "plan_id", "municipality_id", "data")
        .first()
    )
    if release is None:
        return 0
    previous = (
        PortalRelease.objects.filter(
            municipality_id=release.municipality_id, plan_id=release.plan_id, id__lt=release.pk
        )
        .only("data")
        .order_by("-id")
        .first()
    )
    changes = release_changes(previous.data if previous else None, release.data)
    if not changes:
        return 0
    followers = (
        Follow.objects.filter(municipality_id=release.municipality_id, confirmed_at__isnull=False)
        .filter(models.Q(initiative_id__in=list(changes)) | models.Q(plan_id=release.plan_id))
        .select_related("municipality", "initiative", "plan")
        .order_by("id")
    )
    sent = 0
    for follow in followers:
        wanted = (
            [changes[follow.initiative_id]]
            if follow.initiative_id
            else sorted(changes.values(), key=lambda c: c.name)
        )
        sent += _mail_changes(follow, wanted)
    return sent
