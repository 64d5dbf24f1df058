from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from leitwerk.core.commands import LeitwerkCommand
from leitwerk.municipalities.models import Municipality, Role
from leitwerk.municipalities.services import user_create

ROLES = "|".join(Role.values)


class Command(LeitwerkCommand):
    help = "Legt eine Person an und gibt ihr eine Rolle in einer Kommune."

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
