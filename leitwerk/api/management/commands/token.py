"""`leitwerk token create --user EMAIL [--municipality SLUG] [--name NAME]` and `token revoke`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from leitwerk.accounts.models import User
from leitwerk.api.models import TOKEN_PREFIX, ApiToken
from leitwerk.api.services import api_token_create, api_token_revoke
from leitwerk.core.commands import LeitwerkCommand
from leitwerk.municipalities.models import Membership, Municipality


class Command(LeitwerkCommand):
    help = "Legt Zugangs-Tokens für die REST-Schnittstelle an oder widerruft sie."

    def add_arguments(self, parser):
        actions = self.add_actions(parser)
        create = actions.add_parser(
            "create",
            help="Token anlegen und einmal anzeigen",
            description=(
                "Legt ein Token an, das als diese Person in dieser Kommune handelt (mit genau "
                "ihren Rechten dort). Das Token wird nur jetzt angezeigt; gespeichert wird nur "
                "ein Prüfwert."
            ),
        )
        create.add_argument("--user", required=True, metavar="EMAIL", help="E-Mail der Person")
        create.add_argument(
            "--municipality",
            default=None,
            metavar="SLUG",
            help="Kurzname der Kommune; nötig, wenn die Person in mehreren Kommunen Rollen hat",
        )
        create.add_argument(
            "--name", default="", metavar="NAME", help="Bezeichnung, z. B. „Fachverfahren Kita“"
        )
        revoke = actions.add_parser(
            "revoke",
            help="Token widerrufen",
            description="Widerruft ein Token anhand seiner Kennung (die Zeichen nach lw_).",
        )
        revoke.add_argument("hint", metavar="KENNUNG", help="die ersten 8 Zeichen nach „lw_“")

    def handle(self, *args, **opts):
        if opts["action"] == "revoke":
            return self._revoke(opts["hint"])
        email = opts["user"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"Eine Person mit der E-Mail „{email}“ gibt es nicht.")
        municipality = self._municipality(user, opts["municipality"])
        try:
            token, raw = api_token_create(
                user=user, municipality=municipality, name=opts["name"], actor=None
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        self.stdout.write(raw)
        self.stderr.write(
            f"Token „{token.name}“ für {user.email} in {municipality.name} angelegt. "
            "Es wird nur jetzt angezeigt."
        )

    def _municipality(self, user: User, slug: str | None) -> Municipality:
        if slug:
            municipality = Municipality.objects.filter(slug=slug).first()
            if municipality is None:
                raise CommandError(f"Eine Kommune mit dem Kurznamen „{slug}“ gibt es nicht.")
            return municipality
        ids = set(Membership.objects.filter(user=user).values_list("municipality_id", flat=True))
        if not ids:
            raise CommandError(f"{user.email} hat in keiner Kommune eine Rolle.")
        if len(ids) > 1:
            raise CommandError(
                f"{user.email} hat Rollen in mehreren Kommunen; bitte --municipality angeben."
            )
        return Municipality.objects.get(pk=ids.pop())

    def _revoke(self, hint: str) -> None:
        hint = hint.removeprefix(TOKEN_PREFIX)[:8]
        tokens = list(ApiToken.objects.filter(hint=hint, revoked_at__isnull=True))
        if not tokens:
            raise CommandError(f"Ein gültiges Token mit der Kennung „{hint}“ gibt es nicht.")
        if len(tokens) > 1:
            raise CommandError(f"Die Kennung „{hint}“ ist nicht eindeutig.")
        api_token_revoke(token=tokens[0], actor=None)
        self.stdout.write(f"Token „{tokens[0].name}“ widerrufen.")
