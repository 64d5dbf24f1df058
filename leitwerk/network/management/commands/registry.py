"""`leitwerk registry import PATH` and `leitwerk registry load-sample`: the municipality directory.

The expected columns of PATH are documented in leitwerk/network/registry.py (AGS, name,
population, Land – or the split key Land/RB/Kreis/Gem of the GV-ISys download).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from leitwerk.network.registry import RegistryFormatError
from leitwerk.network.services import registry_import, registry_load_sample


class Command(BaseCommand):
    help = "Importiert das Gemeindeverzeichnis (GV-ISys, CSV oder XLSX) oder die Beispieldaten."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Gemeindeverzeichnis-Datei einlesen (wiederholbar)")
        imp.add_argument("path")
        imp.add_argument("--json", action="store_true")
        sample = sub.add_parser("load-sample", help="mitgelieferte Beispieldaten laden")
        sample.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        try:
            if opts["action"] == "import":
                path = Path(opts["path"])
                if not path.is_file():
                    raise RegistryFormatError(f"Datei {path} nicht gefunden.")
                result = registry_import(path=path)
            else:
                result = registry_load_sample()
        except RegistryFormatError as error:
            self.stderr.write(f"Fehler: {error}")
            sys.exit(2)
        counts = result.as_dict()
        if opts["json"]:
            self.stdout.write(json.dumps({"ok": True, **counts}))
            return
        self.stdout.write(
            "Gemeindeverzeichnis: {created} neu, {updated} geändert, {unchanged} unverändert, "
            "{skipped} doppelt übersprungen; {linked_transfer_cities} Transferkommunen "
            "zugeordnet.".format(**counts)
        )
