"""The daily feedback job: close waves past their end date, record the suggestion
indicator, then delete raw answers and codes past their retention period."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from leitwerk.feedback.services import (
    feedback_purge_expired,
    suggestion_indicators_record_due,
    waves_close_due,
)


class Command(BaseCommand):
    help = (
        "Schließt Wellen nach ihrem letzten Tag, erfasst den Anteil fristgerecht beantworteter "
        "Anregungen und löscht Rohantworten und Einmal-Codes "
        "abgeschlossener Wellen nach Ablauf der Frist."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        closed = waves_close_due(today=today)
        measurements = sum(len(r.measurements) for r in closed)
        self.stdout.write(
            f"{len(closed)} Welle(n) abgeschlossen, {measurements} Indikator-Messwert(e)."
        )
        recorded = suggestion_indicators_record_due(today=today)
        self.stdout.write(f"{len(recorded)} Messwert(e) aus Anregungen und Beschwerden.")
        result = feedback_purge_expired(today=today)
        # Counts only, never content.
        self.stdout.write(
            f"{result.waves} Welle(n): {result.responses} Antwortbögen, "
            f"{result.answers} Antworten, {result.codes} Codes gelöscht."
        )
