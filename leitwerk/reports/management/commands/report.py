"""`leitwerk report --municipality SLUG [--plan ID] --format pdf|docx|xlsx -o FILE`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from leitwerk.municipalities.models import Municipality
from leitwerk.plans.models import ActionPlan
from leitwerk.reports import selectors, services
from leitwerk.reports.models import ReportFormat


class Command(BaseCommand):
    help = "Erstellt einen Sachstandsbericht als PDF, DOCX oder XLSX."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--municipality", required=True, help="Kürzel (slug) der Kommune")
        parser.add_argument("--plan", type=int, help="Nummer (ID) des Aktionsplans")
        parser.add_argument("--format", dest="fmt", required=True, help="pdf, docx oder xlsx")
        parser.add_argument("-o", "--output", required=True, help="Zieldatei")
        parser.add_argument("--as-of", dest="as_of", help="Stichtag JJJJ-MM-TT (Standard: heute)")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["fmt"].lower()
        if fmt not in ReportFormat.values:
            raise CommandError(
                f"Unbekanntes Format „{options['fmt']}“: erlaubt sind pdf, docx, xlsx."
            )
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"Keine Kommune mit dem Kürzel „{options['municipality']}“.")
        if options["plan"] is not None:
            plan = (
                ActionPlan.objects.for_municipality(municipality).filter(pk=options["plan"]).first()
            )
            if plan is None:
                raise CommandError(
                    f"Die Kommune {municipality.name} hat keinen Aktionsplan mit der Nummer "
                    f"{options['plan']}."
                )
        else:
            plan = selectors.default_plan(municipality=municipality)
            if plan is None:
                raise CommandError(f"Die Kommune {municipality.name} hat noch keinen Aktionsplan.")
        try:
            as_of = (
                dt.date.fromisoformat(options["as_of"])
                if options["as_of"]
                else timezone.localdate()
            )
        except ValueError:
            raise CommandError(
                f"Ungültiger Stichtag „{options['as_of']}“: bitte JJJJ-MM-TT."
            ) from None
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"Das Verzeichnis {output.parent} gibt es nicht.")
        content = services.report_export(plan=plan, fmt=fmt, as_of=as_of)
        output.write_bytes(content)
        self.stdout.write(
            f"Bericht „{plan.title}“ ({fmt.upper()}, {len(content)} Bytes) → {output}"
        )
