"""`leitwerk generate --scale S|M|L [--seed N]`: synthetic data for load measurements."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError

from leitwerk.core.commands import LeitwerkCommand
from leitwerk.devdata.generate import SCALES, ScaleAlreadyGenerated, generate


class Command(LeitwerkCommand):
    help = (
        "Synthetische Daten für Lastmessungen erzeugen: S = 1 Kommune (300 Vorhaben), "
        "M = 100 Kommunen, L = 1.000 Kommunen (200.000 Vorhaben). Gleicher Seed, gleiche Daten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            required=True,
            type=str.upper,
            choices=list(SCALES),
            help="Größe: S, M oder L (T ist eine winzige Größe für Tests).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Startwert des Zufalls (1).")
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help="Stichtag JJJJ-MM-TT, von dem aus alle Termine berechnet werden (sonst heute).",
        )

    def handle(self, *args, **options):
        try:
            result = generate(
                scale=options["scale"],
                seed=options["seed"],
                today=options.get("today"),
                stdout=self.stdout if options["verbosity"] > 1 else None,
            )
        except ScaleAlreadyGenerated:
            raise CommandError(
                f"Die Skala {options['scale']} ist in dieser Datenbank schon erzeugt – "
                "nichts geändert."
            ) from None
        for line in result.lines():
            self.stdout.write(line)
