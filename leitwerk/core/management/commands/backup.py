"""`leitwerk backup -o FILE`: database and media files in one archive (docs/DEPLOYMENT.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from leitwerk.core.backup import BackupError, backup_create
from leitwerk.core.commands import LeitwerkCommand
from leitwerk.core.logs import security_event


class Command(LeitwerkCommand):
    help = (
        "Sichert die Datenbank (SQLite oder PostgreSQL) und die hochgeladenen Dateien in eine "
        "Archivdatei (tar.gz mit manifest.json und Prüfsummen je Tabelle)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", required=True, metavar="DATEI", help="Ziel, z. B. leitwerk.tar.gz"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        try:
            manifest = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        tables = manifest["database"]["tables"]
        rows = sum(entry["rows"] for entry in tables.values())
        security_event(
            "backup.create",
            outcome="ok",
            vendor=manifest["database"]["vendor"],
            tables=len(tables),
            rows=rows,
            media=len(manifest["media"]),
        )
        self.stdout.write(
            f"Gesichert nach {output}: {len(tables)} Tabellen, {rows} Zeilen, "
            f"{len(manifest['media'])} Datei(en)."
        )
