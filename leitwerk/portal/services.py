"""Writes of the portal app: the open-data licence and contact, the participation
opportunities (Beteiligungsangebote) the portal shows, the portal settings (Leichte Sprache,
accessibility statement, comments), automated accessibility checks, followers and comments of
citizens."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from leitwerk.core.audit import audit
from leitwerk.core.editing import check_fields, create_row, delete_row, update_versioned
from leitwerk.feedback.models import SUGGESTION_RESPONSE_DAYS, Suggestion, SuggestionCategory
from leitwerk.feedback.services import suggestion_submit
from leitwerk.municipalities.models import Municipality
from leitwerk.plans.models import ActionPlan, Initiative

from . import selectors
from .models import (
    AccessibilityCheck,
    CommentStatus,
    Follow,
    OpenDataSettings,
    ParticipationOpportunity,
    PortalSettings,
    PublicComment,
)
from .tasks import send_follow_confirmation


@transaction.atomic
def open_data_settings_save(
    *,
    municipality: Municipality,
    actor: Any,
    expected_version: int | None,
    licence: str,
    attribution: str,
    contact_email: str,
) -> OpenDataSettings:
    """Create or change the one settings row; a concurrent change is a conflict. Audited (and
    so the portal's cached files name the new licence at once)."""
    values = {"licence": licence, "attribution": attribution, "contact_email": contact_email}
    current = OpenDataSettings.objects.for_municipality(municipality).first()
    if current is None:
        return create_row(
            model=OpenDataSettings,
            municipality=municipality,
            actor=actor,
            action="open_data_settings.create",
            values=values,
        )
    return update_versioned(
        instance=current,
        actor=actor,
        action="open_data_settings.update",
        expected_version=expected_version or 0,
        changes=values,
    )


# --- Portal settings, accessibility checks --------------------------------------------------


@transaction.atomic
def portal_settings_save(
    *,
    municipality: Municipality,
    actor: Any,
    expected_version: int | None,
    easy_language_text: str,
    sign_language_video_url: str,
    known_limitations: str,
    comments_enabled: bool,
) -> PortalSettings:
    """Create or change the municipality's portal settings (Leichte Sprache, sign-language
    video, known barriers, comments); a concurrent change is a conflict. Audited."""
    values = {
        "easy_language_text": easy_language_text.strip(),
        "sign_language_video_url": sign_language_video_url.strip(),
        "known_limitations": known_limitations.strip(),
        "comments_enabled": comments_enabled,
    }
    current = PortalSettings.objects.for_municipality(municipality).first()
    if current is None:
        return create_row(
            model=PortalSettings,
            municipality=municipality,
            actor=actor,
            action="portal_settings.create",
            values=values,
        )
    return update_versioned(
        instance=current,
        actor=actor,
        action="portal_settings.update",
        expected_version=expected_version or 0,
        changes=values,
    )


OPPORTUNITY_FIELDS = {
    "title",
    "description",
    "starts_at",
    "ends_at",
    "location",
    "how_to_take_part",
    "audience",
    "url",
    "public",
    "initiative",
}


@transaction.atomic
def participation_opportunity_create(
    *, municipality: Municipality, actor: Any, values: Mapping[str, Any]
) -> ParticipationOpportunity:
    """A new opportunity; the portal shows it once it is public (and not yet over)."""
    check_fields(ParticipationOpportunity, values, OPPORTUNITY_FIELDS)
    return create_row(
        model=ParticipationOpportunity,
        municipality=municipality,
        actor=actor,
        action="participation_opportunity.create",
        values=values,
    )


@transaction.atomic
def participation_opportunity_update(
    *,
    opportunity: ParticipationOpportunity,
    actor: Any,
    expected_version: int,
    changes: Mapping[str, Any],
) -> ParticipationOpportunity:
    check_fields(ParticipationOpportunity, changes, OPPORTUNITY_FIELDS)
    return update_versioned(
        instance=opportunity,
        actor=actor,
        action="participation_opportunity.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def accessibility_check_record(
    *,
    municipality: Municipality,
    checked_at: dt.datetime,
    pages: int,
    critical: int,
    serious: int,
    moderate: int,
    minor: int,
    tool: str = "axe-core",
    standard: str = "WCAG 2.2 AA",
) -> AccessibilityCheck:
    """Store the figures of one automated check; the statement shows the newest."""
    row = AccessibilityCheck(
        municipality=municipality,
        checked_at=checked_at,
        pages=pages,
        critical=critical,
        serious=serious,
        moderate=moderate,
        minor=minor,
        tool=tool[:100],
        standard=standard[:100],
    )
    row.full_clean()
    row.save()
    audit(actor=None, action="portal.accessibility_check", target=row, data={"pages": pages})
    return row


def barrier_report_submit(
    *, municipality: Municipality, page: str, text: str, contact: str, today: dt.date
) -> Suggestion:
    """A barrier reported from the accessibility statement: a suggestion of the category
    "Barriere melden" with the usual answer deadline, in the municipality's suggestion list."""
    return suggestion_submit(
        municipality=municipality,
        text=f"Seite: {page.strip()}\n\n{text.strip()}",
        today=today,
        category=SuggestionCategory.BARRIER,
        contact=contact,
    )


# --- Follow and notify ----------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def follow_request(
    *,
    municipality: Municipality,
    email: str,
    initiative: Initiative | None = None,
    plan: ActionPlan | None = None,
) -> Follow | None:
    """Ask to follow a public Vorhaben or plan: a confirmation mail goes out (double opt-in).

    Asking again for the same target sends a new link; an address that already confirmed gets
    no mail and the row stays as it is (the page answers the same, so nobody learns who
    follows). Returns the row, or None when nothing was sent."""
    if (initiative is None) == (plan is None):
        raise ValidationError("Bitte genau ein Vorhaben oder einen Plan angeben.")
    address = email.strip().lower()
    target: dict[str, Any] = (
        {"initiative": initiative} if initiative is not None else {"plan": plan}
    )
    follow = (
        Follow.objects.for_municipality(municipality)
        .filter(email=address, **target)
        .select_for_update()
        .first()
    )
    if follow is not None and follow.confirmed_at is not None:
        return None
    if follow is None:
        follow = Follow(municipality=municipality, email=address, token=_new_token(), **target)
    else:
        follow.token = _new_token()
    follow.full_clean()
    follow.save()
    # No address in the audit trail: the entry only says that someone asked.
    audit(actor=None, action="portal.follow_request", municipality=municipality, data={})
    follow_id = follow.pk
    transaction.on_commit(lambda: send_follow_confirmation.enqueue(follow_id))
    return follow


@transaction.atomic
def follow_confirm(*, municipality: Municipality, token: str) -> Follow:
    follow = (
        Follow.objects.for_municipality(municipality)
        .select_for_update()
        .filter(token=token)
        .first()
    )
    if follow is None:
        raise ValidationError("Dieser Link ist nicht mehr gültig.")
    if follow.confirmed_at is None:
        follow.confirmed_at = timezone.now()
        follow.save(update_fields=["confirmed_at", "updated_at"])
        audit(actor=None, action="portal.follow_confirm", municipality=municipality, data={})
    return follow


@transaction.atomic
def follow_cancel(*, municipality: Municipality, token: str) -> bool:
    """Unsubscribe: the row goes (nothing about the address stays). False for an unknown
    token, which the page answers the same way."""
    deleted, _ = Follow.objects.for_municipality(municipality).filter(token=token).delete()
    if deleted:
        audit(actor=None, action="portal.follow_cancel", municipality=municipality, data={})
    return bool(deleted)


# --- Comments on public Vorhaben ------------------------------------------------------------


@transaction.atomic
def comment_submit(
    *,
    municipality: Municipality,
    initiative: Initiative,
    text: str,
    author_name: str,
    today: dt.date,
) -> PublicComment:
    """A citizen's comment; it waits for moderation and is due for an answer like a
    suggestion (feedback.SUGGESTION_RESPONSE_DAYS)."""
    if not selectors.portal_settings(municipality=municipality).comments_enabled:
        raise ValidationError("Kommentare sind hier nicht möglich.")
    comment = PublicComment(
        municipality=municipality,
        initiative=initiative,
        author_name=author_name.strip(),
        text=text.strip(),
        received_on=today,
        due_on=today + dt.timedelta(days=SUGGESTION_RESPONSE_DAYS),
    )
    comment.full_clean()
    comment.save()
    audit(actor=None, action="portal.comment_submit", target=comment, data={})
    return comment


@transaction.atomic
def comment_moderate(
    *,
    comment: PublicComment,
    actor: Any,
    decision: str,
    answer: str,
    today: dt.date,
) -> PublicComment:
    """Publish or reject a comment, optionally with the administration's answer."""
    if decision not in (CommentStatus.PUBLISHED, CommentStatus.REJECTED):
        raise ValidationError({"decision": "Bitte wählen Sie: veröffentlichen oder nicht."})
    locked = PublicComment.objects.select_for_update().get(
        pk=comment.pk, municipality_id=comment.municipality_id
    )
    locked.status = decision
    locked.answer = answer.strip()
    if locked.answer and locked.answered_on is None:
        locked.answered_on = today
    locked.version += 1
    locked.save()
    audit(
        actor=actor,
        action="portal.comment_moderate",
        target=locked,
        data={"status": decision, "answered": bool(locked.answer)},
    )
    return locked


@transaction.atomic
def participation_opportunity_delete(*, opportunity: ParticipationOpportunity, actor: Any) -> None:
    delete_row(instance=opportunity, actor=actor, action="participation_opportunity.delete")
