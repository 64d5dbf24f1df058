"""„Erinnerungen“: the lead time and intervals set on a page, the log of what went out."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from leitwerk.controlling.models import ReminderLog, ReminderSettings
from leitwerk.controlling.services import reminders_due
from leitwerk.controlling.tests.factories import StatusReportFactory

D = dt.date


def _post(client, plan=None, lead="5", **extra):
    data = {"lead_working_days": lead, "expected_version": "0", **extra}
    if plan is not None:
        data.setdefault(f"interval_{plan.pk}", str(plan.reporting_interval_days))
        data.setdefault(f"version_{plan.pk}", str(plan.version))
    return client.post(reverse("controlling:reminder_settings"), data)


def test_the_strategy_office_sets_lead_time_and_interval(strategy_user, client_for, led_initiative):
    plan = led_initiative.action_field.plan
    client = client_for(strategy_user)
    page = client.get(reverse("controlling:reminder_settings")).content.decode()
    assert f"Berichtsintervall „{plan.title}“" in page
    response = _post(client, plan, lead="5", **{f"interval_{plan.pk}": "30"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.reporting_interval_days == 30
    assert ReminderSettings.objects.get(municipality=plan.municipality).lead_working_days == 5


def test_a_lead_time_out_of_range_is_refused_and_nothing_changes(
    strategy_user, client_for, led_initiative
):
    plan = led_initiative.action_field.plan
    response = _post(client_for(strategy_user), plan, lead="40", **{f"interval_{plan.pk}": "30"})
    assert response.status_code == 422
    assert "Vorlauf der Erinnerung" in response.content.decode()
    plan.refresh_from_db()
    assert plan.reporting_interval_days == 90 and not ReminderSettings.objects.exists()


def test_a_plan_changed_meanwhile_is_a_conflict_and_nothing_is_saved(
    strategy_user, client_for, led_initiative
):
    plan = led_initiative.action_field.plan
    stale_version = plan.version
    type(plan).objects.filter(pk=plan.pk).update(
        version=stale_version + 1, reporting_interval_days=60
    )
    response = _post(
        client_for(strategy_user),
        plan,
        lead="7",
        **{f"interval_{plan.pk}": "30", f"version_{plan.pk}": str(stale_version)},
    )
    assert response.status_code == 409
    plan.refresh_from_db()
    assert plan.reporting_interval_days == 60 and not ReminderSettings.objects.exists()


@pytest.mark.parametrize("persona", ["viewer", "project_lead", "unit_editor", "council_member"])
def test_only_the_strategy_office_and_admins_see_the_settings(persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("controlling:reminder_settings")).status_code == 403
    assert client.get(reverse("controlling:reminder_log")).status_code == 403


def test_the_municipalitys_lead_time_decides_when_reminders_go_out(
    musterstadt, led_initiative, project_lead
):
    # Reporting date Tuesday 26 May 2026; Pfingstmontag (25 May) is no working day.
    StatusReportFactory(
        municipality=musterstadt, initiative=led_initiative, reported_on=D(2026, 2, 25)
    )
    assert reminders_due(today=D(2026, 5, 20)) != []  # default: three working days
    ReminderSettings.objects.create(municipality=musterstadt, lead_working_days=1)
    assert reminders_due(today=D(2026, 5, 20)) == []
    assert reminders_due(today=D(2026, 5, 22)) != []  # one working day before


def test_the_log_shows_who_was_reminded_when_and_who_switched_mails_off(
    admin_user,
    client_for,
    musterstadt,
    led_initiative,
    project_lead,
    unit_editor,
    django_capture_on_commit_callbacks,
):
    StatusReportFactory(
        municipality=musterstadt, initiative=led_initiative, reported_on=D(2026, 2, 25)
    )
    unit_editor.email_reminders = False
    unit_editor.save(update_fields=["email_reminders"])
    with time_machine.travel(dt.datetime(2026, 5, 20, 7, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", stdout=StringIO())
    # The duty stays (both are logged), the mail goes only to who wants it.
    assert [m.to[0] for m in mail.outbox] == [project_lead.email]
    assert ReminderLog.objects.count() == 2
    page = client_for(admin_user).get(reverse("controlling:reminder_log")).content.decode()
    assert str(project_lead) in page and "verschickt am 20. Mai 2026" in page
    assert str(unit_editor) in page and "E-Mail-Erinnerungen abgeschaltet" in page
    assert led_initiative.title in page


def test_the_log_is_paginated(admin_user, client_for, musterstadt, led_initiative, project_lead):
    today = timezone.localdate()
    ReminderLog.objects.bulk_create(
        ReminderLog(
            municipality=musterstadt,
            recipient=project_lead,
            initiative=led_initiative,
            due_on=today - dt.timedelta(days=n),
            remind_on=today - dt.timedelta(days=n + 3),
        )
        for n in range(60)
    )
    client = client_for(admin_user)
    first = client.get(reverse("controlling:reminder_log")).content.decode()
    assert "Seite 1 von 2" in first and "?seite=2" in first
    second = client.get(reverse("controlling:reminder_log") + "?seite=2").content.decode()
    assert "Seite 2 von 2" in second
