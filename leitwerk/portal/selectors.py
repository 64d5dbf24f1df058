"""Reads for the public portal: only rows a municipality has published, nothing else.

Every function here is the single place that decides what "public" means for its kind of
row, so pages, feeds, the sitemap and the open data all show exactly the same things
(catalogue A7). The rules:

- Leitbild: documents with status "adopted" only (no drafts, no archived versions).
- Goals: `Goal.public`.
- Vorhaben: `Initiative.public` and its plan `public` and not a draft.
- Indicators: `Indicator.public`, and only on public Vorhaben or public goals.
- Decisions: `Decision.public`; the Vorhaben they concern is named only if it is public too.
- Participation: citizen surveys that are open (never staff pulse surveys, never drafts), and
  `ParticipationOpportunity.public` ones not yet over; their Vorhaben is named only if public.

Fields that are internal even on a public row (review notes, source files, responsible
people, budgets, status report texts, measurement notes) are never loaded into the context.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import DateField as ModelDateField
from django.db.models import DecimalField as ModelDecimalField
from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from leitwerk.core.models import AuditLogEntry
from leitwerk.core.status import Health
from leitwerk.feedback.models import Survey, SurveyKind, SurveyStatus
from leitwerk.goals.models import Goal
from leitwerk.guidelines.models import (
    GuidelineDocument,
    GuidelineKind,
    GuidelineSection,
    GuidelineStatus,
)
from leitwerk.municipalities.models import Municipality
from leitwerk.plans.models import Indicator, Initiative, Measurement, Milestone
from leitwerk.plans.rollup import InitiativeProgress, progress_for_initiatives
from leitwerk.priorities.models import Decision

from .models import OpenDataSettings, ParticipationOpportunity

UNKNOWN_PROGRESS = InitiativeProgress(None, None, Health.UNKNOWN, False)


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


# --- Vorhaben ----------------------------------------------------------------------------


def _public_initiatives(municipality: Municipality) -> QuerySet[Initiative]:
    return Initiative.objects.for_municipality(municipality).visible_in_portal()


def _public_indicators() -> QuerySet[Indicator]:
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on", "-id")
    return (
        Indicator.objects.visible_in_portal()
        .annotate(
            latest_value=Subquery(
                latest.values("value")[:1],
                output_field=ModelDecimalField(max_digits=16, decimal_places=4),
            ),
            latest_on=Subquery(latest.values("measured_on")[:1], output_field=ModelDateField()),
        )
        .order_by("order", "id")
    )


def public_initiatives(
    *, municipality: Municipality, today: dt.date, with_details: bool = True
) -> list[Initiative]:
    """Public Vorhaben with `.progress_info`, milestones, public indicators and public goals.

    A fixed number of queries, however many Vorhaben there are.
    """
    queryset = _public_initiatives(municipality).select_related(
        "action_field", "action_field__plan", "lead_unit"
    )
    if with_details:
        queryset = queryset.prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("order", "due_date", "id")),
            Prefetch("indicators", queryset=_public_indicators(), to_attr="public_indicators"),
            Prefetch(
                "goals",
                queryset=Goal.objects.visible_in_portal().order_by("order", "code"),
                to_attr="public_goals",
            ),
        )
    initiatives = list(
        queryset.order_by(
            # Plan and field ids break ties, so pages can group consecutive rows.
            "action_field__plan__title",
            "action_field__plan_id",
            "action_field__order",
            "action_field_id",
            "order",
            "number",
            "id",
        )
    )
    infos = progress_for_initiatives(initiatives=initiatives, today=today)
    for initiative in initiatives:
        initiative.progress_info = infos.get(initiative.pk, UNKNOWN_PROGRESS)  # type: ignore[attr-defined]
    return initiatives


def data_changed_at(*, municipality: Municipality, initiatives: list[Initiative]) -> dt.datetime:
    """When the public data of these Vorhaben (from `public_initiatives`) last changed.

    The open-data file states this instead of the time of the request, so its bytes, and with
    them its ETag, stay the same until the data changes (one extra query, for measurements).
    """
    stamps = [municipality.updated_at]
    indicator_ids = []
    for i in initiatives:
        stamps += [i.updated_at, i.action_field.updated_at, i.action_field.plan.updated_at]
        if i.lead_unit is not None:
            stamps.append(i.lead_unit.updated_at)
        stamps += [m.updated_at for m in i.milestones.all()]
        stamps += [g.updated_at for g in getattr(i, "public_goals", [])]
        for indicator in getattr(i, "public_indicators", []):
            stamps.append(indicator.updated_at)
            indicator_ids.append(indicator.pk)
    if indicator_ids:
        newest = Measurement.objects.filter(
            indicator_id__in=indicator_ids, municipality=municipality
        ).aggregate(newest=Max("updated_at"))["newest"]
        if newest is not None:
            stamps.append(newest)
    return max(stamps)


def public_initiative(
    *, municipality: Municipality, initiative_id: int, today: dt.date
) -> Initiative:
    """One public Vorhaben of this municipality; 404 for anything else (other tenant included)."""
    initiative = (
        _public_initiatives(municipality)
        .select_related("action_field", "action_field__plan", "lead_unit")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("order", "due_date", "id")),
            Prefetch("indicators", queryset=_public_indicators(), to_attr="public_indicators"),
            Prefetch(
                "goals",
                queryset=Goal.objects.visible_in_portal().order_by("order", "code"),
                to_attr="public_goals",
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.visible_in_portal().select_related("body"),
                to_attr="public_decisions",
            ),
            "transfer_cities",
        )
        .filter(pk=initiative_id)
        .first()
    )
    if initiative is None:
        raise Http404("Dieses Vorhaben ist nicht öffentlich oder existiert nicht.")
    infos = progress_for_initiatives(initiatives=[initiative], today=today)
    initiative.progress_info = infos.get(initiative.pk, UNKNOWN_PROGRESS)  # type: ignore[attr-defined]
    return initiative


# --- Decisions ---------------------------------------------------------------------------


def public_decisions(*, municipality: Municipality) -> list[Decision]:
    """Public decisions; `.public_initiative` is set only when the Vorhaben is public too."""
    decisions = list(
        Decision.objects.for_municipality(municipality)
        .visible_in_portal()
        .select_related("body")
        .order_by("-decided_on", "-id")
    )
    public_ids = set(
        _public_initiatives(municipality)
        .filter(pk__in={d.initiative_id for d in decisions if d.initiative_id})
        .values_list("pk", flat=True)
    )
    titles = dict(
        Initiative.objects.filter(pk__in=public_ids, municipality=municipality).values_list(
            "pk", "title"
        )
    )
    for decision in decisions:
        decision.public_initiative_id = (
            decision.initiative_id if decision.initiative_id in public_ids else None
        )
        decision.public_initiative_title = titles.get(decision.public_initiative_id, "")
    return decisions


# --- Participation, calendar, news -------------------------------------------------------


def open_citizen_surveys(*, municipality: Municipality, today: dt.date) -> list[Survey]:
    return list(
        Survey.objects.for_municipality(municipality)
        .filter(kind=SurveyKind.CITIZEN, status=SurveyStatus.OPEN)
        .exclude(closes_on__lt=today)
        .select_related("service")
        .order_by("closes_on", "title")
    )


def public_participation_opportunities(
    *, municipality: Municipality, now: dt.datetime
) -> list[ParticipationOpportunity]:
    """Public opportunities that have not ended yet, soonest first.

    `.public_initiative_id` and `.public_initiative_title` are set only for a public Vorhaben.
    """
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    opportunities = list(
        ParticipationOpportunity.objects.for_municipality(municipality)
        .filter(Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=today_start))
        .filter(public=True)
        .order_by("starts_at", "title", "id")
    )
    wanted = {o.initiative_id for o in opportunities if o.initiative_id}
    titles = (
        dict(_public_initiatives(municipality).filter(pk__in=wanted).values_list("pk", "title"))
        if wanted
        else {}
    )
    for opportunity in opportunities:
        opportunity.public_initiative_id = (  # type: ignore[attr-defined]
            opportunity.initiative_id if opportunity.initiative_id in titles else None
        )
        opportunity.public_initiative_title = titles.get(opportunity.initiative_id, "")  # type: ignore[attr-defined]
    return opportunities


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


def _initiative_events(initiative: Initiative, slug: str) -> list[CalendarEvent]:
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
    for milestone in initiative.milestones.all():
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
    initiatives: list[Initiative],
    surveys: list[Survey],
    opportunities: list[ParticipationOpportunity] | None = None,
) -> list[CalendarEvent]:
    """Starts, ends, open milestone dates of public Vorhaben, survey periods and participation
    opportunities (from `public_participation_opportunities`), by date."""
    slug = municipality.slug
    events: list[CalendarEvent] = []
    for initiative in initiatives:
        events.extend(_initiative_events(initiative, slug))
    for survey in surveys:
        events.extend(_survey_events(survey, slug))
    for opportunity in opportunities or []:
        events.append(_opportunity_event(opportunity, slug))
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
    *, municipality: Municipality, initiatives: list[Initiative], today: dt.date, limit: int = 50
) -> list[NewsItem]:
    """Milestones reached (up to today) on public Vorhaben, newest first."""
    items: list[NewsItem] = []
    for initiative in initiatives:
        name = f"{initiative.number} {initiative.title}".strip()
        for milestone in initiative.milestones.all():
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
