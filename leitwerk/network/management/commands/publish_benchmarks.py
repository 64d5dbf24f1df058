"""`leitwerk publish_benchmarks`: values shared during the last quarter join the comparison.

Safe to run daily (the shipped timer does): it publishes only values shared or corrected before
the current quarter began, so the comparison changes once per reporting period (audit L9).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from leitwerk.network.services import benchmark_values_publish


class Command(BaseCommand):
    help = "Vergleichswerte des letzten Quartals in den Kennzahlenvergleich übernehmen."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Stichtag JJJJ-MM-TT statt heute")
        parser.add_argument(
            "--alle",
            action="store_true",
            help="alle bis jetzt geteilten Werte übernehmen (neue Installation, Demo)",
        )

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(
                    f"Ungültiges Datum „{options['date']}“ – bitte JJJJ-MM-TT."
                ) from error
        count = benchmark_values_publish(today=today, everything=options["alle"])
        self.stdout.write(f"{count} Vergleichswerte in den Vergleich übernommen.")
