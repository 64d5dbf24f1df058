"""Turns a plan and a reference day into the plain data of a Sachstandsbericht.

The snapshot is a tree of dicts, lists, strings, numbers and None only, so it can be stored as
JSON next to the rendered file and rendered again later. It is deterministic: every list is
sorted by stable keys and the only dates in it are the reference day (`as_of`) and the day the
report was created, so the same data always gives the same snapshot.

Progress and health come from the controlling selectors; nothing here recomputes them.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from leitwerk.core.status import Health, reason_label
from leitwerk.goals.models import Goal
from leitwerk.plans import progress as rules
from leitwerk.plans.models import (
    ActionField,
    ActionPlan,
    Direction,
    Indicator,
    IndicatorKind,
    Initiative,
    InitiativeStatus,
    Measurement,
    Milestone,
    Resolution,
    StatusReport,
)
from leitwerk.plans.progress import InitiativeProgress, Rollup
from leitwerk.plans.rollup import progress_for_goals, progress_for_plan
from leitwerk.priorities.models import Decision

from . import charts, meeting

# 2: the meeting report (summary first, one compact block per Vorhaben, Vorlage fields);
# version 1 snapshots are still rendered with the long template they were made with.
SNAPSHOT_VERSION = 2

SCOPES = ("plan", "field", "unit", "deviations")

# Worst first: the report leads with what needs attention.
_HEALTH_ORDER = [
    Health.OFF_TRACK,
    Health.AT_RISK,
    Health.ON_TRACK,
    Health.DONE,
    Health.UNKNOWN,
]
_DEVIATING = {Health.AT_RISK.value, Health.OFF_TRACK.value}
# A stopped Vorhaben is no longer steered: it gets its own state instead of a progress figure or
# a traffic light, and the controlling roll-ups leave it out (see plans/progress.py).
STOPPED = "cancelled"


def _stopped_label() -> str:
    return str(InitiativeStatus.CANCELLED.label)


def health_label(value: str | None) -> str:
    try:
        return str(Health(value or Health.UNKNOWN).label)
    except ValueError:
        return str(Health.UNKNOWN.label)


def _percent(value: float | None) -> int | None:
    return None if value is None else max(0, min(100, round(float(value) * 100)))


def _num(value: Decimal | None) -> str | None:
    # Decimals as normalised strings: exact, and the same text on SQLite and PostgreSQL.
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _health_block(health: str) -> dict[str, str]:
    return {"health": health, "health_label": health_label(health)}


def _rollup_dict(rollup: Rollup) -> dict[str, Any]:
    counts = [
        {"health": h.value, "label": str(h.label), "count": rollup.counts.get(h.value, 0)}
        for h in _HEALTH_ORDER
        if rollup.counts.get(h.value, 0)
    ]
    return {
        "progress": _percent(rollup.progress),
        "expected": _percent(rollup.expected),
        **_health_block(rollup.health),
        "counts": counts,
        "stale": rollup.stale,
        "total": rollup.total,
    }


def _two_statuses(p: InitiativeProgress | None) -> dict[str, Any]:
    """The calculated health and the owner's latest assessment behind the shown Ampel."""
    if p is None:
        return {
            "calculated_health": Health.UNKNOWN.value,
            "calculated_health_label": health_label(Health.UNKNOWN),
            "calculated_reason": "",
            "owner_health": None,
            "owner_health_label": "",
            "owner_reported_on": None,
            "owner_note": "",
        }
    return {
        "calculated_health": p.calculated,
        "calculated_health_label": health_label(p.calculated),
        "calculated_reason": reason_label(p.reason),
        "owner_health": p.owner_health,
        "owner_health_label": health_label(p.owner_health) if p.owner_health else "",
        "owner_reported_on": _iso(p.owner_reported_on),
        "owner_note": p.owner_note,
    }


def _initiative_progress_dict(p: InitiativeProgress | None, *, stopped: bool) -> dict[str, Any]:
    if stopped:
        return {
            "progress": None,
            "expected": None,
            "health": STOPPED,
            "health_label": _stopped_label(),
            "stale": False,
            **_two_statuses(p),
        }
    if p is None:
        return {
            "progress": None,
            "expected": None,
            **_health_block(Health.UNKNOWN),
            "stale": False,
            **_two_statuses(p),
        }
    if p.left_out:
        # Paused: out of the roll-up, no percentage, its own state instead of an Ampel.
        return {
            "progress": None,
            "expected": None,
            "health": p.left_out,
            "health_label": str(InitiativeStatus(p.left_out).label),
            "stale": p.stale,
            **_two_statuses(p),
        }
    return {
        "progress": _percent(p.progress),
        "expected": _percent(p.expected),
        **_health_block(p.health),
        "stale": p.stale,
        **_two_statuses(p),
    }


def _initiative_key(initiative: Initiative) -> tuple:
    field = initiative.action_field
    return (field.order, field.code, field.pk, initiative.order, initiative.number, initiative.pk)


def _label(initiative: Initiative) -> str:
    return f"{initiative.number} {initiative.title}".strip()


def build_snapshot(
    *,
    plan: ActionPlan,
    as_of: dt.date,
    created_on: dt.date | None = None,
    climate_relevance: str = "",
    decisions_requested: str = "",
    title: str = "",
    scope: str = "plan",
    action_field_id: int | None = None,
    unit_id: int | None = None,
    since: dt.date | None = None,
    vorlage: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The report's data as of `as_of`. Pure reads; a fixed number of queries.

    `scope` narrows the Vorhaben shown: one action field, one lead unit, or (for "deviations")
    every Vorhaben in the figures but only the deviating ones as blocks. `since` is the day of
    the last report: "what changed since" compares the plan on both days (plans/history.py).
    """
    municipality = plan.municipality
    plan_progress = progress_for_plan(plan=plan, today=as_of)

    fields, initiatives, scope_label = _scoped(
        plan=plan,
        municipality=municipality,
        scope=scope,
        action_field_id=action_field_id,
        unit_id=unit_id,
    )
    by_id = {i.pk: i for i in initiatives}
    ids = list(by_id)
    snapshot = _facts(
        plan=plan,
        plan_progress=plan_progress,
        fields=fields,
        initiatives=initiatives,
        by_id=by_id,
        as_of=as_of,
        created_on=created_on,
        title=title,
        decisions_requested=decisions_requested,
        climate_relevance=climate_relevance,
    )
    action_fields = snapshot["action_fields"]
    indicators = snapshot["indicators"]
    deviations = snapshot["deviations"]
    snapshot["look"] = _look(municipality)
    snapshot["scope"] = {"kind": scope if scope in SCOPES else "plan", "label": scope_label}
    snapshot["vorlage"] = meeting.vorlage_dict(
        vorlage or {}, decisions_requested, climate_relevance
    )
    snapshot["blocks"] = meeting.blocks(
        action_fields,
        indicators,
        deviations,
        meeting.next_milestones(by_id, as_of),
        only_deviating=scope == "deviations",
    )
    snapshot["changes"] = meeting.changes_since(plan=plan, since=since, as_of=as_of, ids=set(ids))
    snapshot["summary"] = _summary(snapshot)
    snapshot["attention"] = meeting.attention(snapshot)
    snapshot["annexes"] = _annexes(snapshot)
    return snapshot


def _scoped(
    *,
    plan: ActionPlan,
    municipality: Any,
    scope: str,
    action_field_id: int | None,
    unit_id: int | None,
) -> tuple[list[ActionField], list[Initiative], str]:
    """The action fields and Vorhaben the report's scope shows, and the scope's label.

    Both lists are read in full and narrowed here, so every scope costs the same two queries.
    """
    fields = list(
        ActionField.objects.belonging_to(plan, via="plan").order_by("order", "code", "pk")
    )
    initiatives = sorted(
        Initiative.objects.filter(
            action_field__plan=plan, municipality=municipality
        ).select_related("action_field", "lead_unit"),
        key=_initiative_key,
    )
    scope_label = "ganzer Aktionsplan"
    if scope == "field" and action_field_id is not None:
        initiatives = [i for i in initiatives if i.action_field_id == action_field_id]
        fields = [f for f in fields if f.pk == action_field_id]
        scope_label = f"Aktionsfeld {fields[0]}" if fields else "Aktionsfeld"
    elif scope == "unit" and unit_id is not None:
        initiatives = [i for i in initiatives if i.lead_unit_id == unit_id]
        used = {i.action_field_id for i in initiatives}
        fields = [f for f in fields if f.pk in used]
        unit = next((i.lead_unit for i in initiatives if i.lead_unit), None)
        scope_label = f"federführend: {unit}" if unit else "eine Organisationseinheit"
    elif scope == "deviations":
        scope_label = "nur Vorhaben mit Abweichungen"
    return fields, initiatives, scope_label


def _facts(
    *,
    plan: ActionPlan,
    plan_progress: Any,
    fields: list[ActionField],
    initiatives: list[Initiative],
    by_id: dict[int, Initiative],
    as_of: dt.date,
    created_on: dt.date | None,
    title: str,
    decisions_requested: str,
    climate_relevance: str,
) -> dict[str, Any]:
    """The snapshot's sections read from the database, before the meeting's parts are added."""
    municipality = plan.municipality
    ids = list(by_id)

    initiative_rows = {i.pk: _initiative_row(i, plan_progress) for i in initiatives}
    action_fields = [
        _action_field_row(
            f,
            plan_progress,
            [initiative_rows[i.pk] for i in initiatives if i.action_field_id == f.pk],
        )
        for f in fields
    ]

    milestones = _milestones(ids, by_id, as_of)
    indicators = _indicators(ids, by_id, as_of)
    deviations = _deviations(initiatives, initiative_rows, as_of)
    decisions = _decisions(ids, by_id, as_of)
    goal_fields = _goal_fields(ids, municipality, as_of)
    finance = _finance(fields, initiatives)
    resolutions = _resolutions(plan, by_id)
    plan_dict = _plan_row(plan, plan_progress, initiative_rows)
    subject = title or f"Sachstandsbericht zum {plan.title}"
    snapshot: dict[str, Any] = {
        "version": SNAPSHOT_VERSION,
        "subject": subject,
        "municipality": {"name": municipality.name, "slug": municipality.slug},
        "as_of": as_of.isoformat(),
        "created_on": _iso(created_on),
        "plan": plan_dict,
        "action_fields": action_fields,
        "goal_fields": goal_fields,
        "milestones": milestones,
        "indicators": indicators,
        "deviations": deviations,
        "decisions": {"requested": decisions_requested.strip(), "recorded": decisions},
        "finance": finance,
        "climate_relevance": climate_relevance.strip(),
        "resolutions": resolutions,
    }
    return snapshot


def _look(municipality: Any) -> dict[str, str]:
    """The municipality's colour and logo (base64), kept in the snapshot so an archived
    report renders with the look it was made with."""
    from .models import ReportLook

    look = ReportLook.objects.filter(municipality=municipality).first()
    if look is None:
        return {"colour": "#0b5394", "logo_b64": "", "logo_type": ""}
    logo, kind = "", ""
    if look.logo:
        with look.logo.open("rb") as handle:
            content = handle.read()
        logo = base64.b64encode(content).decode("ascii")
        kind = "image/png" if content.startswith(b"\x89PNG") else "image/jpeg"
    return {"colour": look.colour, "logo_b64": logo, "logo_type": kind}


def _initiative_row(i: Initiative, plan_progress) -> dict[str, Any]:
    return {
        "id": i.pk,
        "number": i.number,
        "title": i.title,
        "label": _label(i),
        "status": i.status,
        "status_label": str(InitiativeStatus(i.status).label),
        "lead_unit": str(i.lead_unit) if i.lead_unit else "",
        "start_date": _iso(i.start_date),
        "end_date": _iso(i.end_date),
        "budget_eur": _num(i.budget_eur),
        "effort_person_days": _num(i.effort_person_days),
        "stopped": i.status == InitiativeStatus.CANCELLED,
        **_initiative_progress_dict(
            plan_progress.initiatives.get(i.pk),
            stopped=i.status == InitiativeStatus.CANCELLED,
        ),
    }


def _action_field_row(f: ActionField, plan_progress, rows: list[dict[str, Any]]) -> dict[str, Any]:
    rollup = plan_progress.action_fields.get(f.pk)
    return {
        "id": f.pk,
        "code": f.code,
        "title": f.title,
        "label": str(f),
        **(_rollup_dict(rollup) if rollup else _rollup_dict(rules.rollup_initiatives([]))),
        # `total` is what the roll-up considered; `count` is every Vorhaben of the field,
        # so the field table adds up to the number in the summary.
        "count": len(rows),
        "stopped": sum(1 for r in rows if r["stopped"]),
        "initiatives": rows,
    }


def _plan_row(
    plan: ActionPlan, plan_progress, initiative_rows: dict[int, dict[str, Any]]
) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "title": plan.title,
        "status_label": plan.get_status_display(),
        "period_start": _iso(plan.period_start),
        "period_end": _iso(plan.period_end),
        "adopted_on": _iso(plan.adopted_on),
        "adopted_by": str(plan.adopted_by) if plan.adopted_by_id else "",
        "adoption_reference": plan.adoption_reference,
        "reporting_interval_days": plan.reporting_interval_days,
        **_rollup_dict(plan_progress.plan),
        "count": len(initiative_rows),
        "stopped": sum(1 for r in initiative_rows.values() if r["stopped"]),
    }


def _resolutions(plan: ActionPlan, by_id: dict[int, Initiative]) -> list[dict[str, str]]:
    return [
        {
            "text": r.text,
            "initiative": _label(by_id[r.initiative_id]) if r.initiative_id in by_id else "",
        }
        for r in Resolution.objects.belonging_to(plan, via="plan").order_by("order", "pk")
    ]


def _milestones(ids: list[int], by_id: dict[int, Initiative], as_of: dt.date) -> dict[str, Any]:
    reached, overdue = [], []
    for m in Milestone.objects.belonging_to(by_id.values(), via="initiative").order_by("pk"):
        facts = rules.MilestoneFacts(weight=m.weight, due_date=m.due_date, done_on=m.done_on)
        row = {
            "title": m.title,
            "initiative": _label(by_id[m.initiative_id]),
            "due_date": _iso(m.due_date),
            "done_on": _iso(m.done_on) if rules.milestone_done(facts, as_of) else None,
            "success_factor": m.is_success_factor,
        }
        if rules.milestone_done(facts, as_of):
            reached.append(row)
        elif by_id[m.initiative_id].status == InitiativeStatus.CANCELLED:
            # The open milestones of a stopped Vorhaben will not be reached; they are not late.
            continue
        elif rules.has_overdue_milestone([facts], as_of):
            overdue.append(row)
    reached.sort(key=lambda r: (r["done_on"] or "", r["initiative"], r["title"]))
    overdue.sort(key=lambda r: (r["due_date"] or "", r["initiative"], r["title"]))
    return {"reached": reached, "overdue": overdue}


def _indicators(
    ids: list[int], by_id: dict[int, Initiative], as_of: dt.date
) -> list[dict[str, Any]]:
    indicators = sorted(
        Indicator.objects.belonging_to(by_id.values(), via="initiative"),
        # Indicators of goals are not asked for here: every one has its Vorhaben.
        key=lambda ind: (_initiative_key(by_id[ind.initiative_id or 0]), ind.order, ind.pk),
    )
    # Plain tuples (indicator, day, period, value): a 200-Vorhaben plan has thousands of
    # measurements, and model instances cost a third of the snapshot's CPU.
    values: dict[int, list[tuple[int, dt.date, str, Decimal]]] = defaultdict(list)
    for m in (
        Measurement.objects.belonging_to(indicators, via="indicator")
        .filter(measured_on__lte=as_of)
        .order_by("measured_on", "pk")
        .values_list("indicator_id", "measured_on", "period_label", "value")
    ):
        values[m[0]].append(m)
    result = []
    for ind in indicators:
        series = values.get(ind.pk, [])
        latest = series[-1][3] if series else None
        attainment = rules.indicator_attainment(
            kind=ind.kind,
            baseline=ind.baseline,
            target=ind.target,
            direction=ind.direction,
            latest_value=latest,
            checklist=ind.checklist,
        )
        row: dict[str, Any] = {
            "title": ind.title,
            "initiative": _label(by_id[ind.initiative_id or 0]),
            "kind_label": str(IndicatorKind(ind.kind).label),
            "unit": ind.unit,
            "baseline": _num(ind.baseline),
            "baseline_date": _iso(ind.baseline_date),
            "target": _num(ind.target),
            "target_date": _iso(ind.target_date),
            "direction_label": str(Direction(ind.direction).label),
            "latest": _num(latest),
            "attainment": _percent(attainment),
            "values": [
                {"date": day.isoformat(), "period": period, "value": _num(value)}
                for _ind, day, period, value in series
            ],
        }
        row["checklist"] = _checklist(ind.checklist) if ind.kind == IndicatorKind.CHECKLIST else []
        # The meeting report draws a small sparkline of the last values; the full series
        # stays in the snapshot for the XLSX (and archived version-1 snapshots keep their chart).
        row["sparkline_svg"] = charts.sparkline(row) if series else ""
        # Says what the sparkline shows (its last values), not the whole series.
        row["chart_alt"] = charts.sparkline_alt_text(row) if series else ""
        row["latest_date"] = series[-1][1].isoformat() if series else None
        result.append(row)
    return result


def _checklist(items: Any) -> list[dict[str, Any]]:
    # Same item shapes as the progress rules accept: {"text", "done"} or a bare string.
    if not isinstance(items, list):
        return []
    return [
        {"text": str(i.get("text", "")), "done": bool(i.get("done"))}
        if isinstance(i, dict)
        else {"text": str(i), "done": False}
        for i in items
    ]


def _deviations(
    initiatives: list[Initiative], rows: dict[int, dict[str, Any]], as_of: dt.date
) -> list[dict[str, Any]]:
    """Vorhaben behind schedule, with the explanation from their latest status report."""
    latest: dict[int, StatusReport] = {}
    for report in StatusReport.objects.filter(
        initiative_id__in=list(rows),
        municipality_id__in={i.municipality_id for i in initiatives},
        reported_on__lte=as_of,
    ).order_by("initiative_id", "-reported_on", "-pk"):
        latest.setdefault(report.initiative_id, report)
    result = []
    for i in initiatives:
        row = rows[i.pk]
        if row["stopped"]:
            # Stopping a Vorhaben is a decision, not a delay; it is listed as stopped instead.
            continue
        found = latest.get(i.pk)
        reported_deviation = found is not None and (
            found.health in _DEVIATING or bool(found.off_track_note.strip())
        )
        if row["health"] not in _DEVIATING and not reported_deviation:
            continue
        result.append(
            {
                "initiative": row["label"],
                **_health_block(row["health"]),
                "progress": row["progress"],
                "expected": row["expected"],
                "reported_on": _iso(found.reported_on) if found else None,
                "reported_health_label": health_label(found.health) if found else "",
                "status_text": found.text if found else "",
                "explanation": found.off_track_note.strip() if found else "",
            }
        )
    severity = {h.value: n for n, h in enumerate(_HEALTH_ORDER)}
    result.sort(key=lambda r: (severity.get(r["health"], 99), r["initiative"]))
    return result


def _decisions(ids: list[int], by_id: dict[int, Initiative], as_of: dt.date) -> list[dict]:
    decisions = Decision.objects.belonging_to(by_id.values(), via="initiative").filter(
        decided_on__lte=as_of
    )
    return [
        {
            "title": d.title,
            "kind_label": d.get_kind_display(),
            "decided_on": d.decided_on.isoformat(),
            "body": str(d.body) if d.body_id else "",
            "reference": d.reference,
            "justification": d.justification,
            "initiative": _label(by_id[d.initiative_id]) if d.initiative_id else "",
        }
        for d in sorted(
            decisions.select_related("body"), key=lambda d: (d.decided_on, d.title, d.pk)
        )
    ]


def _goal_fields(ids: list[int], municipality: Any, as_of: dt.date) -> list[dict[str, Any]]:
    """The goals this plan's Vorhaben serve, grouped by goal field."""
    goals = list(
        Goal.objects.filter(initiatives__in=ids, municipality=municipality)
        .distinct()
        .select_related("goal_field")
        .order_by("goal_field__order", "goal_field__code", "goal_field__pk", "order", "code", "pk")
    )
    progress = progress_for_goals(goals=goals, today=as_of)
    grouped: dict[int, dict[str, Any]] = {}
    for goal in goals:
        gf = goal.goal_field
        entry = grouped.setdefault(gf.pk, {"label": str(gf), "goals": [], "counts": {}})
        gp = progress[goal.pk]
        entry["goals"].append(
            {
                "label": str(goal),
                "target_date": _iso(goal.target_date),
                "progress": _percent(gp.progress),
                **_health_block(gp.health),
                "initiatives": gp.initiatives.total,
            }
        )
        entry["counts"][gp.health] = entry["counts"].get(gp.health, 0) + 1
    result = []
    for entry in grouped.values():
        entry["counts"] = [
            {"health": h.value, "label": str(h.label), "count": entry["counts"][h.value]}
            for h in _HEALTH_ORDER
            if entry["counts"].get(h.value)
        ]
        result.append(entry)
    return result


def _finance(fields: list[ActionField], initiatives: list[Initiative]) -> dict[str, Any]:
    """Budget and effort as planned in the Vorhaben, summed per action field."""
    rows = []
    total_budget, total_effort, missing = Decimal(0), Decimal(0), 0
    for f in fields:
        items = [i for i in initiatives if i.action_field_id == f.pk]
        budget = sum((i.budget_eur or Decimal(0) for i in items), Decimal(0))
        effort = sum((i.effort_person_days or Decimal(0) for i in items), Decimal(0))
        without = sum(1 for i in items if i.budget_eur is None)
        rows.append(
            {
                "label": str(f),
                "budget_eur": _num(budget),
                "effort_person_days": _num(effort),
                "without_budget": without,
                "initiatives": len(items),
            }
        )
        total_budget += budget
        total_effort += effort
        missing += without
    return {
        "fields": rows,
        "budget_eur": _num(total_budget),
        "effort_person_days": _num(total_effort),
        "without_budget": missing,
    }


def _summary(s: dict[str, Any]) -> list[str]:
    """Three to five plain sentences for the first page."""
    plan = s["plan"]
    n_initiatives = sum(f["count"] for f in s["action_fields"])
    stopped = plan["stopped"]
    sentences = [
        f"Der Plan „{plan['title']}“ umfasst {n_initiatives} Vorhaben "
        f"in {len(s['action_fields'])} Aktionsfeldern"
        + (
            f", davon {'ist' if stopped == 1 else 'sind'} {stopped} eingestellt."
            if stopped
            else "."
        )
    ]
    if plan["progress"] is None:
        sentences.append("Für den Fortschritt liegen noch keine Daten vor.")
    else:
        expected = (
            f" Nach Zeitplan wären {plan['expected']} % zu erwarten."
            if plan["expected"] is not None
            else ""
        )
        sentences.append(f"Umgesetzt sind {plan['progress']} %.{expected}")
    sentences.append(f"Gesamteinschätzung: {plan['health_label']}.")
    if plan["counts"]:
        parts = ", ".join(
            [f"{c['count']} {c['label']}" for c in plan["counts"]]
            + ([f"{stopped} {_stopped_label()}"] if stopped else [])
        )
        sentences.append(f"Die Vorhaben im Einzelnen: {parts}.")
    if plan["stale"]:
        verb = "hat" if plan["stale"] == 1 else "haben"
        sentences.append(f"{plan['stale']} Vorhaben {verb} keine aktuelle Sachstandsmeldung.")
    ms = s["milestones"]
    sentences.append(
        f"{len(ms['reached'])} Meilensteine sind erreicht, {len(ms['overdue'])} sind überfällig."
    )
    scope = s.get("scope", {})
    if scope.get("kind", "plan") != "plan":
        sentences.append(f"Dieser Bericht zeigt: {scope['label']}.")
    return sentences


def _annexes(s: dict[str, Any]) -> list[dict[str, str]]:
    # The measurement series are not printed (they were half of a 619-page document); they
    # are in the XLSX of the same report and in the open data.
    annexes = [
        {"key": "values", "title": "Alle Messwerte: in der XLSX-Fassung dieses Berichts"},
    ]
    if s["resolutions"]:
        annexes.append({"key": "resolutions", "title": "Vorsätze des Aktionsplans"})
    attachments = s.get("vorlage", {}).get("attachments", [])
    annexes += [{"key": "attachment", "title": title} for title in attachments]
    return [{"number": str(n), **a} for n, a in enumerate(annexes, start=1)]


def snapshot_json(snapshot: dict[str, Any]) -> str:
    """Canonical JSON: sorted keys, no extra whitespace, so equal data gives equal text."""
    return json.dumps(
        snapshot, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def snapshot_digest(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(snapshot_json(snapshot).encode("utf-8")).hexdigest()
