from __future__ import annotations

import json

import pytest

from leitwerk.reports.builder import build_snapshot, snapshot_digest, snapshot_json

from .conftest import AS_OF

pytestmark = pytest.mark.django_db


def test_same_data_gives_identical_snapshot_json(report_plan):
    first = snapshot_json(build_snapshot(plan=report_plan, as_of=AS_OF, created_on=AS_OF))
    second = snapshot_json(build_snapshot(plan=report_plan, as_of=AS_OF, created_on=AS_OF))
    assert first == second
    assert json.loads(first)["as_of"] == "2026-07-02"


def test_snapshot_contents(report_plan):
    s = build_snapshot(plan=report_plan, as_of=AS_OF, climate_relevance="Weniger Autofahrten.")
    assert [f["label"] for f in s["action_fields"]] == ["A Digitale Services", "B Klima"]
    # Health from the controlling roll-up, with German text labels.
    bike = s["action_fields"][1]["initiatives"][0]
    assert (bike["health"], bike["health_label"]) == ("off_track", "kritisch")
    assert [m["title"] for m in s["milestones"]["reached"]] == ["Ausschreibung"]
    assert [m["title"] for m in s["milestones"]["overdue"]] == ["Bauabnahme"]
    # The measurement after the reference day is left out.
    indicator = s["indicators"][0]
    assert [v["value"] for v in indicator["values"]] == ["15", "30"]
    assert indicator["chart_svg"].startswith("<svg") and "<script" not in indicator["chart_svg"]
    checklist = s["indicators"][1]
    assert checklist["attainment"] == 50 and checklist["chart_svg"] == ""
    assert checklist["checklist"] == [
        {"text": "Rathaus", "done": True},
        {"text": "Bürgerbüro Nord", "done": False},
    ]
    deviation = s["deviations"][0]
    assert deviation["initiative"] == "B1 Radweg Nord"
    assert "Lieferengpass" in deviation["explanation"]
    assert s["decisions"]["recorded"][0]["title"] == "Mehrkosten freigegeben"
    assert s["finance"]["budget_eur"] == "1225000"
    assert s["climate_relevance"] == "Weniger Autofahrten."
    assert s["goal_fields"][0]["goals"][0]["label"].endswith("Mehr Radverkehr")


def test_later_changes_do_not_alter_a_past_snapshot(report_plan):
    from leitwerk.controlling.tests.factories import MeasurementFactory
    from leitwerk.plans.models import Indicator

    before = snapshot_digest(build_snapshot(plan=report_plan, as_of=AS_OF))
    indicator = Indicator.objects.get(title="Anteil Online-Buchungen")
    MeasurementFactory(
        municipality=indicator.municipality,
        indicator=indicator,
        measured_on=AS_OF.replace(month=10),
        value=50,
    )
    assert snapshot_digest(build_snapshot(plan=report_plan, as_of=AS_OF)) == before
