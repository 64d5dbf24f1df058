"""Reads of reports for a signed-in person, always scoped to one municipality."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from leitwerk.plans.models import ActionPlan, PlanStatus

from .models import Report

if TYPE_CHECKING:
    from leitwerk.accounts.models import User
    from leitwerk.municipalities.models import Municipality


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
