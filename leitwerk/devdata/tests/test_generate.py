"""`leitwerk generate`: deterministic by seed, row counts by formula, rows valid for the models."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F

from leitwerk.devdata.bench import COLD_NOTE
from leitwerk.devdata.generate import SCALES, generate, measured_slug
from leitwerk.feedback.models import Answer, Response, Wave
from leitwerk.municipalities.models import Membership, Municipality
from leitwerk.network.models import BenchmarkValue, Network, SharedIndicator
from leitwerk.plans.models import ActionPlan, Indicator, Initiative, Measurement, Milestone

TODAY = dt.date(2026, 11, 22)

pytestmark = pytest.mark.django_db


def _checksum(seed: int) -> str:
    with transaction.atomic():
        result = generate(scale="T", seed=seed, today=TODAY)
        transaction.set_rollback(True)
    return result.checksum


def test_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = _checksum(7)
    assert Municipality.objects.count() == 0  # rolled back: the second run starts afresh
    assert _checksum(7) == first
    assert _checksum(8) != first


def test_row_counts_follow_the_scale_formula():
    spec = SCALES["T"]
    result = generate(scale="T", seed=1, today=TODAY)
    expected = spec.expected_counts()
    assert result.counts == expected
    scale = {"municipality__slug__startswith": "t-"}
    assert Municipality.objects.filter(slug__startswith="t-").count() == expected["municipalities"]
    assert ActionPlan.objects.filter(**scale).count() == expected["plans"]
    assert Initiative.objects.filter(**scale).count() == expected["initiatives"]
    assert Milestone.objects.filter(**scale).count() == expected["milestones"]
    assert Measurement.objects.filter(**scale).count() == expected["measurements"]
    assert Answer.objects.filter(**scale).count() == expected["answers"]
    assert BenchmarkValue.objects.filter(**scale).count() == expected["benchmark_values"]
    # The measured municipality has the two plans the bench reads (200 + 100 Vorhaben at S).
    measured = Municipality.objects.get(slug=measured_slug("T"))
    sizes = [
        Initiative.objects.filter(action_field__plan=plan).count()
        for plan in ActionPlan.objects.filter(municipality=measured).order_by("id")
    ]
    assert sizes == list(spec.measured_plans)
    assert Network.objects.get(slug="bench-t").members.count() == spec.municipalities


def test_the_issue_sizes_of_s_m_and_l():
    assert SCALES["S"].expected_counts()["initiatives"] == 300
    assert SCALES["M"].expected_counts()["municipalities"] == 100
    large = SCALES["L"].expected_counts()
    assert large["municipalities"] == 1000
    assert large["answers"] == 2_000_000
    # 200 Vorhaben per municipality, the measured one has 300: 200,100 in all.
    assert large["initiatives"] == 200_100
    assert large["milestones"] == 5 * 200_100
    assert large["measurements"] == 25 * 200_100


def test_rows_are_valid_for_the_models_and_stored_counts_match():
    generate(scale="T", seed=3, today=TODAY)
    measured = Municipality.objects.get(slug=measured_slug("T"))
    for model in (
        ActionPlan,
        Initiative,
        Milestone,
        Indicator,
        Measurement,
        Membership,
        Response,
        Answer,
        Wave,
        SharedIndicator,
        BenchmarkValue,
    ):
        row = model.objects.filter(municipality=measured).first()
        assert row is not None, model
        row.full_clean()  # check constraints, choices, tenant links
    for wave in Wave.objects.filter(municipality__slug__startswith="t-"):
        assert wave.response_count == wave.responses.count()
    # Every row carries its tenant, also the children.
    assert not Answer.objects.exclude(municipality=F("response__municipality")).exists()


def test_command_refuses_a_second_run_of_the_same_scale():
    out = StringIO()
    call_command("generate", "--scale", "t", "--seed", "2", "--today", "2026-11-22", stdout=out)
    assert "Prüfsumme" in out.getvalue()
    with pytest.raises(CommandError, match="schon erzeugt"):
        call_command("generate", "--scale", "T", stdout=StringIO())


@pytest.mark.slow
def test_bench_json_has_the_contract_shape():
    generate(scale="T", seed=1)
    out = StringIO()
    call_command(
        "bench",
        "--scales",
        "T",
        "--json",
        "--requests",
        "3",
        "--warmup",
        "0",
        "--submissions",
        "2",
        "--import-rows",
        "20",
        "--import-large-rows",
        "30",
        "--cold",
        "2",
        "--no-gunicorn",
        stdout=out,
    )
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1  # ONE object
    result = json.loads(lines[0])
    assert set(result) == {
        "pages",
        "floor",
        "floor_signed_in",
        "survey_submit",
        "import",
        "import_50k",
        "report",
        "large_plan",
    }
    names = {p["name"] for p in result["pages"]}
    assert {
        "portal_plan",
        "workspace_plan",
        "initiative_profile",
        "indicator_chart",
        "dashboard",
    } <= names
    for page in result["pages"]:
        assert set(page) == {"name", "scale", "p50_ms", "p95_ms", "queries", "cold_p50_ms"}
        assert page["cold_p50_ms"] > 0
        assert page["scale"] == "T" and page["queries"] > 0 and page["p95_ms"] >= page["p50_ms"]
    assert set(result["floor"]) == {"p50_ms", "p95_ms"}
    assert set(result["floor_signed_in"]) == {"p50_ms", "p95_ms", "queries"}
    assert result["floor_signed_in"]["queries"] >= 1
    assert set(result["survey_submit"]) == {
        "clients",
        "rps",
        "errors",
        "floor_rps",
        "rps_persistent",
        "floor_rps_persistent",
    }
    assert result["survey_submit"]["errors"] == 0 and result["survey_submit"]["rps"] > 0
    for key in ("import", "import_50k"):
        assert set(result[key]) == {"rows", "seconds", "parser_floor_seconds", "peak_mb"}
        assert result[key]["peak_mb"] > 0
    assert result["import"]["rows"] == 20 and result["import_50k"]["rows"] == 30
    assert set(result["report"]) == {
        "initiatives",
        "seconds",
        "pages",
        "peak_mb",
        "reference_seconds",
        "reference_pages",
        "cpu_seconds",
        "reference_cpu_seconds",
        "renderer_floor_seconds",
    }
    assert result["report"]["initiatives"] == SCALES["T"].measured_plans[0]
    assert result["report"]["reference_pages"] == 30 and 0 < result["report"]["pages"] <= 40
    # Every survey answer the bench posted arrived (and the import was rolled back).
    assert Initiative.objects.filter(municipality__slug="bench-import").count() == 0
    # The cold samples' measurements were rolled back too: the generated data is unchanged.
    assert not Measurement.objects.filter(note=COLD_NOTE).exists()
