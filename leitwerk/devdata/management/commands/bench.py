"""`leitwerk bench [--scales S,M] [--json]`: page timings, throughput, import and report."""

from __future__ import annotations

import json
import sys

from django.conf import settings
from django.core.management.base import CommandError

from leitwerk.core.commands import LeitwerkCommand
from leitwerk.devdata.bench import BenchError, Options, run, targets
from leitwerk.devdata.generate import parse_scales


class Command(LeitwerkCommand):
    help = (
        "Lastmessung auf den mit „leitwerk generate“ erzeugten Daten: Seiten (p50/p95, "
        "Abfragen), Umfrage-Durchsatz mit gunicorn, Import und PDF-Bericht gegen ihre Böden."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scales", default="S,M", help="Skalen, durch Komma getrennt (S,M).")
        parser.add_argument("--json", action="store_true", help="Nur ein JSON-Objekt ausgeben.")
        parser.add_argument("--requests", type=int, default=200, help="Anfragen je Seite (200).")
        parser.add_argument("--warmup", type=int, default=10, help="Aufwärmanfragen je Seite.")
        parser.add_argument("--clients", type=int, default=50, help="gleichzeitige Clients (50).")
        parser.add_argument("--submissions", type=int, default=10, help="Antworten je Client (10).")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn-Worker (3).")
        parser.add_argument(
            "--import-rows", type=int, default=1000, help="Zeilen der Importtabelle (1000)."
        )
        parser.add_argument(
            "--import-large-rows",
            type=int,
            default=50_000,
            help="Zeilen der großen Importtabelle (50000), gemeldet als import_50k.",
        )
        parser.add_argument(
            "--cold", type=int, default=10, help="Kalte Anfragen je Seite nach einer Änderung (10)."
        )
        parser.add_argument(
            "--no-gunicorn",
            action="store_true",
            help="Durchsatz ohne gunicorn im Prozess messen (nur für Tests).",
        )

    def handle(self, *args, **options):
        try:
            scales = parse_scales(options["scales"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if settings.DEBUG:
            sys.stderr.write(
                "Hinweis: DEBUG ist an – die Zahlen sind nicht aussagekräftig "
                "(DJANGO_SETTINGS_MODULE=config.settings.bench verwenden).\n"
            )
        opts = Options(
            scales=scales,
            requests=options["requests"],
            warmup=options["warmup"],
            clients=options["clients"],
            submissions_per_client=options["submissions"],
            workers=options["workers"],
            gunicorn=not options["no_gunicorn"],
            import_rows=options["import_rows"],
            import_large_rows=options["import_large_rows"],
            cold_samples=options["cold"],
            log=None if options["json"] else self.stdout,
        )
        try:
            result = run(opts)
        except BenchError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        for name, holds, figures in targets(result):
            self.stdout.write(f"{'erfüllt ' if holds else 'VERFEHLT'}  {name}  ({figures})")
