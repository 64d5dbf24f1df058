"""`leitwerk oparl sync|daily|remind`: read a council information system (OParl 1.1).

`sync --municipality X [--url URL] [--json] [--full]` reads one municipality's RIS now;
`daily` is the nightly job (every municipality with "täglich abgleichen" on, then the follow-up
reminders; deploy/systemd/leitwerk-council.timer); `remind` sends only the reminders.
Exit 0 when a sync finished (also with errors of single objects), 2 when the system URL
could not be read.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from leitwerk.core.commands import LeitwerkCommand
from leitwerk.council import services
from leitwerk.municipalities.models import Municipality


class Command(LeitwerkCommand):
    help = "Ratsinformationssystem (OParl 1.1) abgleichen und Beschlusskontrolle erinnern."

    def add_arguments(self, parser: Any) -> None:
        actions = self.add_actions(parser)
        sync = actions.add_parser("sync", help="Sitzungen, Vorlagen und Beschlüsse jetzt holen")
        sync.add_argument("--municipality", required=True, help="Kurzname der Kommune")
        sync.add_argument("--url", help="OParl-Adresse des Systems (wird gespeichert)")
        sync.add_argument("--json", action="store_true", help="Ergebnis als ein JSON-Objekt")
        sync.add_argument(
            "--full", action="store_true", help="alles lesen statt nur Geändertes seit dem letzten"
        )
        actions.add_parser("daily", help="nächtlicher Abgleich und Erinnerungen (alle Kommunen)")
        actions.add_parser("remind", help="nur die Erinnerungen der Beschlusskontrolle")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "daily":
            for slug, result in services.ris_sync_daily().items():
                self.stdout.write(f"{slug}: {self._summary(result)}")
            count = services.follow_up_reminders_send()
            self.stdout.write(f"{count} Erinnerung(en) der Beschlusskontrolle.")
            return
        if action == "remind":
            count = services.follow_up_reminders_send()
            self.stdout.write(f"{count} Erinnerung(en) der Beschlusskontrolle.")
            return
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"Keine Kommune mit Kurzname „{options['municipality']}“.")
        try:
            result = services.ris_sync(
                municipality=municipality, system_url=options["url"], full=options["full"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(self._summary(result))
            for problem in result.errors:
                self.stdout.write(f"  {problem['id']}: {problem['message']}")
        if not result.ok:
            sys.stdout.flush()
            self.stdout.flush()
            sys.exit(2)

    @staticmethod
    def _summary(result: services.SyncResult) -> str:
        if not result.ok:
            return "Abgleich nicht möglich."
        names = {
            "organizations": "Gremien",
            "meetings": "Sitzungen",
            "papers": "Vorlagen",
            "agenda_items": "Tagesordnungspunkte",
            "decisions": "Beschlüsse",
        }
        created = ", ".join(f"{result.created[k]} {v}" for k, v in names.items())
        updated = sum(result.updated.values())
        return f"neu: {created}; geändert: {updated}; Fehler: {len(result.errors)}"
