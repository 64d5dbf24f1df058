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


def test_bad_input_exits_non_zero_with_one_line(env):
    assert run(env, "migrate", "-v0").returncode == 0
    result = run(env, "municipality", "create", "x", "--name", "X", "--kind", "planet")
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Unbekannte Art" in result.stderr
