"""Reads of reports for a signed-in person, always scoped to one municipality."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from leitwerk.municipalities.models import Body, Role
from leitwerk.plans.models import ActionPlan, PlanStatus

from .models import Consultation, Report, ReportLook, ReportSchedule, ReportStatus

if TYPE_CHECKING:
    from leitwerk.accounts.models import User
    from leitwerk.municipalities.models import Municipality


@dataclass(frozen=True)
class ScheduleRow:
    schedule: ReportSchedule
    upcoming: list[dt.date]
    next_run: dt.date | None


@dataclass(frozen=True)
class BriefingItem:
    agenda_item: str
    report: Report


@dataclass(frozen=True)
class BriefingBook:
    """The reports of one meeting: in the book (finished) and left out (not finished yet)."""

    body: Body
    day: dt.date
    items: list[BriefingItem]
    left_out: list[Report]


def may_view_reports(*, user: User, municipality: Municipality) -> bool:
    # `not municipality` rather than `is None`: request.municipality is a lazy object.
    return bool(municipality) and user.has_perm("reports.view_report", municipality)


def may_create_reports(*, user: User, municipality: Municipality) -> bool:
    return bool(municipality) and user.has_perm("reports.add_report", municipality)


def report_list_for_user(*, user: User, municipality: Municipality) -> QuerySet[Report]:
    """The archive of the municipality; Http404 for people without the right to read it."""
    if not may_view_reports(user=user, municipality=municipality):
        raise Http404
    return (
        Report.objects.for_municipality(municipality)
        .select_related("plan", "created_by")
        .defer("snapshot")
        .order_by("-created_at", "-id")
    )


def report_get_for_user(*, user: User, municipality: Municipality, pk: int) -> Report:
    """One report of the municipality; Http404 if missing, foreign or not allowed."""
    if not may_view_reports(user=user, municipality=municipality):
        raise Http404
    report = (
        Report.objects.for_municipality(municipality)
        .select_related("plan", "created_by")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    return report


def plans_for_reports(*, municipality: Municipality) -> QuerySet[ActionPlan]:
    return ActionPlan.objects.for_municipality(municipality).order_by("-period_start", "title")


def default_plan(*, municipality: Municipality) -> ActionPlan | None:
    """The newest adopted plan, else the newest plan of the municipality."""
    plans = ActionPlan.objects.for_municipality(municipality)
    newest = ("-adopted_on", "-period_start", "-created_at", "-pk")
    return (
        plans.filter(status=PlanStatus.ADOPTED).order_by(*newest).first()
        or plans.order_by("-period_start", "-created_at", "-pk").first()
    )


def schedules_for_user(*, user: User, municipality: Municipality) -> list[ScheduleRow]:
    """The municipality's report schedules with the day each makes its next report."""
    if not may_view_reports(user=user, municipality=municipality):
        raise Http404
    today = timezone.localdate()
    rows = (
        ReportSchedule.objects.for_municipality(municipality)
        .select_related("plan", "body")
        .prefetch_related("recipients")
        .order_by("body__name", "pk")
    )
    return [
        ScheduleRow(
            schedule=s,
            upcoming=[d for d in s.dates if d >= today],
            next_run=s.next_run(today),
        )
        for s in rows
    ]


def schedule_get_for_user(*, user: User, municipality: Municipality, pk: int) -> ReportSchedule:
    """A schedule to change: 404 if missing, foreign or unseen; 403 for readers."""
    if not may_view_reports(user=user, municipality=municipality):
        raise Http404
    schedule = ReportSchedule.objects.for_municipality(municipality).filter(pk=pk).first()
    if schedule is None:
        raise Http404
    if not may_create_reports(user=user, municipality=municipality):
        raise PermissionDenied
    return schedule


def schedule_people(*, municipality: Municipality) -> QuerySet[Any]:
    """Who may be notified of a scheduled report: the people who may read reports here."""
    from leitwerk.accounts.models import User as UserModel

    return (
        UserModel.objects.filter(
            is_active=True,
            memberships__municipality=municipality,
            memberships__role__in=[Role.ADMIN, Role.STRATEGY, Role.COUNCIL, Role.VIEWER],
        )
        .distinct()
        .order_by("email")
    )


def _agenda_key(item: str) -> tuple[int, str]:
    # "TOP 5" before "TOP 12": the number first, then the text; items without a number last.
    digits = "".join(ch for ch in item if ch.isdigit())
    return (int(digits) if digits else 10**6, item)


def briefing_book_for_user(
    *, user: User, municipality: Municipality, body_id: int, day: dt.date
) -> BriefingBook:
    """The finished reports on the agenda of one meeting of one body, in agenda order."""
    if not may_view_reports(user=user, municipality=municipality):
        raise Http404
    body = Body.objects.for_municipality(municipality).filter(pk=body_id).first()
    if body is None:
        raise Http404
    consultations = (
        Consultation.objects.for_municipality(municipality)
        .filter(body=body, meeting_date=day)
        .select_related("report__plan")
        .order_by("pk")
    )
    seen: set[int] = set()
    items, waiting = [], []
    for c in sorted(consultations, key=lambda c: (_agenda_key(c.agenda_item), c.report_id)):
        if c.report_id in seen:
            continue
        seen.add(c.report_id)
        if c.report.status == ReportStatus.DONE and c.report.snapshot.get("version", 1) >= 2:
            items.append(BriefingItem(agenda_item=c.agenda_item, report=c.report))
        else:
            waiting.append(c.report)
    return BriefingBook(body=body, day=day, items=items, left_out=waiting)


def meeting_choices(*, user: User, municipality: Municipality) -> list[tuple[Body, dt.date, int]]:
    """Meetings that have reports on their agenda (body, day, number), newest first."""
    if not may_view_reports(user=user, municipality=municipality):
        raise Http404
    rows = (
        Consultation.objects.for_municipality(municipality)
        .values_list("body_id", "meeting_date")
        .order_by("-meeting_date", "body_id")
    )
    counts: dict[tuple[int, dt.date], int] = {}
    for key in rows:
        counts[key] = counts.get(key, 0) + 1
    bodies = {b.pk: b for b in Body.objects.for_municipality(municipality)}
    return [(bodies[b], d, n) for (b, d), n in counts.items() if b in bodies][:20]


def report_look(*, municipality: Municipality) -> ReportLook | None:
    return ReportLook.objects.for_municipality(municipality).first()
