"""Delete raw survey answers and codes past their retention period; aggregates remain."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from leitwerk.feedback.services import feedback_purge_expired


class Command(BaseCommand):
    help = "Löscht Rohantworten und Einmal-Codes abgeschlossener Wellen nach Ablauf der Frist."

    def handle(self, *args, **options):
        result = feedback_purge_expired(today=timezone.localdate())
        # Counts only, never content.
        self.stdout.write(
            f"{result.waves} Welle(n): {result.responses} Antwortbögen, "
            f"{result.answers} Antworten, {result.codes} Codes gelöscht."
        )
