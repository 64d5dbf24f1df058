from __future__ import annotations

import json
import re

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
    spark = indicator["sparkline_svg"]
    assert spark.startswith("<svg") and "<script" not in spark
    checklist = s["indicators"][1]
    assert checklist["attainment"] == 50 and checklist["sparkline_svg"] == ""
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


@pytest.fixture
def stopped(report_plan):
    """A stopped Vorhaben whose milestone is done and whose last report said "kritisch"."""
    from leitwerk.controlling.tests.factories import StatusReportFactory
    from leitwerk.plans.models import ActionField, InitiativeStatus
    from leitwerk.plans.tests.factories import InitiativeFactory, MilestoneFactory

    field = ActionField.objects.get(plan=report_plan, code="B")
    initiative = InitiativeFactory(
        municipality=report_plan.municipality,
        action_field=field,
        number="B2",
        title="Seilbahn",
        status=InitiativeStatus.CANCELLED,
        start_date=AS_OF.replace(month=1, day=1),
        end_date=AS_OF.replace(month=3, day=31),
    )
    MilestoneFactory(
        municipality=report_plan.municipality,
        initiative=initiative,
        title="Machbarkeitsstudie",
        done_on=AS_OF.replace(month=2, day=1),
    )
    MilestoneFactory(
        municipality=report_plan.municipality,
        initiative=initiative,
        title="Planfeststellung",
        due_date=AS_OF.replace(month=3, day=1),
    )
    StatusReportFactory(
        municipality=report_plan.municipality,
        initiative=initiative,
        reported_on=AS_OF.replace(month=3, day=1),
        health="off_track",
        off_track_note="Der Rat hat das Vorhaben gestoppt.",
    )
    return initiative


def test_counts_in_summary_and_field_table_agree_with_a_stopped_vorhaben(report_plan, stopped):
    s = build_snapshot(plan=report_plan, as_of=AS_OF)
    assert [f["count"] for f in s["action_fields"]] == [2, 2]
    assert [f["stopped"] for f in s["action_fields"]] == [0, 1]
    assert "umfasst 4 Vorhaben in 2 Aktionsfeldern, davon ist 1 eingestellt." in s["summary"][0]
    by_health = next(x for x in s["summary"] if x.startswith("Die Vorhaben im Einzelnen"))
    numbers = [int(part.split()[0]) for part in by_health.split(":")[1].split(",")]
    assert sum(numbers) == 4 and "1 eingestellt" in by_health


def test_a_stopped_vorhaben_is_shown_as_stopped_not_as_progress_or_deviation(report_plan, stopped):
    s = build_snapshot(plan=report_plan, as_of=AS_OF)
    row = next(i for i in s["action_fields"][1]["initiatives"] if i["number"] == "B2")
    assert row["progress"] is None and row["expected"] is None
    assert (row["health"], row["health_label"]) == ("cancelled", "eingestellt")
    assert not row["stale"]
    assert [d["initiative"] for d in s["deviations"]] == ["B1 Radweg Nord"]
    # Its open milestone will never be reached, so it is not "overdue" either.
    assert "Planfeststellung" not in [m["title"] for m in s["milestones"]["overdue"]]


def test_renderers_show_the_stopped_vorhaben_without_percentage(report_plan, stopped):
    from leitwerk.reports.renderers import render_html

    html = render_html(build_snapshot(plan=report_plan, as_of=AS_OF))
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html, re.S)
    row = next(r for r in rows if "B2 Seilbahn" in r)
    assert "⊘ eingestellt" in row and "%" not in row
    assert "2 (davon 1 eingestellt)" in html


def test_each_vorhaben_carries_both_statuses_with_the_owners_reason(report_plan):
    s = build_snapshot(plan=report_plan, as_of=AS_OF)
    bike = s["action_fields"][1]["initiatives"][0]
    assert bike["calculated_health_label"] == "kritisch"
    assert (bike["owner_health"], bike["owner_reported_on"]) == ("off_track", "2026-06-15")
    assert bike["owner_health_label"] == "kritisch"
    assert "Lieferengpass" in bike["owner_note"]
    unreported = s["action_fields"][0]["initiatives"][0]
    assert unreported["owner_health"] is None or unreported["owner_reported_on"]


def test_the_xlsx_lists_calculated_and_owner_assessment_in_own_columns(report_plan):
    from io import BytesIO

    from openpyxl import load_workbook

    from leitwerk.reports.renderers import render_xlsx

    book = load_workbook(BytesIO(render_xlsx(build_snapshot(plan=report_plan, as_of=AS_OF))))
    sheet = book["Vorhaben"]
    header = [c.value for c in sheet[1]]
    assert "berechnete Einschätzung" in header and "Einschätzung der Projektleitung" in header
    rows = [dict(zip(header, [c.value for c in row], strict=False)) for row in sheet.iter_rows(2)]
    bike = next(r for r in rows if r["Vorhaben"] == "Radweg Nord")
    assert bike["Einschätzung der Projektleitung"] == "kritisch"


def test_the_sparkline_text_describes_the_values_it_draws_not_a_table_the_pdf_no_longer_has(
    report_plan,
):
    indicator = build_snapshot(plan=report_plan, as_of=AS_OF)["indicators"][0]
    alt = indicator["chart_alt"]
    assert alt.startswith("Verlauf der letzten 2 Werte: 15")
    assert " bis 30" in alt and "Tabelle" not in alt
