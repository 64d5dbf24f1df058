"""Import a list of obstacles (Hemmnisse): all or nothing, idempotent, bulk writes.

Each row is an obstacle of the municipality, matched by its title (ignoring case and spaces
around it): a title already recorded is updated where the file says something different, a
new title is created, and obstacles missing from the file stay as they are (a list is often
imported per unit). Nothing is written when one row is wrong; every problem is reported with
its row. A dry run (the preview) checks and counts exactly as the real run does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from leitwerk.core.audit import audit
from leitwerk.municipalities.models import Municipality, OrganisationalUnit
from leitwerk.obstacles.models import Obstacle

# The module, not its names: the reader imports `services.common`, so either may load first.
from .. import obstacle_reader
from .common import ImportFailed, ImportProblem

TITLE_MAX = Obstacle._meta.get_field("title").max_length or 300
CATEGORY_MAX = Obstacle._meta.get_field("category").max_length or 100


@dataclass
class _Planned:
    row: int
    title: str
    values: dict[str, Any]
    existing: Obstacle | None


def _key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _rating(value: str, row: int, column: str, problems: list[ImportProblem]) -> int | None:
    if not value:
        return None
    try:
        # "4", "4.0" (a spreadsheet's number) and "4,0" all mean 4.
        number = float(value.replace(",", "."))
    except ValueError:
        number = 0.0
    if not (number.is_integer() and 1 <= number <= 5):
        problems.append(
            ImportProblem(f"„{value}“ ist keine Bewertung von 1 bis 5.", row=row, column=column)
        )
        return None
    return int(number)


def _units(municipality: Municipality) -> dict[str, OrganisationalUnit]:
    by_name: dict[str, OrganisationalUnit] = {}
    for unit in OrganisationalUnit.objects.filter(municipality=municipality):
        by_name.setdefault(_key(unit.name), unit)
        if unit.code:
            by_name.setdefault(_key(unit.code), unit)
    return by_name


def _plan(municipality: Municipality, rows: list[obstacle_reader.ObstacleRow]) -> list[_Planned]:
    units = _units(municipality)
    existing: dict[str, Obstacle] = {}
    for obstacle in Obstacle.objects.filter(municipality=municipality).order_by("pk"):
        existing.setdefault(_key(obstacle.title), obstacle)
    problems: list[ImportProblem] = []
    seen: dict[str, int] = {}
    planned: list[_Planned] = []
    for row in rows:
        title = " ".join(row.title.split())
        if not title:
            problems.append(
                ImportProblem(
                    "Das Hemmnis hat keinen Titel.", row.row, obstacle_reader.LABELS["title"]
                )
            )
            continue
        if len(title) > TITLE_MAX:
            problems.append(
                ImportProblem(
                    f"Der Titel ist länger als {TITLE_MAX} Zeichen.",
                    row.row,
                    obstacle_reader.LABELS["title"],
                )
            )
        if len(row.category) > CATEGORY_MAX:
            problems.append(
                ImportProblem(
                    f"Die Kategorie ist länger als {CATEGORY_MAX} Zeichen.",
                    row.row,
                    obstacle_reader.LABELS["category"],
                )
            )
        key = _key(title)
        if key in seen:
            problems.append(
                ImportProblem(
                    f"„{title}“ steht schon in Zeile {seen[key]}; jedes Hemmnis nur einmal.",
                    row.row,
                    obstacle_reader.LABELS["title"],
                )
            )
            continue
        seen[key] = row.row
        values: dict[str, Any] = {"description": row.description, "category": row.category}
        if row.unit:
            unit = units.get(_key(row.unit))
            if unit is None:
                problems.append(
                    ImportProblem(
                        f"Keine Organisationseinheit „{row.unit}“ in dieser Kommune. Bitte "
                        "zuerst unter „Kommune einrichten“ anlegen oder den Namen angleichen.",
                        row.row,
                        obstacle_reader.LABELS["unit"],
                    )
                )
            values["unit"] = unit
        for column in ("impact", "frequency"):
            rating = _rating(
                getattr(row, column), row.row, obstacle_reader.LABELS[column], problems
            )
            if rating is not None:
                values[column] = rating
        planned.append(_Planned(row.row, title, values, existing.get(key)))
    if problems:
        raise ImportFailed(problems)
    return planned


def _changed(obstacle: Obstacle, values: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in values.items():
        current = obstacle.unit if name == "unit" else getattr(obstacle, name)
        if current != value:
            changed.append(name)
    return changed


def obstacle_import(
    *,
    municipality: Municipality,
    data: bytes,
    source_name: str,
    dry_run: bool,
    actor: Any = None,
) -> dict[str, Any]:
    """Read, check and (unless `dry_run`) write the obstacles of the file in one transaction.

    Returns the counts ("created", "updated", "unchanged") and the rows with what happens to
    each, for the preview. Raises `ImportFailed` (nothing written) when any row is wrong.
    """
    rows = obstacle_reader.read_obstacles(data, source_name)
    with transaction.atomic():
        planned = _plan(municipality, rows)
        new: list[Obstacle] = []
        updated: list[Obstacle] = []
        fields: set[str] = set()
        preview = []
        for item in planned:
            if item.existing is None:
                new.append(Obstacle(municipality=municipality, title=item.title, **item.values))
                action = "neu"
            else:
                changed = _changed(item.existing, item.values)
                if changed:
                    for name in changed:
                        setattr(item.existing, name, item.values[name])
                    fields.update(changed)
                    updated.append(item.existing)
                    action = "geändert"
                else:
                    action = "unverändert"
            unit = item.values.get("unit")
            preview.append(
                {
                    "row": item.row,
                    "title": item.title,
                    "unit": str(unit) if unit else "",
                    "category": item.values["category"],
                    "action": action,
                }
            )
        counts = {
            "created": len(new),
            "updated": len(updated),
            "unchanged": len(planned) - len(new) - len(updated),
        }
        if not dry_run:
            Obstacle.objects.bulk_create(new, batch_size=500)
            if updated:
                Obstacle.objects.bulk_update(updated, sorted(fields), batch_size=500)
            audit(
                actor=actor,
                action="obstacles.import",
                municipality=municipality,
                data={
                    **counts,
                    "source": source_name,
                    "sha256": hashlib.sha256(data).hexdigest(),
                },
            )
    return {"counts": counts, "rows": preview}
