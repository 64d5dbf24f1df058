"""`leitwerk` as an installed console script: help and exit codes, as other tools call it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXE = Path(sys.executable).parent / "leitwerk"


@pytest.fixture
def env(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path}/cli.sqlite3")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def run(env, *args):
    return subprocess.run([str(EXE), *args], env=env, capture_output=True, text=True, timeout=600)


def test_help_lists_the_leitwerk_commands(env):
    result = run(env, "--help")
    assert result.returncode == 0
    for command in ("municipality create", "user create", "demo", "import plan", "export plan"):
        assert command in result.stdout


@pytest.mark.slow
def test_bad_input_exits_non_zero_with_one_line(env):
    # Slow: migrates a fresh SQLite file first (~25 s). The default run checks the same
    # refusal in-process (test_cli.py, test_municipality_create_rejects_bad_input_...) and the
    # console script's one-line errors below.
    assert run(env, "migrate", "-v0").returncode == 0
    result = run(env, "municipality", "create", "x", "--name", "X", "--kind", "planet")
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Unbekannte Art" in result.stderr


# Each case starts the console script (a Python with Django, ~2 s): the default run takes two
# kinds of parse error, the slow run all of them.
slow = pytest.mark.slow


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["municipality", "create", "x"], "Pflichtangabe fehlt: --name"),
        pytest.param(
            ["municipality", "create", "x", "--name"], "Nach --name fehlt der Wert", marks=slow
        ),
        pytest.param(
            ["municipality", "create", "x", "--name", "X", "--population", "viele"],
            "keine ganze Zahl",
            marks=slow,
        ),
        (["municipality", "create", "x", "--name", "X", "--farbe", "rot"], "Unbekannte Angabe"),
        pytest.param(["municipality"], "Pflichtangabe fehlt", marks=slow),
        pytest.param(
            ["user", "create", "p@example.org"],
            "Pflichtangabe fehlt: --municipality, --role",
            marks=slow,
        ),
    ],
)
def test_parse_errors_are_one_german_line_with_exit_2(env, args, message):
    # Parse errors happen before any database access, so no migrate is needed.
    result = run(env, *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "usage" not in result.stderr


def test_user_create_help_lists_the_roles_in_german(env):
    result = run(env, "user", "create", "--help")
    assert result.returncode == 0
    assert "admin|strategy|unit_editor|project_lead|council|viewer" in result.stdout
    for text in ("Kurzname der Kommune", "Organisationseinheit", "Projektleitung", "Passwort"):
        assert text in result.stdout
