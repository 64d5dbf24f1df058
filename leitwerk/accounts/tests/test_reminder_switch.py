"""A person switches off their own reminder e-mails under „Mein Konto“ (the duty stays)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from leitwerk.controlling.models import ReminderLog
from leitwerk.controlling.tests.factories import StatusReportFactory
from leitwerk.core.models import AuditLogEntry


def test_switched_off_reminders_send_no_mail_to_that_person_only(
    led_initiative, project_lead, unit_editor, client_for, django_capture_on_commit_callbacks
):
    # Last report 25 February + 90 days: the reporting date is Tuesday 26 May 2026.
    StatusReportFactory(
        municipality=led_initiative.municipality,
        initiative=led_initiative,
        reported_on=dt.date(2026, 2, 25),
    )
    response = client_for(project_lead).post(reverse("accounts:reminders"), {})
    assert response.status_code == 302
    project_lead.refresh_from_db()
    assert not project_lead.email_reminders
    assert AuditLogEntry.objects.filter(action="user.reminders_off").exists()

    with time_machine.travel(dt.datetime(2026, 5, 20, 7, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", "--days", "3", stdout=StringIO())
    assert [m.to[0] for m in mail.outbox] == [unit_editor.email]
    # The reporting date is still logged for the person: the duty to report stays.
    assert ReminderLog.objects.filter(recipient=project_lead).exists()


def test_mein_konto_shows_the_switch_and_turns_it_back_on(project_lead, client_for):
    client = client_for(project_lead)
    page = client.get(reverse("accounts:account")).content.decode()
    assert 'name="email_reminders"' in page and "checked" in page
    client.post(reverse("accounts:reminders"), {})
    client.post(reverse("accounts:reminders"), {"email_reminders": "on"})
    project_lead.refresh_from_db()
    assert project_lead.email_reminders
