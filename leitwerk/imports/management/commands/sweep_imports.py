"""The daily imports job (leitwerk-purge.service): imports whose worker was killed are marked
broken off, orphaned upload folders are removed (L1)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from leitwerk.imports.services import import_runs_sweep, import_uploads_purge


class Command(BaseCommand):
    help = (
        "Markiert Importe, deren Hintergrunddienst beendet wurde, als abgebrochen und löscht "
        "verwaiste hochgeladene Dateien."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        failed = import_runs_sweep(now=now)
        removed = import_uploads_purge(now=now)
        self.stdout.write(
            f"{failed} abgebrochene(r) Import(e) markiert, {removed} verwaiste(r) Upload-Ordner "
            "gelöscht."
        )
