"""The parts of a report shaped for a meeting: what needs attention first, one compact block per
Vorhaben, what changed since the last report, and the Sitzungsvorlage fields.

Everything here returns plain JSON data for the snapshot (see builder.py); the renderers only
read it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from leitwerk.core.status import Health
from leitwerk.plans import history
from leitwerk.plans import progress as rules
from leitwerk.plans.models import ActionPlan, Initiative, InitiativeStatus, Milestone

from .models import VorlageKind

# Worst first; a change from a later to an earlier entry is a change for the worse.
_SEVERITY = [
    Health.OFF_TRACK.value,
    Health.AT_RISK.value,
    Health.UNKNOWN.value,
    Health.ON_TRACK.value,
    Health.DONE.value,
]
LIST_LIMIT = 12  # names listed per summary item; the rest are counted


def vorlage_dict(
    fields: dict[str, Any], decisions_requested: str, climate_relevance: str
) -> dict[str, Any]:
    """The Sitzungsvorlage fields as German council information systems ask for them.

    Keys: subject (Betreff), kind (Vorlagenart), lead_unit (federführende Stelle),
    consultations (Beratungsfolge: body, date, agenda item), proposal (Beschlussvorschlag),
    facts (Sachverhalt), finance (finanzielle Auswirkungen), climate (Klimarelevanz),
    attachments (Anlagen). The DOCX writes them 1:1 in this order.
    """
    kind = fields.get("kind") or (
        VorlageKind.DECISION if decisions_requested.strip() else VorlageKind.INFO
    )
    if kind not in VorlageKind.values:
        kind = VorlageKind.INFO
    return {
        "subject": str(fields.get("subject") or "").strip(),
        "kind": kind,
        "kind_label": str(VorlageKind(kind).label),
        "lead_unit": str(fields.get("lead_unit") or "").strip(),
        "consultations": [
            {
                "body": str(c.get("body", "")),
                "date": c.get("date"),
                "agenda_item": str(c.get("agenda_item") or ""),
                "role": str(c.get("role") or ""),
            }
            for c in fields.get("consultations", [])
        ],
        "proposal": decisions_requested.strip(),
        "facts": str(fields.get("facts") or "").strip(),
        "finance": str(fields.get("finance") or "").strip(),
        "climate": climate_relevance.strip(),
        "attachments": [str(a).strip() for a in fields.get("attachments", []) if str(a).strip()],
    }


def next_milestones(by_id: dict[int, Initiative], as_of: dt.date) -> dict[int, dict[str, Any]]:
    """Per Vorhaben: its next open milestone (the earliest due) and how many are overdue."""
    result: dict[int, dict[str, Any]] = {}
    rows = Milestone.objects.belonging_to(by_id.values(), via="initiative").order_by()
    for m in rows.only("initiative_id", "title", "due_date", "done_on", "weight"):
        facts = rules.MilestoneFacts(weight=m.weight, due_date=m.due_date, done_on=m.done_on)
        entry = result.setdefault(m.initiative_id, {"next": None, "overdue": 0})
        if rules.milestone_done(facts, as_of):
            continue
        if by_id[m.initiative_id].status == InitiativeStatus.CANCELLED:
            continue
        overdue = rules.has_overdue_milestone([facts], as_of)
        entry["overdue"] += int(overdue)
        key = (m.due_date or dt.date.max, m.title)
        current = entry["next"]
        if current is None or key < (
            dt.date.fromisoformat(current["due_date"]) if current["due_date"] else dt.date.max,
            current["title"],
        ):
            entry["next"] = {
                "title": m.title,
                "due_date": m.due_date.isoformat() if m.due_date else None,
                "overdue": overdue,
            }
    return result


def _indicator_cell(indicators: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not indicators:
        return None
    # The first indicator with values speaks for the Vorhaben; the others are counted.
    first = next((i for i in indicators if i["values"]), indicators[0])
    return {
        "title": first["title"],
        "unit": first["unit"],
        "latest": first["latest"],
        "latest_date": first.get("latest_date"),
        "target": first["target"],
        "attainment": first["attainment"],
        "sparkline_svg": first.get("sparkline_svg", ""),
        "chart_alt": first.get("chart_alt", ""),
        "more": len(indicators) - 1,
    }


def blocks(
    action_fields: list[dict[str, Any]],
    indicators: list[dict[str, Any]],
    deviations: list[dict[str, Any]],
    milestones: dict[int, dict[str, Any]],
    *,
    only_deviating: bool,
) -> list[dict[str, Any]]:
    """One compact row per Vorhaben, grouped by action field, with its deviation explained."""
    by_label: dict[str, list[dict[str, Any]]] = {}
    for ind in indicators:
        by_label.setdefault(ind["initiative"], []).append(ind)
    explained = {d["initiative"]: d for d in deviations}
    result = []
    for f in action_fields:
        rows = []
        for i in f["initiatives"]:
            deviation = explained.get(i["label"])
            if only_deviating and deviation is None:
                continue
            ms = milestones.get(i["id"], {"next": None, "overdue": 0})
            rows.append(
                {
                    "id": i["id"],
                    "label": i["label"],
                    "status_label": i["status_label"],
                    "lead_unit": i["lead_unit"],
                    "health": i["health"],
                    "health_label": i["health_label"],
                    "calculated_health_label": i["calculated_health_label"],
                    "owner_health_label": i["owner_health_label"],
                    "owner_reported_on": i["owner_reported_on"],
                    "progress": i["progress"],
                    "expected": i["expected"],
                    "stale": i["stale"],
                    "next_milestone": ms["next"],
                    "overdue_milestones": ms["overdue"],
                    "indicator": _indicator_cell(by_label.get(i["label"], [])),
                    "deviation": (
                        {
                            "reported_on": deviation["reported_on"],
                            "status_text": deviation["status_text"],
                            "explanation": deviation["explanation"],
                        }
                        if deviation
                        else None
                    ),
                }
            )
        if rows:
            result.append({"label": f["label"], "health": f["health"], "rows": rows})
    return result


def _rank(health: str | None) -> int:
    return _SEVERITY.index(health) if health in _SEVERITY else _SEVERITY.index("unknown")


def changes_since(
    *, plan: ActionPlan, since: dt.date | None, as_of: dt.date, ids: set[int]
) -> dict[str, Any] | None:
    """What changed between the last report's day and this one (None without a last report)."""
    if since is None or since >= as_of:
        return None
    comparison = history.plan_comparison(plan=plan, since=since, until=as_of)
    worse, better, overdue = [], [], []
    reached = values = new = 0
    for change in comparison.changes:
        if change.pk not in ids:
            continue
        if change.before is None and change.after is not None:
            new += 1
        if change.health_changed and change.before and change.after:
            entry = {
                "label": change.label,
                "before": _health_label(change.before.displayed_health),
                "after": _health_label(change.after.displayed_health),
            }
            if _rank(change.after.displayed_health) < _rank(change.before.displayed_health):
                worse.append(entry)
            else:
                better.append(entry)
        reached += len(change.milestones_reached)
        values += sum(n for _ind, n in change.new_measurements)
        if change.newly_overdue:
            overdue.append(change.label)
    return {
        "since": since.isoformat(),
        "changed": sum(1 for c in comparison.changed if c.pk in ids),
        "new": new,
        "worse": worse,
        "better": better,
        "milestones_reached": reached,
        "new_values": values,
        "newly_overdue": overdue,
    }


def _health_label(value: str) -> str:
    try:
        return str(Health(value).label)
    except ValueError:
        return str(InitiativeStatus(value).label) if value in InitiativeStatus.values else value


def attention(s: dict[str, Any]) -> dict[str, Any]:
    """The first page: what the body must decide, and which Vorhaben are critical and why."""
    critical = [
        {
            "label": d["initiative"],
            "health_label": d["health_label"],
            "why": d["explanation"] or d["status_text"] or "Keine Begründung gemeldet.",
        }
        for d in s["deviations"]
        if d["health"] == Health.OFF_TRACK.value
    ]
    at_risk = [d["initiative"] for d in s["deviations"] if d["health"] == Health.AT_RISK.value]
    return {
        "decision": s["vorlage"]["proposal"],
        "critical": critical[:LIST_LIMIT],
        "critical_more": max(0, len(critical) - LIST_LIMIT),
        "at_risk": at_risk[:LIST_LIMIT],
        "at_risk_more": max(0, len(at_risk) - LIST_LIMIT),
    }
