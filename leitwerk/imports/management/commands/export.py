from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from leitwerk.imports.services import ImportFailed, guideline_export, plan_export
from leitwerk.municipalities.models import Municipality


class Command(BaseCommand):
    help = "Exportiert einen Aktionsplan (JSON, XLSX, CSV) oder ein Leitbild (JSON)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        p = sub.add_parser("plan")
        p.add_argument("--municipality", required=True)
        p.add_argument("--plan", type=int, default=None)
        p.add_argument("--format", choices=["json", "xlsx", "ods", "csv"], required=True)
        p.add_argument("-o", "--output", default=None)
        g = sub.add_parser("guideline")
        g.add_argument("--municipality", required=True)
        g.add_argument("--guideline", type=int, default=None)
        g.add_argument("--format", choices=["json"], default="json")
        g.add_argument("-o", "--output", default=None)

    def handle(self, *args, **opts):
        municipality = Municipality.objects.filter(slug=opts["municipality"]).first()
        if municipality is None:
            raise CommandError(f"Kommune „{opts['municipality']}“ gibt es nicht.")
        try:
            if opts["kind"] == "plan":
                data = plan_export(
                    municipality=municipality, plan_id=opts["plan"], fmt=opts["format"]
                )
            else:
                data = json.dumps(
                    guideline_export(municipality=municipality, guideline_id=opts["guideline"]),
                    ensure_ascii=False,
                    indent=2,
                ).encode()
        except ImportFailed as failure:
            raise CommandError(str(failure))
        if opts["output"]:
            Path(opts["output"]).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
