"""A base for Leitwerk's own management commands: German help and one-line errors.

Other tools call `leitwerk municipality create …` and `leitwerk user create …` and show or log
what goes wrong. argparse answers bad input with a multi-line English usage block; these
commands answer every bad input with exactly one German line on stderr and a non-zero exit.
"""

from __future__ import annotations

import re
import sys
from typing import Any, NoReturn

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
    SystemCheckError,
)

# argparse formats its messages in English before calling `error()`; these patterns cover the
# messages our options can produce. Anything else is still shown, on one line, after a German lead.
_TRANSLATIONS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^the following arguments are required: (?P<names>.+)$"),
        "Pflichtangabe fehlt: {names}.",
    ),
    (re.compile(r"^unrecognized arguments: (?P<names>.+)$"), "Unbekannte Angabe: {names}."),
    (
        re.compile(r"^argument (?P<name>.+?): expected one argument$"),
        "Nach {name} fehlt der Wert.",
    ),
    (
        re.compile(r"^argument (?P<name>.+?): invalid int value: '(?P<value>.*)'$"),
        "„{value}“ ist für {name} keine ganze Zahl.",
    ),
    (
        re.compile(
            r"^argument (?P<name>.+?): invalid choice: '(?P<value>.*)' "
            r"\(choose from (?P<choices>.+)\)$"
        ),
        "„{value}“ ist für {name} nicht möglich; möglich ist: {choices}.",
    ),
    (
        re.compile(r"^ambiguous option: (?P<name>\S+) could match (?P<matches>.+)$"),
        "{name} ist nicht eindeutig; gemeint ist eine von: {matches}.",
    ),
]

_DJANGO_OPTION_HELP = {
    "help": "Diese Hilfe zeigen und beenden.",
    "version": "Die Versionsnummer zeigen und beenden.",
    "verbosity": "Ausführlichkeit: 0 = still, 1 = normal, 2 = ausführlich, 3 = sehr ausführlich.",
    "settings": "Python-Pfad des Einstellungsmoduls (sonst DJANGO_SETTINGS_MODULE).",
    "pythonpath": "Verzeichnis, das dem Python-Suchpfad vorangestellt wird.",
    "traceback": "Bei einem Fehler den vollständigen Python-Traceback zeigen.",
    "no_color": "Ausgabe nicht einfärben.",
    "force_color": "Ausgabe immer einfärben.",
    "skip_checks": "Die Systemprüfungen überspringen.",
}


def german_message(message: str) -> str:
    message = " ".join(message.split())
    for pattern, template in _TRANSLATIONS:
        match = pattern.match(message)
        if match:
            return template.format(
                **{key: value.replace("'", "") for key, value in match.groupdict().items()}
            )
    return f"Ungültiger Aufruf: {message}"


class _GermanHelpFormatter(DjangoHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, prefix="Aufruf: " if prefix is None else prefix)


def _germanize(parser: CommandParser) -> None:
    parser._positionals.title = "Argumente"
    parser._optionals.title = "Optionen"
    for action in parser._actions:
        if action.dest in _DJANGO_OPTION_HELP:
            action.help = _DJANGO_OPTION_HELP[action.dest]


class OneLineErrorParser(CommandParser):
    """Writes one German line to stderr and exits 2 on bad input (raises CommandError when
    the command is called from code, as Django's own parser does)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _GermanHelpFormatter)
        super().__init__(**kwargs)
        _germanize(self)

    def error(self, message: str) -> NoReturn:
        text = german_message(message)
        if not self.called_from_command_line:
            raise CommandError(text)
        self.exit(2, f"Fehler: {text} Hilfe: {self.prog} --help\n")


class LeitwerkCommand(BaseCommand):
    """BaseCommand whose parse and CommandError messages are one German line each."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", _GermanHelpFormatter)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django builds a plain CommandParser; "unrecognized arguments" and a missing action are
        # reported by this top-level parser, so it needs the one-line error() too.
        parser.__class__ = OneLineErrorParser
        _germanize(parser)
        return parser

    def add_actions(self, parser: CommandParser) -> Any:
        """Subcommands (`create`, …) whose parsers also answer in one German line."""
        return parser.add_subparsers(
            dest="action",
            required=True,
            metavar="AKTION",
            title="Aktionen",
            parser_class=OneLineErrorParser,
        )

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            # From code (call_command) the caller handles the exception; on the command line
            # Django would print "CommandError: …", we print the German lead instead.
            if (
                not getattr(self, "_called_from_command_line", False)
                or options.get("traceback")
                or isinstance(error, SystemCheckError)
            ):
                raise
            self.stderr.write(f"Fehler: {' '.join(str(error).split())}")
            sys.exit(error.returncode)
