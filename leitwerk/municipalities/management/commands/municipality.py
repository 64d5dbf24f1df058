from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from leitwerk.core.commands import LeitwerkCommand
from leitwerk.municipalities.models import MunicipalityKind
from leitwerk.municipalities.services import municipality_create

KINDS = "|".join(MunicipalityKind.values)


class Command(LeitwerkCommand):
    help = "Legt eine Kommune (Mandant) an."

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

    def handle(self, *args, **opts):
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
