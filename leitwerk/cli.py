"""The `leitwerk` console script: Django's management commands with Leitwerk's settings."""

from __future__ import annotations

import os
import sys

OVERVIEW = """Leitwerk – Steuerung für Kommunalverwaltungen

Aufruf: leitwerk BEFEHL [OPTIONEN]

Leitwerk-Befehle:
  municipality create SLUG --name NAME [--ags AGS] [--kind stadt|gemeinde|amt|kreis] [--parent SLUG]
  municipality delete SLUG --confirm SLUG   Kommune mit allen Daten und Dateien löschen
  user create EMAIL --municipality SLUG --role ROLLE [--unit EINHEIT] [--password PW]
  user export EMAIL -o FILE  alle Daten einer Person als JSON (Auskunft, Art. 15 DSGVO)
  user delete EMAIL          Person löschen; Protokoll und Inhalte nennen ein Pseudonym
  demo                       Demodaten (Musterstadt, Amt Musterland) laden
  import guideline PATH --municipality SLUG [--dry-run] [--json]
  import plan PATH --municipality SLUG [--mapping FILE] [--dry-run] [--json]
  export plan --municipality SLUG [--plan ID] --format json|xlsx|csv [-o FILE]
  export guideline --municipality SLUG [--guideline ID] --format json [-o FILE]
  report --municipality SLUG [--plan ID] --format pdf|docx|xlsx -o FILE [--as-of JJJJ-MM-TT]
  oparl sync --municipality SLUG [--url URL] [--json] [--full]   Ratsinformationssystem abgleichen
  oparl daily                nächtlicher RIS-Abgleich und Erinnerungen der Beschlusskontrolle
  token create --user EMAIL [--municipality SLUG] [--name NAME]   Token für die REST-API
  worker                     Hintergrundaufgaben ausführen (db_worker)
  backup -o DATEI            Datenbank und hochgeladene Dateien sichern (tar.gz mit Prüfsummen)
  restore DATEI [--noinput]  eine Sicherung zurückspielen (ersetzt alle Daten)
  generate --scale S|M|L [--seed N]   synthetische Daten für Lastmessungen
  bench [--scales S,M] [--json]       Lastmessung (Seiten, Durchsatz, Import, Bericht)
  migrate, runserver, …      alle Django-Befehle; Liste: leitwerk help --commands

Hilfe zu einem Befehl: leitwerk BEFEHL --help
"""


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    argv = list(sys.argv)
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        sys.stdout.write(OVERVIEW)
        return
    if argv[1] == "worker":
        argv[1:2] = ["db_worker"]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
