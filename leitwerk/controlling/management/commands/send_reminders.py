"""`leitwerk send_reminders`: e-mail the people whose status reports are due soon.

Safe to run as often as wanted (e.g. daily by cron or systemd timer): a reminder that was
logged once is never sent again.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from leitwerk.controlling import services
from leitwerk.municipalities.models import Municipality


class Command(BaseCommand):
    help = "Erinnerungen an fällige Sachstandsmeldungen verschicken (nur einmal je Termin)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="so viele Arbeitstage vor dem Meldetermin erinnern (Standard: der Vorlauf, "
            "den die Kommune unter „Erinnerungen“ eingestellt hat, sonst "
            f"{services.DEFAULT_REMIND_WORKING_DAYS})",
        )
        parser.add_argument("--municipality", help="nur diese Kommune (Kurzname)")
        parser.add_argument("--date", help="Stichtag JJJJ-MM-TT statt heute (zum Nachholen)")
        parser.add_argument(
            "--dry-run", action="store_true", help="nur anzeigen, nichts verschicken"
        )

    def handle(self, *args, **options):
        municipality = None
        if options["municipality"]:
            municipality = Municipality.objects.filter(slug=options["municipality"]).first()
            if municipality is None:
                raise CommandError(f"Keine Kommune mit Kurzname „{options['municipality']}“.")
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("Datum bitte als JJJJ-MM-TT angeben.")
        logs = services.reminders_send(
            today=today,
            working_days_before=options["days"],
            municipality=municipality,
            dry_run=options["dry_run"],
        )
        verb = "wären fällig" if options["dry_run"] else "neu verschickt"
        self.stdout.write(f"{len(logs)} Erinnerung(en) {verb}.")
        for log in logs:
            self.stdout.write(
                f"  {log.due_on:%d.%m.%Y}  Vorhaben {log.initiative_id}"
                f"  an Person {log.recipient_id}"
            )
