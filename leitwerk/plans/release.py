"""Freigabe: the public content of a plan, frozen as plain data (PortalRelease.data).

The portal shows the newest release of each plan, never the live rows (docs/ROLLUP.md,
"Freigabe"). This module builds that data from the live rows, and compares it with what was
released, so the workspace can say what changed since. Only public parts are read: Vorhaben
that are public in a public, adopted (or archived) plan, their public indicators and goals;
never budgets, responsible people, notes or status report texts.

The format is JSON: dates as ISO strings, decimals as strings (no float rounding), progress
as a fraction rounded to four places.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import DateField as ModelDateField
from django.db.models import DecimalField as ModelDecimalField
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from leitwerk.core.audit import audit
from leitwerk.core.scoping import tenant_guard
from leitwerk.goals.models import Goal

from .models import (
    ActionPlan,
    Indicator,
    Initiative,
    InitiativeStatus,
    Measurement,
    Milestone,
    PlanStatus,
    PortalRelease,
)
from .rollup import progress_for_initiatives

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

FORMAT = 1

# What the workspace names when a Vorhaben differs from its release ("Änderungen seit der
# letzten Freigabe"). Expected progress and staleness move with the calendar, not with edits,
# so they are not listed; the portal shows them as of the release.
CHANGE_LABELS = {
    "number": "Nummer",
    "title": "Titel",
    "objective": "Zielsetzung",
    "description": "Beschreibung",
    "easy_summary": "Leichte Sprache",
    "status": "Status",
    "action_field": "Aktionsfeld",
    "lead_unit": "Zuständig",
    "start_date": "Beginn",
    "end_date": "Ende",
    "weight": "Gewicht",
    "progress": "Fortschritt",
    "health": "Zustand",
    "milestones": "Meilensteine",
    "indicators": "Indikatoren",
    "goals": "Ziele",
    "transfer_cities": "Wir lernen von",
}
# Keys releases made before they existed do not carry: their value then, so an upgrade alone
# does not list every Vorhaben as changed.
ADDED_LATER = {"easy_summary": ""}
PLAN_CHANGE_LABELS = {
    "title": "Titel des Plans",
    "period_start": "Laufzeit von",
    "period_end": "Laufzeit bis",
}


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _fraction(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def is_publishable(plan: ActionPlan) -> bool:
    """Only a public plan the council adopted (or archived after) has public content."""
    return plan.public and plan.status in (PlanStatus.ADOPTED, PlanStatus.ARCHIVED)


class _Latest(TypedDict):
    latest_value: Decimal | None
    latest_on: dt.date | None


if TYPE_CHECKING:
    # An indicator with its latest measurement (the annotations of `_public_indicators`); the
    # plan models' own querysets do not carry annotations into their rows for mypy.
    _PublicIndicator = WithAnnotations[Indicator, _Latest]


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


def _public_initiatives(plan: ActionPlan, pk: int | None = None) -> list[Initiative]:
    """The plan's public Vorhaben with what the portal shows; only Vorhaben `pk` if given.

    Their indicators and goals are prefetched filtered: on these rows, which serve only the
    release, `indicators.all()` and `goals.all()` are the public ones.
    """
    if not is_publishable(plan):
        return []
    only = {"pk": pk} if pk is not None else {}
    return list(
        Initiative.objects.for_municipality(plan.municipality_id)
        .visible_in_portal()
        .filter(action_field__plan=plan, **only)
        .select_related("action_field", "action_field__plan", "lead_unit")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("order", "due_date", "id")),
            Prefetch("indicators", queryset=_public_indicators()),
            Prefetch("goals", queryset=Goal.objects.visible_in_portal().order_by("order", "code")),
            "transfer_cities",
        )
        .order_by("action_field__order", "action_field_id", "order", "number", "id")
    )


def _entry(initiative: Initiative, info: Any) -> dict[str, Any]:
    field = initiative.action_field
    return {
        "id": initiative.pk,
        "number": initiative.number,
        "title": initiative.title,
        "objective": initiative.objective,
        "description": initiative.description,
        "easy_summary": initiative.easy_summary,
        "status": initiative.status,
        "action_field": {
            "id": field.pk,
            "code": field.code,
            "title": field.title,
            "order": field.order,
        },
        "lead_unit": initiative.lead_unit.name if initiative.lead_unit else None,
        "start_date": _date(initiative.start_date),
        "end_date": _date(initiative.end_date),
        "weight": _decimal(initiative.weight),
        "order": initiative.order,
        "progress": _fraction(info.progress) if info else None,
        "expected": _fraction(info.expected) if info else None,
        "health": str(info.health) if info else "unknown",
        # Both statuses behind the displayed Ampel, as released (never the report's text).
        "calculated_health": str(info.calculated) if info else "unknown",
        "owner_health": info.owner_health if info else None,
        "owner_reported_on": _date(info.owner_reported_on) if info else None,
        "reason": info.reason if info else "",
        "left_out": info.left_out if info else "",
        "stale": bool(info.stale) if info else False,
        "milestones": [
            {
                "id": m.pk,
                "title": m.title,
                "due_date": _date(m.due_date),
                "done_on": _date(m.done_on),
            }
            for m in initiative.milestones.all()
        ],
        "indicators": [
            {
                "id": i.pk,
                "title": i.title,
                "kind": i.kind,
                "unit": i.unit,
                "baseline": _decimal(i.baseline),
                "target": _decimal(i.target),
                "target_date": _date(i.target_date),
                "direction": i.direction,
                "latest_value": _decimal(i.latest_value),
                "latest_on": _date(i.latest_on),
            }
            for i in cast("list[_PublicIndicator]", list(initiative.indicators.all()))
        ],
        "goals": [{"id": g.pk, "code": g.code, "title": g.title} for g in initiative.goals.all()],
        "transfer_cities": [c.name for c in initiative.transfer_cities.all()],
    }


def _plan_header(plan: ActionPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "title": plan.title,
        "period_start": _date(plan.period_start),
        "period_end": _date(plan.period_end),
    }


def _sort_key(entry: dict[str, Any]) -> tuple[Any, ...]:
    field = entry["action_field"]
    return (field["order"], field["id"], entry["order"], entry["number"], entry["id"])


def plan_snapshot(*, plan: ActionPlan, today: dt.date) -> dict[str, Any]:
    """The portal's content of this plan as it would be released now (a fixed number of
    queries, however many Vorhaben)."""
    initiatives = _public_initiatives(plan)
    infos = progress_for_initiatives(initiatives=initiatives, today=today)
    return {
        "format": FORMAT,
        "computed_on": today.isoformat(),
        "plan": _plan_header(plan),
        "initiatives": [_entry(i, infos.get(i.pk)) for i in initiatives],
    }


def initiative_entry(*, initiative: Initiative, today: dt.date) -> dict[str, Any] | None:
    """The portal's content of one Vorhaben as it would be released now; None when it is not
    public (not public itself, or its plan not public and adopted)."""
    plan = initiative.action_field.plan
    # Only this Vorhaben: loading the plan's 200 to pick one was half the profile's time.
    found = _public_initiatives(plan, pk=initiative.pk)
    if not found:
        return None
    infos = progress_for_initiatives(initiatives=found, today=today)
    return _entry(found[0], infos.get(initiative.pk))


def with_initiative(
    released: dict[str, Any] | None,
    *,
    plan: ActionPlan,
    initiative_id: int,
    entry: dict[str, Any] | None,
    today: dt.date,
) -> dict[str, Any]:
    """The released data with one Vorhaben replaced by `entry` (removed when None); all other
    Vorhaben stay as released. Without an earlier release the plan starts empty."""
    base = released if released and not released.get("pending") else None
    base = base or {
        "format": FORMAT,
        "plan": _plan_header(plan),
        "initiatives": [],
    }
    others = [e for e in base.get("initiatives", []) if e["id"] != initiative_id]
    if entry is not None and is_publishable(plan):
        others.append(entry)
    others.sort(key=_sort_key)
    return {**base, "computed_on": today.isoformat(), "initiatives": others}


def newest_release(plan: ActionPlan) -> PortalRelease | None:
    return (
        PortalRelease.objects.filter(municipality_id=plan.municipality_id, plan=plan)
        .select_related("released_by")
        .order_by("-id")
        .first()
    )


def entry_changes(released: dict[str, Any] | None, current: dict[str, Any] | None) -> list[str]:
    """German names of what differs between a released Vorhaben and its state now."""
    if released is None and current is None:
        return []
    if released is None:
        return ["noch nicht im Portal"]
    if current is None:
        return ["nicht mehr öffentlich"]
    return [
        label
        for key, label in CHANGE_LABELS.items()
        if released.get(key, ADDED_LATER.get(key)) != current.get(key)
    ]


def plan_changes(released: dict[str, Any] | None, current: dict[str, Any]) -> list[str]:
    """German lines naming what differs between a plan's release and its state now."""
    if released is not None and released.get("pending"):
        released = None
    if released is None:
        count = len(current["initiatives"])
        return [f"Noch nie freigegeben ({count} öffentliche Vorhaben)."] if count else []
    lines = [
        f"{label} geändert"
        for key, label in PLAN_CHANGE_LABELS.items()
        if released["plan"].get(key) != current["plan"].get(key)
    ]
    before = {e["id"]: e for e in released["initiatives"]}
    now = {e["id"]: e for e in current["initiatives"]}
    for entry_id in sorted(set(before) | set(now), key=lambda k: _sort_key((now | before)[k])):
        changed = entry_changes(before.get(entry_id), now.get(entry_id))
        if changed:
            entry = now.get(entry_id) or before[entry_id]
            name = f"{entry['number']} {entry['title']}".strip()
            lines.append(f"{name}: {', '.join(changed)}")
    return lines


def status_label(status: str) -> str:
    try:
        return str(InitiativeStatus(status).label)
    except ValueError:
        return status


def complete_pending_releases(*, today: dt.date | None = None) -> int:
    """Fill the first releases that migration 0007 marked; returns how many.

    Runs after `migrate` (plans/apps.py), when the models match the tables. Audited without
    a person: it carries over what the portal showed before releases existed.
    """
    today = today or timezone.localdate()
    done = 0
    with tenant_guard(on=False):
        for row in PortalRelease.objects.filter(data__pending=True).select_related("plan"):
            row.data = plan_snapshot(plan=row.plan, today=today)
            row.save(update_fields=["data", "updated_at"])
            audit(actor=None, action="plan.release", target=row.plan, data={"release": row.pk})
            done += 1
    return done
