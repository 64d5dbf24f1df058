"""Open data of the portal: public Vorhaben as JSON (schema in data/) and as CSV.

Both formats come from the same records, so they never disagree. CSV follows RFC 4180
(comma, double quotes, UTF-8) because that is what open-data portals and scripts expect.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from leitwerk.core.spreadsheet import neutralise
from leitwerk.core.status import Health

from .selectors import PublicInitiative

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "vorhaben.schema.json"


def schema_text() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _percent(value: float | None) -> int | None:
    return None if value is None else max(0, min(100, round(value * 100)))


def initiative_record(initiative: PublicInitiative, *, url: str) -> dict[str, Any]:
    """One released Vorhaben as a dict matching the schema (the same data as the pages)."""
    info = initiative.progress_info
    plan = initiative.plan
    return {
        "id": initiative.pk,
        "nummer": initiative.number,
        "titel": initiative.title,
        "zielsetzung": initiative.objective,
        "beschreibung": initiative.description,
        "status": initiative.status,
        "status_text": initiative.status_text,
        "aktionsplan": {"id": plan.pk, "titel": plan.title},
        "aktionsfeld": {
            "kuerzel": initiative.action_field.code,
            "titel": initiative.action_field.title,
        },
        "federfuehrung": initiative.lead_unit_name,
        "beginn": _date(initiative.start_date),
        "ende": _date(initiative.end_date),
        "fortschritt_prozent": _percent(info.progress),
        "erwartet_prozent": _percent(info.expected),
        "zustand": str(info.health),
        "zustand_text": str(Health(info.health).label),
        # The two statuses behind "zustand" (the worse of both is shown).
        "zustand_berechnet": str(info.calculated),
        "einschaetzung_projektleitung": info.owner_health,
        "einschaetzung_am": _date(info.owner_reported_on),
        "adresse": url,
        "ziele": [{"kuerzel": g.code, "titel": g.title} for g in initiative.public_goals],
        "meilensteine": [
            {"titel": m.title, "faellig_am": _date(m.due_date), "erreicht_am": _date(m.done_on)}
            for m in initiative.milestones
        ],
        "indikatoren": [
            {
                "titel": i.title,
                "art": i.kind,
                "einheit": i.unit,
                "ausgangswert": _number(i.baseline),
                "zielwert": _number(i.target),
                "zieldatum": _date(i.target_date),
                "richtung": i.direction,
                "letzter_wert": _number(i.latest_value),
                "letzter_wert_am": _date(i.latest_on),
            }
            for i in initiative.public_indicators
        ],
    }


def as_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


CSV_COLUMNS = [
    ("id", "id"),
    ("nummer", "nummer"),
    ("titel", "titel"),
    ("zielsetzung", "zielsetzung"),
    ("status", "status_text"),
    ("aktionsplan", None),
    ("aktionsfeld", None),
    ("federfuehrung", "federfuehrung"),
    ("beginn", "beginn"),
    ("ende", "ende"),
    ("fortschritt_prozent", "fortschritt_prozent"),
    ("erwartet_prozent", "erwartet_prozent"),
    ("zustand", "zustand_text"),
    ("zustand_berechnet", "zustand_berechnet"),
    ("einschaetzung_projektleitung", "einschaetzung_projektleitung"),
    ("einschaetzung_am", "einschaetzung_am"),
    ("meilensteine_erreicht", None),
    ("meilensteine_gesamt", None),
    ("naechster_meilenstein", None),
    ("naechster_meilenstein_am", None),
    ("adresse", "adresse"),
]


def _csv_row(record: dict[str, Any]) -> list[str]:
    open_milestones = sorted(
        (m for m in record["meilensteine"] if not m["erreicht_am"] and m["faellig_am"]),
        key=lambda m: m["faellig_am"],
    )
    derived = {
        "aktionsplan": record["aktionsplan"]["titel"],
        "aktionsfeld": " ".join(
            p for p in (record["aktionsfeld"]["kuerzel"], record["aktionsfeld"]["titel"]) if p
        ),
        "meilensteine_erreicht": sum(1 for m in record["meilensteine"] if m["erreicht_am"]),
        "meilensteine_gesamt": len(record["meilensteine"]),
        "naechster_meilenstein": open_milestones[0]["titel"] if open_milestones else "",
        "naechster_meilenstein_am": open_milestones[0]["faellig_am"] if open_milestones else "",
    }
    row = []
    for column, key in CSV_COLUMNS:
        value = record[key] if key else derived[column]
        if value is None:
            row.append("")
        elif isinstance(value, str):
            row.append(neutralise(value))
        else:
            # Numbers we generate ourselves (ids, counts, percentages): never a formula.
            row.append(str(value))
    return row


def as_csv(records: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column for column, _ in CSV_COLUMNS])
    for record in records:
        writer.writerow(_csv_row(record))
    return buffer.getvalue()
