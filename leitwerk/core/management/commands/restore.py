"""`leitwerk restore FILE`: replaces the database and media files with a backup's."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from leitwerk.core.backup import BackupError, backup_restore
from leitwerk.core.commands import LeitwerkCommand
from leitwerk.core.logs import security_event


class Command(LeitwerkCommand):
    help = (
        "Spielt eine Sicherung von „leitwerk backup“ zurück: ersetzt alle Daten und hochgeladenen "
        "Dateien. Prüft vorher Datenbankart, Version und Prüfsummen; bei einem Fehler bleibt "
        "alles, wie es war."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", metavar="DATEI", help="die Sicherungsdatei")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Nicht nachfragen.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if options["interactive"] and sys.stdin.isatty():
            answer = input(
                "Alle jetzigen Daten und Dateien werden durch die Sicherung ersetzt. "
                "Fortfahren? [j/N] "
            )
            if answer.strip().lower() not in ("j", "ja", "y", "yes"):
                raise CommandError("Abgebrochen, nichts geändert.")
        try:
            manifest = backup_restore(archive=archive)
        except BackupError as error:
            security_event("backup.restore", outcome="failed")
            raise CommandError(str(error)) from error
        tables = manifest["database"]["tables"]
        security_event(
            "backup.restore",
            outcome="ok",
            vendor=manifest["database"]["vendor"],
            created_at=manifest["created_at"],
        )
        self.stdout.write(
            f"Zurückgespielt: Sicherung vom {manifest['created_at']}, {len(tables)} Tabellen, "
            f"{len(manifest['media'])} Datei(en); Prüfsummen stimmen."
        )
