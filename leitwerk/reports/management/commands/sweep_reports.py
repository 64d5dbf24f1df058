"""The daily reports job (leitwerk-purge.service): reports whose worker was killed while they
were being rendered are marked broken off, so they can be created again (L1)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from leitwerk.reports.services import reports_sweep


class Command(BaseCommand):
    help = "Markiert Berichte, deren Hintergrunddienst beendet wurde, als abgebrochen."

    def handle(self, *args, **options):
        failed = reports_sweep(now=timezone.now())
        self.stdout.write(f"{failed} abgebrochene(r) Bericht(e) markiert.")
