"""`leitwerk accessibility_check_record FILE`: store the figures of an automated accessibility
check (axe-core) for the municipalities it covered; the accessibility statement shows them.

FILE is the summary the accessibility test run writes (`LEITWERK_AXE_SUMMARY`, see
docs/ACCESSIBILITY.md): {"checked_at": ISO time, "tool": …, "standard": …,
"municipalities": {slug: {"pages": n, "critical": n, "serious": n, "moderate": n, "minor": n}}}.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from leitwerk.core.commands import LeitwerkCommand
from leitwerk.municipalities.models import Municipality
from leitwerk.portal.services import accessibility_check_record

COUNTS = ("pages", "critical", "serious", "moderate", "minor")


class Command(LeitwerkCommand):
    help = (
        "Trägt die Ergebnisse einer automatischen Prüfung der Barrierefreiheit (axe-core) "
        "für die Kommunen aus der Zusammenfassung ein; die Erklärung zur Barrierefreiheit "
        "zeigt die neuesten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Die Zusammenfassung des Prüflaufs (JSON).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
            checked_at = dt.datetime.fromisoformat(summary["checked_at"])
            towns = summary["municipalities"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"Die Datei {path} ist keine lesbare Zusammenfassung: {error}")
        if checked_at.tzinfo is None:
            raise CommandError("checked_at braucht eine Zeitzone, z. B. 2026-12-07T20:00:00+00:00.")
        for slug, figures in sorted(towns.items()):
            municipality = Municipality.objects.filter(slug=slug).first()
            if municipality is None:
                raise CommandError(f"Die Kommune „{slug}“ gibt es nicht.")
            if not all(isinstance(figures.get(name), int) for name in COUNTS):
                raise CommandError(f"Für „{slug}“ fehlen Zahlen: {', '.join(COUNTS)}.")
            accessibility_check_record(
                municipality=municipality,
                checked_at=checked_at,
                tool=str(summary.get("tool", "axe-core")),
                standard=str(summary.get("standard", "WCAG 2.2 AA")),
                **{name: figures[name] for name in COUNTS},
            )
            self.stdout.write(
                f"{municipality.name}: {figures['pages']} Seiten, "
                f"{figures['critical']} kritisch, {figures['serious']} ernst."
            )
