from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from leitwerk.municipalities.models import MunicipalityKind
from leitwerk.municipalities.services import municipality_create


class Command(BaseCommand):
    help = "Legt eine Kommune (Mandant) an."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Kommune anlegen")
        create.add_argument("slug")
        create.add_argument("--name", required=True)
        create.add_argument("--ags", default="")
        create.add_argument("--kind", default=MunicipalityKind.STADT)
        create.add_argument("--parent", default=None, help="Kurzname des Amtes")
        create.add_argument("--population", type=int, default=None)

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
