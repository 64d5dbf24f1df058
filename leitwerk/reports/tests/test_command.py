from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from leitwerk.plans.models import PlanStatus
from leitwerk.plans.tests.factories import ActionPlanFactory

pytestmark = pytest.mark.django_db


def test_cli_writes_the_newest_adopted_plan(report_plan, musterstadt, tmp_path):
    ActionPlanFactory(
        municipality=musterstadt, title="Entwurf 2029", status=PlanStatus.DRAFT, period_start=None
    )
    out = tmp_path / "bericht.xlsx"
    call_command(
        "report", municipality="musterstadt", fmt="xlsx", output=str(out), as_of="2026-07-02"
    )
    plan_sheet = load_workbook(out)["Plan"]
    values = [row[1] for row in plan_sheet.iter_rows(min_row=2, values_only=True)]
    assert "Aktionsplan Musterstadt 2026" in values


def test_cli_with_plan_id_writes_docx(report_plan, tmp_path):
    out = tmp_path / "bericht.docx"
    call_command(
        "report", municipality="musterstadt", plan=report_plan.pk, fmt="docx", output=str(out)
    )
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"municipality": "nirgendwo", "fmt": "pdf"}, "Keine Kommune"),
        ({"municipality": "musterstadt", "fmt": "odt"}, "Unbekanntes Format"),
        ({"municipality": "musterstadt", "fmt": "pdf", "plan": 999999}, "keinen Aktionsplan"),
        ({"municipality": "musterstadt", "fmt": "pdf", "as_of": "gestern"}, "Ungültiger Stichtag"),
    ],
)
def test_cli_refuses_bad_input_in_german(report_plan, tmp_path, kwargs, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", output=str(tmp_path / "x.pdf"), **kwargs)
    assert not (tmp_path / "x.pdf").exists()


def test_cli_foreign_plan_is_refused(report_plan, other_town, tmp_path):
    with pytest.raises(CommandError, match="keinen Aktionsplan"):
        call_command(
            "report",
            municipality="fremdstadt",
            plan=report_plan.pk,
            fmt="pdf",
            output=str(tmp_path / "x.pdf"),
        )


def test_cli_exit_code_is_non_zero(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "report",
            "--municipality",
            "musterstadt",
            "--format",
            "odt",
            "-o",
            str(tmp_path / "x.pdf"),
        ],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert result.returncode != 0
    # Checked before any database access, so this runs against an empty test database.
    assert "Unbekanntes Format" in result.stderr and len(result.stderr.strip().splitlines()) == 1
