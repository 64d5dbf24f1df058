"""Background work of the reports stage (django-tasks; the worker runs `db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tasks import task

from leitwerk.core.mail import mail_queue

from . import services
from .models import Report


@task()
def generate_report(report_id: int) -> str:
    # Takes the id, not the row: task arguments must be JSON, and the row may change meanwhile.
    return services.report_render(report_id=report_id).status


@task()
def send_report_mail(report_id: int, recipient_ids: list[int], text: str) -> int:
    """Tell the people of a report schedule that its report is being made, with the link."""
    # The id came from the scheduled run (a service); the worker serves every municipality.
    report = Report.objects.across_municipalities().filter(pk=report_id).first()
    if report is None:
        return 0
    link = getattr(settings, "SITE_URL", "").rstrip("/") + reverse(
        "reports:detail", args=[report.pk]
    )
    sent = 0
    for person in get_user_model().objects.filter(pk__in=recipient_ids, is_active=True):
        # One queued mail per person: retried on its own when the mail server fails.
        mail_queue(
            to=person.email,
            subject=f"Bericht zur Sitzung: {report.title}"[:150],
            body=f"{text}\n\nZum Bericht: {link}\n",
        )
        sent += 1
    return sent
