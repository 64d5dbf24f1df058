"""The daily task job (leitwerk-purge.service): task rows whose worker died are marked failed,
idempotent ones (reminder mails) queued again (L1)."""

from __future__ import annotations

from django.utils import timezone

from leitwerk.core.commands import LeitwerkCommand
from leitwerk.core.task_sweep import tasks_sweep


class Command(LeitwerkCommand):
    help = (
        "Markiert Hintergrundaufgaben, deren Dienst beendet wurde, als fehlgeschlagen und "
        "startet wiederholbare (Erinnerungs-E-Mails) neu."
    )

    def handle(self, *args: object, **options: object) -> None:
        failed, retried = tasks_sweep(now=timezone.now())
        self.stdout.write(f"{failed} abgebrochene Aufgabe(n) markiert, {retried} neu gestartet.")
