from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from leitwerk.imports.services import ImportFailed, guideline_import, plan_import
from leitwerk.municipalities.models import Municipality


class Command(BaseCommand):
    help = "Importiert ein Leitbild-Dokument oder einen Aktionsplan (alles oder nichts)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        for kind in ("guideline", "plan"):
            p = sub.add_parser(kind)
            p.add_argument("path")
            p.add_argument("--municipality", required=True)
            p.add_argument("--dry-run", action="store_true")
            p.add_argument("--json", action="store_true")
            if kind == "plan":
                p.add_argument("--mapping", default=None)

    def handle(self, *args, **opts):
        as_json = opts["json"]
        try:
            municipality = Municipality.objects.filter(slug=opts["municipality"]).first()
            if municipality is None:
                raise ImportFailed.single(f"Kommune „{opts['municipality']}“ gibt es nicht.")
            path = Path(opts["path"])
            if not path.is_file():
                raise ImportFailed.single(f"Datei {path} nicht gefunden.")
            if opts["kind"] == "guideline":
                result = guideline_import(
                    municipality=municipality, path=path, dry_run=opts["dry_run"]
                )
            else:
                mapping = Path(opts["mapping"]) if opts.get("mapping") else None
                result = plan_import(
                    municipality=municipality,
                    path=path,
                    mapping_path=mapping,
                    dry_run=opts["dry_run"],
                )
        except ImportFailed as failure:
            errors = [e.as_dict() for e in failure.errors]
            if as_json:
                self.stdout.write(json.dumps({"ok": False, "errors": errors}, ensure_ascii=False))
            else:
                for e in errors:
                    where = ", ".join(
                        part
                        for part in (
                            f"Zeile {e['row']}" if e["row"] is not None else "",
                            f"Spalte {e['column']}" if e["column"] else "",
                        )
                        if part
                    )
                    self.stderr.write(
                        f"Fehler{' (' + where + ')' if where else ''}: {e['message']}"
                    )
            sys.exit(2)
        if as_json:
            self.stdout.write(json.dumps({"ok": True, **result}, ensure_ascii=False))
            return
        counts = ", ".join(f"{k}: {v}" for k, v in result.get("counts", {}).items())
        verb = "Probelauf" if result.get("dry_run") else "Importiert"
        self.stdout.write(f"{verb}: {counts}; Abdeckung {result.get('coverage', 0):.3f}")
        for warning in result.get("warnings", []):
            self.stdout.write(f"Hinweis: {warning}")


__all__ = ["Command", "CommandError"]
