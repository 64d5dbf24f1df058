"""Reporting on a Vorhaben: recording measurements and submitting status reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from leitwerk.core.models import AuditLogEntry
from leitwerk.core.status import Health
from leitwerk.plans.models import Measurement, StatusReport
from leitwerk.plans.services import measurement_record, status_report_submit
from leitwerk.plans.tests.factories import IndicatorFactory


@pytest.mark.django_db
def test_measurement_record_moves_last_report_and_is_audited(
    musterstadt, project_lead, led_initiative
):
    indicator = IndicatorFactory(municipality=musterstadt, initiative=led_initiative)
    assert led_initiative.last_report_at is None
    measurement = measurement_record(
        indicator=indicator,
        actor=project_lead,
        measured_on=dt.date(2026, 6, 30),
        value=Decimal("42.5"),
    )
    assert measurement.recorded_by == project_lead
    assert measurement.municipality == musterstadt
    led_initiative.refresh_from_db()
    assert led_initiative.last_report_at is not None
    assert led_initiative.version == 1  # reporting is not an edit: no conflict for editors
    entry = AuditLogEntry.objects.get(action="measurement.record")
    assert entry.actor == project_lead and entry.data["value"] == "42.5"
    assert measurement.history.first().history_user == project_lead


@pytest.mark.django_db
def test_status_report_off_track_needs_a_note(musterstadt, project_lead, led_initiative):
    with pytest.raises(ValidationError) as caught:
        status_report_submit(
            initiative=led_initiative,
            actor=project_lead,
            health=Health.OFF_TRACK,
            text="Verzögerung bei der Ausschreibung.",
            off_track_note="   ",
        )
    assert "Warum" in str(caught.value.message_dict["off_track_note"])
    assert not StatusReport.objects.exists()
    assert not AuditLogEntry.objects.filter(action="status_report.submit").exists()


@pytest.mark.django_db
def test_status_report_is_saved_and_moves_last_report(musterstadt, project_lead, led_initiative):
    report = status_report_submit(
        initiative=led_initiative,
        actor=project_lead,
        health=Health.OFF_TRACK,
        text="Verzögerung bei der Ausschreibung.",
        off_track_note="Neue Ausschreibung im Juli; Ende verschiebt sich um drei Monate.",
    )
    assert report.author == project_lead and report.reported_on is not None
    led_initiative.refresh_from_db()
    assert led_initiative.last_report_at is not None
    assert AuditLogEntry.objects.get(action="status_report.submit").data["health"] == "off_track"


@pytest.mark.django_db
def test_on_track_report_needs_no_note(musterstadt, project_lead, led_initiative):
    status_report_submit(
        initiative=led_initiative,
        actor=project_lead,
        health=Health.ON_TRACK,
        text="Läuft.",
    )
    assert StatusReport.objects.count() == 1
    assert Measurement.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_signals_go_out_only_after_commit(musterstadt, project_lead, led_initiative):
    from leitwerk.plans.services import measurement_recorded, status_report_submitted

    received = []

    def on_measurement(sender, measurement, actor, **kwargs):
        received.append(("measurement", measurement.pk))

    def on_report(sender, report, actor, **kwargs):
        received.append(("report", report.pk))

    measurement_recorded.connect(on_measurement)
    status_report_submitted.connect(on_report)
    try:
        indicator = IndicatorFactory(municipality=musterstadt, initiative=led_initiative)
        with pytest.raises(ValidationError):
            status_report_submit(
                initiative=led_initiative,
                actor=project_lead,
                health=Health.OFF_TRACK,
                text="x",
            )
        m = measurement_record(
            indicator=indicator, actor=project_lead, measured_on=dt.date(2026, 6, 1), value=1
        )
        r = status_report_submit(
            initiative=led_initiative,
            actor=project_lead,
            health=Health.ON_TRACK,
            text="gut",
        )
    finally:
        measurement_recorded.disconnect(on_measurement)
        status_report_submitted.disconnect(on_report)
    assert received == [("measurement", m.pk), ("report", r.pk)]


@pytest.mark.django_db
def test_the_period_follows_from_the_date_and_the_plans_reporting_interval(
    musterstadt, project_lead, led_initiative
):
    plan = led_initiative.action_field.plan
    plan.reporting_interval_days = 30
    plan.save()
    indicator = IndicatorFactory(municipality=musterstadt, initiative=led_initiative)
    measurement = measurement_record(
        indicator=indicator, actor=project_lead, measured_on=dt.date(2026, 5, 31), value=1
    )
    report = status_report_submit(
        initiative=led_initiative,
        actor=project_lead,
        health=Health.ON_TRACK,
        text="Läuft.",
        reported_on=dt.date(2026, 11, 2),
    )
    assert (measurement.period_label, report.period_label) == ("05/2026", "11/2026")


@pytest.mark.django_db
def test_a_goal_indicator_reports_quarterly_and_a_corrected_date_moves_the_period(
    musterstadt, project_lead
):
    from leitwerk.goals.tests.factories import GoalFactory
    from leitwerk.plans.services import measurement_update

    indicator = IndicatorFactory(
        municipality=musterstadt, initiative=None, goal=GoalFactory(municipality=musterstadt)
    )
    measurement = measurement_record(
        indicator=indicator, actor=project_lead, measured_on=dt.date(2026, 2, 1), value=1
    )
    assert measurement.period_label == "Q1/2026"
    corrected = measurement_update(
        measurement=measurement,
        actor=project_lead,
        expected_version=measurement.version,
        changes={"measured_on": dt.date(2026, 8, 1)},
    )
    assert corrected.period_label == "Q3/2026"
