"""`leitwerk demo`: load the demo municipalities. The content lives in leitwerk/devdata/demo/."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from leitwerk.devdata.demo import DemoAlreadyLoaded, demo_load


class Command(BaseCommand):
    help = "Demodaten laden: Musterstadt, Amt Musterland mit drei Gemeinden und Demo-Zugängen."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help="Stichtag JJJJ-MM-TT, von dem aus alle Termine berechnet werden (sonst heute).",
        )

    def handle(self, *args, **options):
        try:
            summary = demo_load(today=options.get("today"))
        except DemoAlreadyLoaded:
            raise CommandError(
                "Demodaten sind bereits geladen (Kommune „musterstadt“ o. Ä. existiert) – "
                "nichts geändert."
            ) from None
        for line in summary.lines():
            self.stdout.write(line)
