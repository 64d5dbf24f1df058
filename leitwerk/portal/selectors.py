"""Reads for the public portal: only rows a municipality has published, nothing else.

Every function here is the single place that decides what "public" means for its kind of
row, so pages, feeds, the sitemap and the open data all show exactly the same things
(catalogue A7). The rules:

- Leitbild: documents with status "adopted" only (no drafts, no archived versions).
- Goals: `Goal.public`.
- Vorhaben: as the strategy office last released them (plans.PortalRelease, one per plan):
  their public fields and figures (progress, health, milestones, public indicators with their
  latest values, public goals) are read from the release, never from the live rows; a
  Vorhaben shows only while it is still `public` in a public, adopted (or archived) plan, so
  withdrawing takes effect at once, while anything new or changed waits for the release.
- Indicators: `Indicator.public`, only on released Vorhaben (and public goals).
- Decisions: `Decision.public`; the Vorhaben they concern is named only if it is public too.
- Participation: citizen surveys that are open (never staff pulse surveys, never drafts), and
  `ParticipationOpportunity.public` ones not yet over; their Vorhaben is named only if public.

Fields that are internal even on a public row (review notes, source files, responsible
people, budgets, status report texts, measurement notes) are never loaded into the context.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils import timezone

from leitwerk.core.access import require_allowed
from leitwerk.core.models import AuditLogEntry
from leitwerk.feedback.models import Survey, SurveyKind, SurveyStatus
from leitwerk.goals.models import Goal
from leitwerk.guidelines.models import (
    GuidelineDocument,
    GuidelineKind,
    GuidelineSection,
    GuidelineStatus,
)
from leitwerk.municipalities.models import Municipality
from leitwerk.plans.models import Initiative, PortalRelease
from leitwerk.plans.release import status_label
from leitwerk.plans.rollup import InitiativeProgress
from leitwerk.priorities.models import Decision

from . import easy_language
from .models import (
    AccessibilityCheck,
    CommentStatus,
    OpenDataSettings,
    ParticipationOpportunity,
    PortalSettings,
    PublicComment,
)


def newest_change_by_slug(*, slug: str) -> int | None:
    """Id of the municipality's newest audit entry (0 without any); None if there is no such
    municipality. Every service write is audited, so this changes with every change."""
    newest = AuditLogEntry.objects.filter(municipality=OuterRef("pk")).order_by("-id")
    found = list(
        Municipality.objects.filter(slug=slug)
        .annotate(newest=Subquery(newest.values("id")[:1]))
        .values_list("newest", flat=True)
    )
    return (found[0] or 0) if found else None


def municipality_by_slug(*, slug: str) -> Municipality:
    try:
        return Municipality.objects.get(slug=slug)
    except Municipality.DoesNotExist:
        raise Http404("Diese Kommune gibt es hier nicht.")


# --- Leitbild and goals -------------------------------------------------------------------


def adopted_guidelines(*, municipality: Municipality) -> list[GuidelineDocument]:
    """Adopted guideline documents, the Leitbild first, with sections and statements loaded.

    Drafts and archived versions never appear; a municipality may have adopted several
    documents (a Leitbild and Leitlinien der Zusammenarbeit, say).
    """
    sections = GuidelineSection.objects.order_by("order", "id").prefetch_related("statements")
    documents = list(
        GuidelineDocument.objects.for_municipality(municipality)
        .filter(status=GuidelineStatus.ADOPTED)
        .order_by("-valid_from", "-id")
        .prefetch_related(Prefetch("sections", queryset=sections))
    )
    documents.sort(key=lambda d: d.kind != GuidelineKind.LEITBILD)  # stable: keeps date order
    return documents


def public_goals(*, municipality: Municipality) -> list[Goal]:
    return list(
        Goal.objects.for_municipality(municipality)
        .visible_in_portal()
        .select_related("goal_field")
        .order_by("goal_field__order", "goal_field__code", "order", "code", "title")
    )


# --- Vorhaben: what the strategy office released ---------------------------------------------


@dataclass(frozen=True)
class PublicPlan:
    pk: int
    title: str
    period_start: dt.date | None
    period_end: dt.date | None
    released_at: dt.datetime


@dataclass(frozen=True)
class PublicActionField:
    pk: int
    code: str
    title: str

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


@dataclass(frozen=True)
class PublicMilestone:
    pk: int
    title: str
    due_date: dt.date | None
    done_on: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class PublicIndicator:
    title: str
    kind: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    target_date: dt.date | None
    direction: str
    latest_value: Decimal | None
    latest_on: dt.date | None


@dataclass(frozen=True)
class PublicGoal:
    code: str
    title: str


@dataclass
class PublicInitiative:
    """One released Vorhaben, as the portal shows it (plans/release.py wrote the data)."""

    pk: int
    number: str
    title: str
    objective: str
    description: str
    easy_summary: str
    status: str
    status_text: str
    plan: PublicPlan
    action_field: PublicActionField
    lead_unit_name: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    weight: Decimal
    progress_info: InitiativeProgress
    milestones: list[PublicMilestone]
    public_indicators: list[PublicIndicator]
    public_goals: list[PublicGoal]
    transfer_cities: list[str]
    public_decisions: list[Decision] = field(default_factory=list)

    @property
    def released_at(self) -> dt.datetime:
        return self.plan.released_at

    @property
    def milestones_done(self) -> int:
        return sum(1 for m in self.milestones if m.done_on)

    @property
    def milestones_total(self) -> int:
        return len(self.milestones)

    @property
    def next_milestone(self) -> PublicMilestone | None:
        upcoming = sorted(
            (m for m in self.milestones if not m.done_on and m.due_date),
            key=lambda m: m.due_date or dt.date.max,
        )
        return upcoming[0] if upcoming else None


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _dec(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _from_release(entry: dict[str, Any], plan: PublicPlan, today: dt.date) -> PublicInitiative:
    field_data = entry["action_field"]
    return PublicInitiative(
        pk=entry["id"],
        number=entry["number"],
        title=entry["title"],
        objective=entry["objective"],
        description=entry["description"],
        # Releases made before the Leichte-Sprache text was released carry none.
        easy_summary=entry.get("easy_summary", ""),
        status=entry["status"],
        status_text=status_label(entry["status"]),
        plan=plan,
        action_field=PublicActionField(
            pk=field_data["id"], code=field_data["code"], title=field_data["title"]
        ),
        lead_unit_name=entry["lead_unit"],
        start_date=_day(entry["start_date"]),
        end_date=_day(entry["end_date"]),
        weight=_dec(entry["weight"]) or Decimal(1),
        progress_info=InitiativeProgress(
            progress=entry["progress"],
            expected=entry["expected"],
            health=entry["health"],
            stale=entry["stale"],
            # Releases made before both statuses were released carry only the displayed one.
            calculated_health=entry.get("calculated_health") or entry["health"],
            owner_health=entry.get("owner_health"),
            owner_reported_on=_day(entry.get("owner_reported_on")),
            reason=entry.get("reason", ""),
            left_out=entry.get("left_out", ""),
        ),
        milestones=[
            PublicMilestone(
                pk=m["id"],
                title=m["title"],
                due_date=_day(m["due_date"]),
                done_on=_day(m["done_on"]),
                overdue=bool(
                    not m["done_on"] and m["due_date"] and _day(m["due_date"]) < today  # type: ignore[operator]
                ),
            )
            for m in entry["milestones"]
        ],
        public_indicators=[
            PublicIndicator(
                title=i["title"],
                kind=i["kind"],
                unit=i["unit"],
                baseline=_dec(i["baseline"]),
                target=_dec(i["target"]),
                target_date=_day(i["target_date"]),
                direction=i["direction"],
                latest_value=_dec(i["latest_value"]),
                latest_on=_day(i["latest_on"]),
            )
            for i in entry["indicators"]
        ],
        public_goals=[PublicGoal(code=g["code"], title=g["title"]) for g in entry["goals"]],
        transfer_cities=list(entry["transfer_cities"]),
    )


def public_initiatives(
    *, municipality: Municipality, today: dt.date, with_details: bool = True
) -> list[PublicInitiative]:
    """The released Vorhaben of every plan, as of each plan's newest release.

    Content and figures come from the release only, so nothing typed in the workspace shows
    before the strategy office releases it. Withdrawing is immediate: a Vorhaben or plan that
    is no longer public (or a plan no longer adopted) leaves the portal at once. Two queries,
    however many Vorhaben; `with_details` is kept for callers and changes nothing.
    """
    newest = PortalRelease.objects.filter(plan=OuterRef("plan")).order_by("-id").values("id")[:1]
    releases = list(
        PortalRelease.objects.for_municipality(municipality)
        .filter(id=Subquery(newest))
        .order_by("plan__title", "plan_id")
        .only("id", "plan_id", "released_at", "data")
    )
    if not releases:
        return []
    still_public = set(
        Initiative.objects.for_municipality(municipality)
        .visible_in_portal()
        .values_list("pk", flat=True)
    )
    found: list[PublicInitiative] = []
    for row in releases:
        header = row.data.get("plan", {})
        plan = PublicPlan(
            pk=row.plan_id,
            title=header.get("title", ""),
            period_start=_day(header.get("period_start")),
            period_end=_day(header.get("period_end")),
            released_at=row.released_at,
        )
        found += [
            _from_release(entry, plan, today)
            for entry in row.data.get("initiatives", [])
            if entry["id"] in still_public
        ]
    return found


def data_changed_at(
    *, municipality: Municipality, initiatives: list[PublicInitiative]
) -> dt.datetime:
    """When the public data of these Vorhaben last changed: their newest release.

    The open-data file states this instead of the time of the request, so its bytes, and with
    them its ETag, stay the same until the next release.
    """
    return max([municipality.updated_at] + [i.released_at for i in initiatives])


def public_initiative(
    *, municipality: Municipality, initiative_id: int, today: dt.date
) -> PublicInitiative:
    """One released Vorhaben of this municipality; 404 for anything else (other tenant too)."""
    found = [
        i
        for i in public_initiatives(municipality=municipality, today=today)
        if i.pk == initiative_id
    ]
    if not found:
        raise Http404("Dieses Vorhaben ist nicht öffentlich oder existiert nicht.")
    initiative = found[0]
    initiative.public_decisions = list(
        Decision.objects.for_municipality(municipality)
        .visible_in_portal()
        .filter(initiative_id=initiative_id)
        .select_related("body")
        .order_by("-decided_on", "-id")
    )
    return initiative


def released_titles(*, municipality: Municipality, ids: set[int]) -> dict[int, str]:
    """Titles of these Vorhaben as released, for the ones the portal shows."""
    if not ids:
        return {}
    return {
        i.pk: i.title
        for i in public_initiatives(municipality=municipality, today=timezone.localdate())
        if i.pk in ids
    }


# --- Decisions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InitiativeLink:
    """The public Vorhaben a decision or an opportunity concerns, with its released title."""

    id: int
    title: str


@dataclass(frozen=True)
class PublicDecision:
    decision: Decision
    initiative: InitiativeLink | None  # only when the Vorhaben is public too


def _links(municipality: Municipality, ids: set[int]) -> dict[int, InitiativeLink]:
    """The links to those of `ids` that are released Vorhaben."""
    titles = released_titles(municipality=municipality, ids=ids)
    return {pk: InitiativeLink(id=pk, title=title) for pk, title in titles.items()}


def public_decisions(*, municipality: Municipality) -> list[PublicDecision]:
    """Public decisions, each with the Vorhaben it concerns when that Vorhaben is public too."""
    decisions = list(
        Decision.objects.for_municipality(municipality)
        .visible_in_portal()
        .select_related("body")
        .order_by("-decided_on", "-id")
    )
    links = _links(municipality, {d.initiative_id for d in decisions if d.initiative_id})
    return [
        PublicDecision(
            decision=d, initiative=links.get(d.initiative_id) if d.initiative_id else None
        )
        for d in decisions
    ]


# --- Participation, calendar, news -------------------------------------------------------


def open_citizen_surveys(*, municipality: Municipality, today: dt.date) -> list[Survey]:
    return list(
        Survey.objects.for_municipality(municipality)
        .filter(kind=SurveyKind.CITIZEN, status=SurveyStatus.OPEN)
        .exclude(closes_on__lt=today)
        .select_related("service")
        .order_by("closes_on", "title")
    )


@dataclass(frozen=True)
class PublicOpportunity:
    opportunity: ParticipationOpportunity
    initiative: InitiativeLink | None  # only when the Vorhaben is public


def public_participation_opportunities(
    *, municipality: Municipality, now: dt.datetime
) -> list[PublicOpportunity]:
    """Public opportunities that have not ended yet, soonest first, each with the Vorhaben it
    belongs to when that Vorhaben is public."""
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    opportunities = list(
        ParticipationOpportunity.objects.for_municipality(municipality)
        .filter(Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=today_start))
        .filter(public=True)
        .order_by("starts_at", "title", "id")
    )
    links = _links(municipality, {o.initiative_id for o in opportunities if o.initiative_id})
    return [
        PublicOpportunity(
            opportunity=o, initiative=links.get(o.initiative_id) if o.initiative_id else None
        )
        for o in opportunities
    ]


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable across renders, so calendar clients update instead of duplicating
    date: dt.date
    kind: str  # start, end, milestone, survey_open, survey_close
    kind_label: str
    title: str  # self-explaining, for calendar apps: "Beginn: 1.2 Wartezeiten …"
    label: str  # without the kind, for the page where the kind has its own column
    initiative_id: int | None = None
    url_path: str = ""  # filled by the view, which knows the URLs
    extra: dict[str, Any] = field(default_factory=dict)
    # Participation opportunities have a time of day and a place; other events are all-day.
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    location: str = ""
    description: str = ""


def _initiative_events(initiative: PublicInitiative, slug: str) -> list[CalendarEvent]:
    """Start, planned end and open milestone dates of one Vorhaben."""
    events: list[CalendarEvent] = []
    name = f"{initiative.number} {initiative.title}".strip()
    if initiative.start_date:
        events.append(
            CalendarEvent(
                uid=f"vorhaben-{initiative.pk}-start@{slug}.leitwerk",
                date=initiative.start_date,
                kind="start",
                kind_label="Beginn",
                title=f"Beginn: {name}",
                label=name,
                initiative_id=initiative.pk,
            )
        )
    if initiative.end_date:
        events.append(
            CalendarEvent(
                uid=f"vorhaben-{initiative.pk}-ende@{slug}.leitwerk",
                date=initiative.end_date,
                kind="end",
                kind_label="Geplantes Ende",
                title=f"Geplantes Ende: {name}",
                label=name,
                initiative_id=initiative.pk,
            )
        )
    for milestone in initiative.milestones:
        if milestone.due_date and not milestone.done_on:
            events.append(
                CalendarEvent(
                    uid=f"meilenstein-{milestone.pk}@{slug}.leitwerk",
                    date=milestone.due_date,
                    kind="milestone",
                    kind_label="Meilenstein",
                    title=f"Meilenstein: {milestone.title} ({name})",
                    label=f"{milestone.title} ({name})",
                    initiative_id=initiative.pk,
                )
            )
    return events


def _survey_events(survey: Survey, slug: str) -> list[CalendarEvent]:
    events: list[CalendarEvent] = []
    if survey.opens_on:
        events.append(
            CalendarEvent(
                uid=f"umfrage-{survey.pk}-start@{slug}.leitwerk",
                date=survey.opens_on,
                kind="survey_open",
                kind_label="Umfrage beginnt",
                title=f"Umfrage beginnt: {survey.title}",
                label=survey.title,
                extra={"survey_id": survey.pk},
            )
        )
    if survey.closes_on:
        events.append(
            CalendarEvent(
                uid=f"umfrage-{survey.pk}-ende@{slug}.leitwerk",
                date=survey.closes_on,
                kind="survey_close",
                kind_label="Umfrage endet",
                title=f"Umfrage endet: {survey.title}",
                label=survey.title,
                extra={"survey_id": survey.pk},
            )
        )
    return events


def _opportunity_event(opportunity: ParticipationOpportunity, slug: str) -> CalendarEvent:
    starts_at = timezone.localtime(opportunity.starts_at)
    how = opportunity.how_to_take_part.strip()
    return CalendarEvent(
        uid=f"beteiligung-{opportunity.pk}@{slug}.leitwerk",
        date=starts_at.date(),
        kind="participation",
        kind_label="Beteiligung",
        title=f"Beteiligung: {opportunity.title}",
        label=opportunity.title,
        extra={"opportunity_id": opportunity.pk},
        starts_at=opportunity.starts_at,
        ends_at=opportunity.ends_at,
        location=opportunity.location,
        description="\n\n".join(part for part in (opportunity.description.strip(), how) if part),
    )


def calendar_events(
    *,
    municipality: Municipality,
    initiatives: list[PublicInitiative],
    surveys: list[Survey],
    opportunities: list[PublicOpportunity] | None = None,
) -> list[CalendarEvent]:
    """Starts, ends, open milestone dates of public Vorhaben, survey periods and participation
    opportunities (from `public_participation_opportunities`), by date."""
    slug = municipality.slug
    events: list[CalendarEvent] = []
    for initiative in initiatives:
        events.extend(_initiative_events(initiative, slug))
    for survey in surveys:
        events.extend(_survey_events(survey, slug))
    for row in opportunities or []:
        events.append(_opportunity_event(row.opportunity, slug))
    events.sort(key=lambda e: (e.date, e.title))
    return events


@dataclass(frozen=True)
class NewsItem:
    uid: str
    date: dt.date
    title: str
    text: str
    initiative_id: int
    initiative_title: str
    municipality_slug: str


def news_items(
    *,
    municipality: Municipality,
    initiatives: list[PublicInitiative],
    today: dt.date,
    limit: int = 50,
) -> list[NewsItem]:
    """Milestones reached (up to today) on public Vorhaben, newest first."""
    items: list[NewsItem] = []
    for initiative in initiatives:
        name = f"{initiative.number} {initiative.title}".strip()
        for milestone in initiative.milestones:
            if milestone.done_on and milestone.done_on <= today:
                items.append(
                    NewsItem(
                        uid=f"meilenstein-{milestone.pk}",
                        date=milestone.done_on,
                        title=f"Meilenstein erreicht: {milestone.title}",
                        text=f"Im Vorhaben „{name}“ ist der Meilenstein „{milestone.title}“ "
                        f"am {milestone.done_on:%d.%m.%Y} erreicht worden.",
                        initiative_id=initiative.pk,
                        initiative_title=name,
                        municipality_slug=municipality.slug,
                    )
                )
    items.sort(key=lambda n: (n.date, n.uid), reverse=True)
    return items[:limit]


# --- Open data ------------------------------------------------------------------------------


def open_data_settings(*, municipality: Municipality) -> OpenDataSettings:
    """The municipality's licence and contact; the defaults (unsaved) until someone sets them."""
    found = OpenDataSettings.objects.for_municipality(municipality).first()
    return found or OpenDataSettings(municipality=municipality)


# --- Leichte Sprache, accessibility statement, comments -------------------------------------


def portal_settings(*, municipality: Municipality) -> PortalSettings:
    """The municipality's portal settings; the defaults (unsaved) until someone saves them."""
    found = PortalSettings.objects.for_municipality(municipality).first()
    return found or PortalSettings(municipality=municipality)


def latest_accessibility_check(*, municipality: Municipality) -> AccessibilityCheck | None:
    return (
        AccessibilityCheck.objects.for_municipality(municipality)
        .order_by("-checked_at", "-id")
        .first()
    )


def site_facts(*, municipality: Municipality, today: dt.date) -> easy_language.SiteFacts:
    """What the generated Leichte-Sprache text says about the portal: released Vorhaben,
    public goals, an adopted Leitbild, open surveys."""
    return easy_language.SiteFacts(
        name=municipality.name,
        initiatives=len(public_initiatives(municipality=municipality, today=today)),
        goals=Goal.objects.for_municipality(municipality).visible_in_portal().count(),
        has_guideline=GuidelineDocument.objects.for_municipality(municipality)
        .filter(status=GuidelineStatus.ADOPTED)
        .exists(),
        surveys=len(open_citizen_surveys(municipality=municipality, today=today)),
        comments_enabled=portal_settings(municipality=municipality).comments_enabled,
    )


def easy_language_sections(
    *, municipality: Municipality, today: dt.date
) -> list[easy_language.EasySection]:
    """The municipality's own Leichte-Sprache text, or the one written from its data."""
    own = portal_settings(municipality=municipality).easy_language_text.strip()
    if own:
        return easy_language.own_sections(own)
    return easy_language.generated_sections(site_facts(municipality=municipality, today=today))


def published_comments(*, municipality: Municipality, initiative_id: int) -> list[PublicComment]:
    """Comments the administration released for this Vorhaben, oldest first."""
    return list(
        PublicComment.objects.for_municipality(municipality)
        .filter(initiative_id=initiative_id, status=CommentStatus.PUBLISHED)
        .order_by("received_on", "id")
    )


@dataclass(frozen=True)
class CommentRow:
    comment: PublicComment
    initiative_name: str
    overdue: bool


def comments_for_moderation(*, municipality: Municipality) -> list[CommentRow]:
    """Every comment of the municipality: waiting ones first (oldest first), then decided."""
    today = timezone.localdate()
    rows = list(
        PublicComment.objects.for_municipality(municipality)
        .select_related("initiative")
        .order_by("received_on", "id")
    )
    rows.sort(key=lambda c: c.status != CommentStatus.PENDING)
    return [
        CommentRow(
            comment=c,
            initiative_name=f"{c.initiative.number} {c.initiative.title}".strip(),
            overdue=not c.answered_on and c.due_on < today and c.status != CommentStatus.REJECTED,
        )
        for c in rows
    ]


def comment_for_moderation(*, municipality: Municipality, pk: int) -> PublicComment:
    """One comment of this municipality; 404 for a missing or foreign one."""
    found = (
        PublicComment.objects.for_municipality(municipality)
        .select_related("initiative")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("Diesen Kommentar gibt es nicht.")
    return found


@dataclass(frozen=True)
class ParticipationOverview:
    """The workspace list of participation opportunities: what is coming and what is over."""

    upcoming: list[ParticipationOpportunity]
    past: list[ParticipationOpportunity]


def participation_overview(
    *, user: Any, municipality: Municipality | None, now: dt.datetime | None = None
) -> ParticipationOverview:
    """Every opportunity of the municipality for the people who announce them (403 otherwise);
    an opportunity is over once its end (or, without an end, its start day) has passed."""
    require_allowed(user, "portal.change_participation", municipality)
    if municipality is None:  # require_allowed answered 404 already; this tells mypy
        raise Http404
    now = now or timezone.now()
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = list(
        ParticipationOpportunity.objects.for_municipality(municipality)
        .select_related("initiative")
        .order_by("starts_at", "title", "id")
    )
    upcoming: list[ParticipationOpportunity] = []
    past: list[ParticipationOpportunity] = []
    for row in rows:
        over = row.ends_at < now if row.ends_at else row.starts_at < today_start
        (past if over else upcoming).append(row)
    past.reverse()
    return ParticipationOverview(upcoming=upcoming, past=past)
