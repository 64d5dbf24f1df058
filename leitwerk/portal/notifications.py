"""What changed for citizens between two releases of a plan (plans.PortalRelease.data).

Pure functions on the released JSON: the status, the milestones and the released figures
(indicator values) of each Vorhaben. Followers get exactly these lines, so a mail never says
more than the portal shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from leitwerk.core.formatting import number
from leitwerk.plans.release import status_label


@dataclass
class InitiativeChanges:
    initiative_id: int
    name: str
    lines: list[str] = field(default_factory=list)


def _day(value: str | None) -> str:
    return dt.date.fromisoformat(value).strftime("%d.%m.%Y") if value else "ohne Datum"


def _value(raw: str | None, unit: str) -> str:
    if raw is None:
        return "kein Wert"
    try:
        shown = number(Decimal(raw))
    except (InvalidOperation, TypeError, ValueError):
        shown = str(raw)
    return f"{shown} {unit}".strip()


def _milestone_lines(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    before = {m["id"]: m for m in old}
    lines: list[str] = []
    for m in new:
        was = before.get(m["id"])
        if was is None:
            lines.append(f"Neuer Meilenstein „{m['title']}“ (geplant: {_day(m['due_date'])}).")
        elif m["done_on"] and not was["done_on"]:
            lines.append(f"Meilenstein „{m['title']}“ erreicht am {_day(m['done_on'])}.")
        elif m["due_date"] != was["due_date"] and not m["done_on"]:
            lines.append(
                f"Meilenstein „{m['title']}“ hat ein neues Datum: {_day(m['due_date'])} "
                f"(vorher: {_day(was['due_date'])})."
            )
    return lines


def _figure_lines(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    before = {i["id"]: i for i in old}
    lines: list[str] = []
    for i in new:
        was = before.get(i["id"])
        if was is None:
            if i.get("latest_value") is not None:
                lines.append(
                    f"Neue Kennzahl „{i['title']}“: {_value(i['latest_value'], i['unit'])}."
                )
        elif i.get("latest_value") != was.get("latest_value"):
            lines.append(
                f"Kennzahl „{i['title']}“: jetzt {_value(i['latest_value'], i['unit'])} "
                f"(vorher: {_value(was.get('latest_value'), i['unit'])})."
            )
    return lines


def release_changes(
    old: dict[str, Any] | None, new: dict[str, Any]
) -> dict[int, InitiativeChanges]:
    """Per Vorhaben of the new release: what a follower should hear about. A Vorhaben that
    is new in the release is announced once; one that left it is not (it is no longer public)."""
    before = {e["id"]: e for e in (old or {}).get("initiatives", [])}
    changes: dict[int, InitiativeChanges] = {}
    for entry in new.get("initiatives", []):
        name = f"{entry.get('number', '')} {entry['title']}".strip()
        found = InitiativeChanges(initiative_id=entry["id"], name=name)
        was = before.get(entry["id"])
        if was is None:
            found.lines.append(
                f"Das Vorhaben ist jetzt öffentlich. Status: {status_label(entry['status'])}."
            )
        else:
            if entry["status"] != was["status"]:
                found.lines.append(
                    f"Neuer Status: {status_label(entry['status'])} "
                    f"(vorher: {status_label(was['status'])})."
                )
            found.lines += _milestone_lines(was.get("milestones", []), entry["milestones"])
            found.lines += _figure_lines(was.get("indicators", []), entry["indicators"])
        if found.lines:
            changes[entry["id"]] = found
    return changes
