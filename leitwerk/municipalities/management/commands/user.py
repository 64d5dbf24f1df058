from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from leitwerk.municipalities.models import Municipality
from leitwerk.municipalities.services import user_create


class Command(BaseCommand):
    help = "Legt eine Person an und gibt ihr eine Rolle in einer Kommune."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Person anlegen")
        create.add_argument("email")
        create.add_argument("--municipality", required=True)
        create.add_argument("--role", required=True)
        create.add_argument("--unit", default=None)
        create.add_argument("--password", default=None)

    def handle(self, *args, **opts):
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
