from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from leitwerk.imports.services import (
    ImportFailed,
    budget_import,
    guideline_import,
    keyfigure_import,
    plan_import,
)
from leitwerk.municipalities.models import Municipality

_ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (.+)", "Diese Angaben fehlen: {0}."),
    (r"unrecognized arguments: (.+)", "Unbekannte Angaben: {0}."),
    (r"argument (\S+): expected one argument", "Bei {0} fehlt der Wert."),
    (
        r"argument (\S+): invalid choice: '?([^' ]*)'? \(choose from (.+)\)",
        "Unbekannte Art „{1}“; erlaubt sind: {2}.",
    ),
)


def german_usage_error(message: str) -> str:
    for pattern, german in _ARGPARSE_MESSAGES:
        match = re.fullmatch(pattern, message.strip())
        if match:
            return german.format(*match.groups())
    return f"Der Aufruf ist fehlerhaft ({message})."


class _Parser(CommandParser):
    """Usage errors follow the chosen output: with --json they are one JSON object, too."""

    def parse_known_args(self, args=None, namespace=None):
        self._arguments = list(sys.argv[1:] if args is None else args)
        return super().parse_known_args(args, namespace)

    def error(self, message):
        german = german_usage_error(message)
        if "--json" in getattr(self, "_arguments", []):
            problem = {"message": german, "row": None, "column": None}
            sys.stdout.write(json.dumps({"ok": False, "errors": [problem]}, ensure_ascii=False))
            sys.stdout.write("\n")
            sys.stdout.flush()
            sys.exit(2)
        if self.called_from_command_line:
            self.print_usage(sys.stderr)
            sys.stderr.write(f"Fehler: {german}\n")
            sys.exit(2)
        raise CommandError(f"Fehler: {german}")


class Command(BaseCommand):
    help = (
        "Importiert ein Leitbild-Dokument, einen Aktionsplan, eine Produktliste (budget) oder "
        "Kennzahlwerte (keyfigures), alles oder nichts."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # BaseCommand has no hook for the parser class; _Parser only overrides two methods.
        parser.__class__ = _Parser
        return parser

    def add_arguments(self, parser):
        sub = parser.add_subparsers(
            dest="kind",
            required=True,
            parser_class=_Parser,
            metavar="guideline|plan|budget|keyfigures",
        )
        for kind in ("guideline", "plan", "budget", "keyfigures"):
            p = sub.add_parser(kind)
            p.add_argument("path", metavar="DATEI")
            p.add_argument("--municipality", required=True)
            p.add_argument("--dry-run", action="store_true")
            p.add_argument("--json", action="store_true")
            if kind == "plan":
                p.add_argument("--mapping", default=None)
                # The plan's title when the file names none (never taken from the file name).
                p.add_argument("--title", default=None)

    def handle(self, *args, **opts):
        as_json = opts["json"]
        try:
            municipality = Municipality.objects.filter(slug=opts["municipality"]).first()
            if municipality is None:
                raise ImportFailed.single(f"Kommune „{opts['municipality']}“ gibt es nicht.")
            path = Path(opts["path"])
            if not path.is_file():
                raise ImportFailed.single(f"Datei {path} nicht gefunden.")
            if opts["kind"] in ("budget", "keyfigures"):
                run = budget_import if opts["kind"] == "budget" else keyfigure_import
                result = run(municipality=municipality, path=path, dry_run=opts["dry_run"])
            elif opts["kind"] == "guideline":
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
                    title=opts.get("title"),
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
        if opts["kind"] in ("budget", "keyfigures"):
            self._write_budget_summary(result)
            return
        counts = ", ".join(f"{k}: {v}" for k, v in result.get("counts", {}).items())
        verb = "Probelauf" if result.get("dry_run") else "Importiert"
        self.stdout.write(f"{verb}: {counts}; Abdeckung {result.get('coverage', 0):.3f}")
        for warning in result.get("warnings", []):
            self.stdout.write(f"Hinweis: {warning}")
        # Nothing is dropped silently: text outside the structure is named with its place.
        for piece in result.get("pieces", []):
            kind = "Beiwerk" if piece["kind"] == "furniture" else "Nicht zugeordnet"
            reason = f" ({piece['reason']})" if piece["reason"] else ""
            self.stdout.write(f"{kind}{reason}, {piece['where']}: {piece['text']}")

    def _write_budget_summary(self, result: dict) -> None:
        labels = {
            "budget_areas": "Teilhaushalte",
            "products": "Produkte",
            "key_figures": "Kennzahlen",
            "values": "Werte",
        }
        parts = [
            f"{labels[key]}: {count} (neu {result['created'][key]}, "
            f"geändert {result['updated'][key]})"
            for key, count in result["counts"].items()
        ]
        verb = "Probelauf" if result["dry_run"] else "Importiert"
        self.stdout.write(f"{verb}: {'; '.join(parts)}")
        for warning in result["warnings"]:
            self.stdout.write(f"Hinweis: {warning}")


__all__ = ["Command", "CommandError"]
