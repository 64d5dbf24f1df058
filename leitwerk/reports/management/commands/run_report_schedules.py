"""The daily run of the report schedules (leitwerk-reminders.service, after the reminders):
reports due before a body's next meeting are created and their people notified."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from leitwerk.reports.services import report_schedules_run


class Command(BaseCommand):
    help = "Erstellt die fälligen Berichte der Berichtszeitpläne und benachrichtigt die Personen."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", help="Stichtag JJJJ-MM-TT (Standard: heute)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = (
                dt.date.fromisoformat(options["today"])
                if options["today"]
                else timezone.localdate()
            )
        except ValueError:
            raise CommandError(
                f"Ungültiges Datum „{options['today']}“: bitte JJJJ-MM-TT."
            ) from None
        created = report_schedules_run(today=today)
        self.stdout.write(f"{len(created)} Bericht(e) aus Zeitplänen erstellt.")
