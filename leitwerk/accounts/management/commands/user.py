from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from leitwerk.accounts.privacy import user_by_email, user_delete, user_export
from leitwerk.core.commands import LeitwerkCommand
from leitwerk.municipalities.models import Municipality, Role
from leitwerk.municipalities.services import user_create

ROLES = "|".join(Role.values)


class Command(LeitwerkCommand):
    help = (
        "Legt eine Person an und gibt ihr eine Rolle in einer Kommune; beantwortet Auskunfts- "
        "und Löschanfragen (export, delete)."
    )

    def add_arguments(self, parser):
        actions = self.add_actions(parser)
        create = actions.add_parser(
            "create",
            help="Person anlegen",
            description=(
                "Legt eine Person an (oder nimmt die vorhandene mit dieser E-Mail-Adresse) "
                "und gibt ihr eine Rolle in einer Kommune."
            ),
        )
        create.add_argument(
            "email", metavar="EMAIL", help="E-Mail-Adresse, mit der sie sich anmeldet"
        )
        create.add_argument(
            "--municipality", required=True, metavar="SLUG", help="Kurzname der Kommune"
        )
        create.add_argument(
            "--role",
            required=True,
            metavar=ROLES,
            help="Rolle: " + ", ".join(f"{value} ({label})" for value, label in Role.choices),
        )
        create.add_argument(
            "--unit",
            default=None,
            metavar="EINHEIT",
            help="Name oder Kürzel der Organisationseinheit; nötig für unit_editor",
        )
        create.add_argument(
            "--password",
            default=None,
            metavar="PW",
            help="Passwort für eine neue Person; ohne Angabe kann sie sich noch nicht anmelden",
        )

        export = actions.add_parser(
            "export",
            help="alle gespeicherten Daten einer Person als JSON (Auskunft nach Art. 15 DSGVO)",
            description=(
                "Schreibt alles, was Leitwerk über eine Person speichert (Konto, Rollen, "
                "Protokolleinträge, Kommentare, Zuständigkeiten …), als JSON-Datei."
            ),
        )
        export.add_argument("email", metavar="EMAIL", help="E-Mail-Adresse der Person")
        export.add_argument(
            "-o", "--output", required=True, metavar="DATEI", help="Zieldatei (JSON); - für stdout"
        )
        delete = actions.add_parser(
            "delete",
            help="Konto löschen, Protokoll und Inhalte behalten ein Pseudonym (Art. 17 DSGVO)",
            description=(
                "Löscht E-Mail-Adresse, Namen, Passwort und Rollen der Person. Protokoll und "
                "Inhalte, die sie geschrieben hat, bleiben und nennen ein Pseudonym "
                "(„Gelöschte Person #…“)."
            ),
        )
        delete.add_argument("email", metavar="EMAIL", help="E-Mail-Adresse der Person")

    def handle(self, *args, **opts):
        if opts["action"] == "export":
            return self._export(opts)
        if opts["action"] == "delete":
            return self._delete(opts)
        municipality = Municipality.objects.filter(slug=opts["municipality"]).first()
        if municipality is None:
            raise CommandError(f"Die Kommune „{opts['municipality']}“ gibt es nicht.")
        try:
            user = user_create(
                email=opts["email"],
                municipality=municipality,
                role=opts["role"],
                unit_name=opts["unit"],
                password=opts["password"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        self.stdout.write(f"{user.email} hat jetzt die Rolle „{opts['role']}“ in {municipality}.")

    def _export(self, opts):
        import json
        from pathlib import Path

        try:
            data = user_export(user=user_by_email(opts["email"]))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if opts["output"] == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(opts["output"]).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(
                f"Die Datei „{opts['output']}“ kann nicht geschrieben werden: "
                f"{error.strerror or error}."
            )
        self.stdout.write(f"Daten von {data['account']['email']} in {opts['output']} geschrieben.")

    def _delete(self, opts):
        try:
            pseudonym = user_delete(user=user_by_email(opts["email"]))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        self.stdout.write(
            f"{opts['email']} gelöscht; Protokoll und Inhalte nennen jetzt „{pseudonym}“."
        )
