"""Reminders on German working days before the reporting date, sent once, with frozen time.

Calendar 2026: Pfingstmontag is Monday 25 May (national), Fronleichnam Thursday 4 June
(Bayern, not Brandenburg).
"""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from leitwerk.controlling.models import ReminderLog
from leitwerk.controlling.services import reminders_due
from leitwerk.controlling.tests.factories import StatusReportFactory
from leitwerk.controlling.workdays import is_working_day, state_code, working_days_before
from leitwerk.municipalities.tests.factories import MunicipalityFactory
from leitwerk.plans.models import InitiativeStatus
from leitwerk.plans.progress import next_report_due
from leitwerk.plans.tests.factories import InitiativeFactory

D = dt.date


# --- pure calendar rules ----------------------------------------------------------------------


def test_state_names_and_codes():
    assert state_code("Bayern") == "BY" and state_code("by") == "BY"
    assert state_code("Nordrhein-Westfalen") == "NW"
    assert state_code("") is None and state_code("Atlantis") is None


def test_weekends_and_holidays_are_no_working_days():
    assert not is_working_day(D(2026, 5, 23))  # Saturday
    assert not is_working_day(D(2026, 5, 25))  # Pfingstmontag, everywhere
    assert not is_working_day(D(2026, 6, 4), "Bayern")  # Fronleichnam in Bayern
    assert is_working_day(D(2026, 6, 4), "Brandenburg")
    assert is_working_day(D(2026, 6, 4))  # national holidays only


def test_counting_back_skips_weekend_and_pfingstmontag():
    # Tuesday 26 May: Mon 25 (holiday), Sun, Sat are skipped → Fri 22, Thu 21, Wed 20.
    assert working_days_before(D(2026, 5, 26), 3) == D(2026, 5, 20)
    assert working_days_before(D(2026, 5, 26), 1) == D(2026, 5, 22)


def test_counting_back_depends_on_the_land():
    # Monday 8 June, two working days before: Bayern skips Fronleichnam (Thu 4 June).
    assert working_days_before(D(2026, 6, 8), 2, "Bayern") == D(2026, 6, 3)
    assert working_days_before(D(2026, 6, 8), 2, "Brandenburg") == D(2026, 6, 4)


def test_zero_days_moves_a_weekend_date_to_the_friday_before():
    assert working_days_before(D(2026, 5, 24), 0) == D(2026, 5, 22)


def test_reporting_date_is_one_interval_after_the_last_update():
    assert next_report_due(D(2026, 2, 25), 90) == D(2026, 5, 26)
    assert next_report_due(None, 90, since=D(2026, 1, 1)) == D(2026, 4, 1)
    assert next_report_due(None, 90) is None


# --- scheduling and sending -------------------------------------------------------------------


@pytest.fixture
def due_on_26_may(led_initiative, project_lead, unit_editor):
    # Last report 25 February + 90 days → reporting date Tuesday 26 May 2026.
    StatusReportFactory(
        municipality=led_initiative.municipality,
        initiative=led_initiative,
        reported_on=D(2026, 2, 25),
    )
    return led_initiative


def _run(day, capture):
    out = StringIO()
    with time_machine.travel(dt.datetime(2026, day.month, day.day, 7, 0), tick=False):
        with capture(execute=True):
            call_command("send_reminders", "--days", "3", stdout=out)
    return out.getvalue()


def test_reminder_goes_out_three_working_days_before_across_weekend_and_holiday(
    due_on_26_may, project_lead, unit_editor, django_capture_on_commit_callbacks
):
    _run(D(2026, 5, 19), django_capture_on_commit_callbacks)
    assert mail.outbox == []  # Tuesday a week before: too early

    output = _run(D(2026, 5, 20), django_capture_on_commit_callbacks)
    assert "2 Erinnerung(en) neu verschickt" in output
    # Both the project lead and the editor of the leading unit, one mail each.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([project_lead.email, unit_editor.email])
    assert "26.05.2026" in mail.outbox[0].subject
    assert "Online-Terminvergabe" in mail.outbox[0].body
    assert ReminderLog.objects.filter(sent_at__isnull=False).count() == 2


def test_nobody_gets_the_same_reminder_twice(due_on_26_may, django_capture_on_commit_callbacks):
    _run(D(2026, 5, 20), django_capture_on_commit_callbacks)
    _run(D(2026, 5, 20), django_capture_on_commit_callbacks)
    _run(D(2026, 5, 22), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.count() == 2


def test_a_missed_day_is_caught_up_until_the_reporting_date(
    due_on_26_may, django_capture_on_commit_callbacks
):
    # Nobody ran the command on Wednesday; Friday still reminds, after the date nothing does.
    _run(D(2026, 5, 22), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    mail.outbox.clear()
    ReminderLog.objects.all().delete()
    _run(D(2026, 5, 27), django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_a_new_report_moves_the_reporting_date(due_on_26_may, django_capture_on_commit_callbacks):
    StatusReportFactory(
        municipality=due_on_26_may.municipality, initiative=due_on_26_may, reported_on=D(2026, 5, 1)
    )
    _run(D(2026, 5, 20), django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_unsent_reminders_are_handed_on_again(due_on_26_may, django_capture_on_commit_callbacks):
    # A worker that was down: the log exists, the mail did not go out.
    with time_machine.travel(dt.datetime(2026, 5, 20, 7, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=False):
            call_command("send_reminders", stdout=StringIO())
    assert mail.outbox == [] and ReminderLog.objects.filter(sent_at__isnull=True).count() == 2
    _run(D(2026, 5, 21), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_the_land_of_the_municipality_counts(musterstadt, project_lead, led_initiative):
    # Musterstadt lies in Bayern. Reporting date Monday 8 June → two working days before is
    # Wednesday 3 June (Fronleichnam skipped); in Brandenburg it would be Thursday 4 June.
    StatusReportFactory(
        municipality=musterstadt, initiative=led_initiative, reported_on=D(2026, 3, 10)
    )
    assert reminders_due(today=D(2026, 6, 2), working_days_before=2) == []
    due = reminders_due(today=D(2026, 6, 3), working_days_before=2)
    assert {(r.recipient_id, r.due_on, r.remind_on) for r in due} == {
        (project_lead.pk, D(2026, 6, 8), D(2026, 6, 3))
    }
    brandenburg = MunicipalityFactory(state="Brandenburg")
    other = InitiativeFactory(municipality=brandenburg)
    other.responsible_people.add(project_lead)
    StatusReportFactory(municipality=brandenburg, initiative=other, reported_on=D(2026, 3, 10))
    due = reminders_due(today=D(2026, 6, 3), working_days_before=2, municipality=brandenburg)
    assert due == []
    due = reminders_due(today=D(2026, 6, 4), working_days_before=2, municipality=brandenburg)
    assert [r.remind_on for r in due] == [D(2026, 6, 4)]


def test_finished_and_cancelled_vorhaben_are_not_reminded(due_on_26_may):
    for status in (InitiativeStatus.COMPLETED, InitiativeStatus.CANCELLED):
        due_on_26_may.status = status
        due_on_26_may.save()
        assert reminders_due(today=D(2026, 5, 20)) == []


def test_dry_run_sends_nothing(due_on_26_may, django_capture_on_commit_callbacks):
    out = StringIO()
    with time_machine.travel(dt.datetime(2026, 5, 20, 7, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", "--dry-run", stdout=out)
    assert "2 Erinnerung(en) wären fällig" in out.getvalue()
    assert mail.outbox == [] and not ReminderLog.objects.exists()


def test_nothing_goes_out_on_a_saturday_or_a_holiday_and_tuesday_catches_up(
    due_on_26_may, project_lead, unit_editor, django_capture_on_commit_callbacks
):
    # The window opens Wednesday 20 May, but the timer first runs on Saturday 23 May and on
    # Pfingstmontag 25 May: nobody is in the office, so nothing is logged or sent.
    for day in (D(2026, 5, 23), D(2026, 5, 24), D(2026, 5, 25)):
        assert "0 Erinnerung(en) neu verschickt" in _run(day, django_capture_on_commit_callbacks)
    assert mail.outbox == [] and not ReminderLog.objects.exists()
    # The next working day is the reporting date itself: the reminder is caught up then.
    _run(D(2026, 5, 26), django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([project_lead.email, unit_editor.email])


def test_unsent_reminders_wait_for_a_working_day(due_on_26_may, django_capture_on_commit_callbacks):
    with time_machine.travel(dt.datetime(2026, 5, 22, 7, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=False):
            call_command("send_reminders", stdout=StringIO())
    assert ReminderLog.objects.filter(sent_at__isnull=True).count() == 2
    _run(D(2026, 5, 23), django_capture_on_commit_callbacks)  # Saturday: still waiting
    assert mail.outbox == []
    _run(D(2026, 5, 26), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_a_holiday_of_the_land_sends_nothing(musterstadt, project_lead, led_initiative):
    # Musterstadt lies in Bayern: Fronleichnam (Thursday 4 June) is a holiday there, so the
    # reminder due from Wednesday 3 June is not repeated that day but is on Friday 5 June.
    StatusReportFactory(
        municipality=musterstadt, initiative=led_initiative, reported_on=D(2026, 3, 10)
    )
    assert reminders_due(today=D(2026, 6, 4), working_days_before=2) == []
    assert [r.recipient_id for r in reminders_due(today=D(2026, 6, 5), working_days_before=2)] == [
        project_lead.pk
    ]
