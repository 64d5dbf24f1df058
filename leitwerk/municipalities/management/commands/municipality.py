from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from leitwerk.core.commands import LeitwerkCommand
from leitwerk.municipalities.models import MunicipalityKind
from leitwerk.municipalities.offboarding import municipality_delete
from leitwerk.municipalities.services import municipality_create

KINDS = "|".join(MunicipalityKind.values)


class Command(LeitwerkCommand):
    help = "Legt eine Kommune (Mandant) an oder löscht sie mit allen Daten."

    def add_arguments(self, parser):
        actions = self.add_actions(parser)
        create = actions.add_parser(
            "create",
            help="Kommune anlegen",
            description="Legt eine Kommune an; Mitgliedsgemeinden nennen mit --parent ihr Amt.",
        )
        create.add_argument(
            "slug",
            metavar="SLUG",
            help="Kurzname in Adressen, z. B. neustadt (Kleinbuchstaben, Ziffern, Bindestriche)",
        )
        create.add_argument("--name", required=True, metavar="NAME", help="Name der Kommune")
        create.add_argument(
            "--ags", default="", metavar="AGS", help="Amtlicher Gemeindeschlüssel, genau 8 Ziffern"
        )
        create.add_argument(
            "--kind",
            default=MunicipalityKind.STADT,
            metavar=KINDS,
            help=f"Art der Kommune: {', '.join(MunicipalityKind.values)} (Standard: stadt)",
        )
        create.add_argument(
            "--parent",
            default=None,
            metavar="SLUG",
            help="Kurzname des Amtes, zu dem diese Stadt oder Gemeinde gehört",
        )
        create.add_argument(
            "--population", type=int, default=None, metavar="ZAHL", help="Einwohnerzahl"
        )

        delete = actions.add_parser(
            "delete",
            help="Kommune mit allen Daten löschen (Offboarding)",
            description=(
                "Löscht die Kommune mit allen Zeilen in allen Tabellen (auch Verlauf, "
                "Protokoll, Hintergrundaufgaben) und allen hochgeladenen Dateien. Andere "
                "Kommunen bleiben unverändert. Nicht umkehrbar."
            ),
        )
        delete.add_argument("slug", metavar="SLUG", help="Kurzname der Kommune")
        delete.add_argument(
            "--confirm",
            required=True,
            metavar="SLUG",
            help="zur Bestätigung noch einmal genau den Kurznamen",
        )

    def handle(self, *args, **opts):
        if opts["action"] == "delete":
            return self._delete(opts)
        try:
            municipality = municipality_create(
                slug=opts["slug"],
                name=opts["name"],
                ags=opts["ags"],
                kind=opts["kind"],
                parent_slug=opts["parent"],
                population=opts["population"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        self.stdout.write(f"Kommune „{municipality.name}“ ({municipality.slug}) angelegt.")

    def _delete(self, opts):
        try:
            result = municipality_delete(slug=opts["slug"], confirm=opts["confirm"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        self.stdout.write(
            f"Kommune „{result['name']}“ ({result['slug']}) gelöscht: "
            f"{sum(result['rows'].values())} Zeilen, {result['files']} Dateien, "
            f"{result['task_results']} Aufgabenergebnisse."
        )
        if result["people_without_role"]:
            self.stdout.write(
                "Ohne Rolle in einer Kommune sind jetzt: "
                + ", ".join(result["people_without_role"])
                + " – bei Bedarf mit „leitwerk user delete EMAIL“ löschen."
            )
