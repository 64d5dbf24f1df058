"""Messages a person reads: CLI usage errors in JSON, TOML mistakes, and import warnings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from leitwerk.imports.services import ImportFailed, plan_import
from leitwerk.municipalities.models import Municipality

PLAN = (
    "Nr.;Vorhaben;Erfahrungstransfer\n"
    "1;Radwege ausbauen;Oldenburg\n"
    "2;Stadtbäume pflanzen;Bonn, Frankfurt am Main\n"
)


@pytest.fixture
def town(db):
    return Municipality.objects.create(name="Prüfstadt", slug="pruefstadt")


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "radverkehr_2025.csv"
    path.write_text(PLAN, encoding="utf-8")
    return path


def test_json_usage_error_is_one_json_object(capsys, plan_file):
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "plan", str(plan_file), "--json")
    assert exit_.value.code == 2
    out = capsys.readouterr().out
    answer = json.loads(out)  # exactly one object: json.loads refuses anything after it
    assert answer["ok"] is False
    assert [set(e) for e in answer["errors"]] == [{"message", "row", "column"}]
    assert "--municipality" in answer["errors"][0]["message"]
    assert "fehlen" in answer["errors"][0]["message"]


def test_json_usage_error_from_the_real_command_line(plan_file):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(
        [sys.executable, "-m", "leitwerk.cli", "import", "plan", str(plan_file), "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        timeout=600,
    )
    assert done.returncode == 2
    answer = json.loads(done.stdout)
    assert answer["ok"] is False and "--municipality" in answer["errors"][0]["message"]


def test_usage_error_without_json_is_german_text(plan_file):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Diese Angaben fehlen: --municipality"):
        call_command("import", "plan", str(plan_file))


@pytest.mark.parametrize(
    ("toml", "where"),
    [
        ('[columns]\n"Kosten" = \n', "Zeile 2"),
        ("[columns\n", "Zeile 1"),
        ('[columns]\n"Kosten" = "extra', "Zeile 2"),
    ],
)
def test_a_broken_mapping_file_is_explained_in_german(town, plan_file, tmp_path, toml, where):
    mapping = tmp_path / "zuordnung.toml"
    mapping.write_text(toml, encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        plan_import(municipality=town, path=plan_file, mapping_path=mapping)
    message = failure.value.errors[0].message
    assert "zuordnung.toml" in message and where in message
    assert "keine gültige TOML-Datei" in message
    for english in ("Invalid", "Expected", "Unterminated", "at line", "document"):
        assert english not in message


def test_a_plan_without_a_title_in_the_file_asks_for_one_instead_of_using_the_file_name(
    town, plan_file
):
    result = plan_import(municipality=town, path=plan_file, dry_run=True)
    assert result["plan"]["title"] == ""
    assert result["needs_title"] is True
    assert any("nennt keinen Titel" in w for w in result["warnings"])
    # Without a title (the command line, scripts) the plan says that its title is missing.
    unnamed = plan_import(municipality=town, path=plan_file)
    assert unnamed["plan"]["title"] == f"Aktionsplan ohne Titel ({plan_file.stem})"
    assert any("--title" in w for w in unnamed["warnings"])
    named = plan_import(municipality=town, path=plan_file, title="Radverkehrsplan 2025")
    assert named["plan"]["title"] == "Radverkehrsplan 2025"
    assert not any("nennt keinen Titel" in w for w in named["warnings"])


def test_a_revised_file_without_a_title_updates_the_plan_it_became_before(town, plan_file):
    plan_import(municipality=town, path=plan_file, title="Radverkehrsplan 2025")
    again = plan_import(municipality=town, path=plan_file, dry_run=True)
    assert again["needs_title"] is False
    assert again["plan"]["title"] == "Radverkehrsplan 2025"
    assert any("neue Fassung des Plans „Radverkehrsplan 2025“" in w for w in again["warnings"])


def test_a_title_in_the_file_is_not_reported_as_taken_from_the_name(town, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("Aktionsplan Mobilität\n\n" + PLAN, encoding="utf-8")
    result = plan_import(municipality=town, path=path, dry_run=True)
    assert result["plan"]["title"] == "Aktionsplan Mobilität"
    assert not any("nennt keinen Titel" in w for w in result["warnings"])


def test_a_city_resolved_to_another_name_is_reported(town, plan_file):
    result = plan_import(municipality=town, path=plan_file, dry_run=True)
    cities = [
        c["name"]
        for f in result["plan"]["action_fields"]
        for i in f["initiatives"]
        for c in i["transfer_cities"]
    ]
    assert cities == ["Oldenburg (Oldenburg)", "Bonn", "Frankfurt am Main"]
    city_warnings = [w for w in result["warnings"] if "erkannt" in w]
    assert len(city_warnings) == 1
    assert "„Oldenburg“" in city_warnings[0] and "„Oldenburg (Oldenburg)“" in city_warnings[0]
    assert "Zeile 2" in city_warnings[0]
