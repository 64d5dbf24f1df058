"""`leitwerk token create|revoke`: prints the token once, German one-line errors."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from leitwerk.api.models import ApiToken, token_hash
from leitwerk.municipalities.models import Role
from leitwerk.municipalities.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _create(*args: str) -> str:
    out = StringIO()
    call_command("token", "create", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_create_prints_a_token_that_is_stored_hashed(strategy_user, musterstadt):
    raw = _create("--user", strategy_user.email, "--name", "Fachverfahren Kita")
    token = ApiToken.objects.get()
    assert token.key_hash == token_hash(raw) and raw not in token.key_hash
    assert (token.user, token.municipality, token.name) == (
        strategy_user,
        musterstadt,
        "Fachverfahren Kita",
    )


def test_a_person_with_roles_in_two_municipalities_must_name_one(strategy_user, other_town):
    MembershipFactory(user=strategy_user, municipality=other_town, role=Role.VIEWER)
    with pytest.raises(CommandError, match="mehreren Kommunen; bitte --municipality"):
        _create("--user", strategy_user.email)
    raw = _create("--user", strategy_user.email, "--municipality", "fremdstadt")
    assert ApiToken.objects.get(key_hash=token_hash(raw)).municipality == other_town


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "niemand@example.org"], "gibt es nicht"),
        (["--user", "strategie@musterstadt.test", "--municipality", "atlantis"], "gibt es nicht"),
        (["--user", "strategie@musterstadt.test", "--municipality", "fremdstadt"], "keine Rolle"),
    ],
)
def test_bad_input_answers_with_one_german_line(strategy_user, other_town, args, message):
    with pytest.raises(CommandError, match=message):
        _create(*args)
    assert not ApiToken.objects.exists()


def test_revoke_ends_a_token(strategy_user, musterstadt):
    raw = _create("--user", strategy_user.email)
    # The whole token, as a person pastes it: its first eight characters alone may begin
    # with "-" (URL-safe alphabet), which the command line would read as an option.
    call_command("token", "revoke", raw, stdout=StringIO())
    assert ApiToken.objects.get().revoked_at is not None
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("token", "revoke", raw, stdout=StringIO())


def test_the_command_line_error_is_one_german_line():
    result = subprocess.run(
        [sys.executable, "manage.py", "token", "create"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("Fehler: Pflichtangabe fehlt: --user.")
