"""Background work of controlling (django-tasks): reminder and notification e-mails.

Tasks take ids, not rows: arguments must be JSON, and rows may change before the worker runs.
Mails go out through leitwerk.core.mail, which retries when the mail server fails.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from leitwerk.core.mail import mail_queue, send_or_retry

from .models import Comment, ReminderLog


def _absolute(path: str) -> str:
    base = getattr(settings, "SITE_URL", "") or ""
    return f"{base.rstrip('/')}{path}"


@task()
def send_reminder_mails(log_ids: list[int], attempt: int = 1) -> int:
    """One e-mail per person listing the Vorhaben whose status report is due; marks them sent.

    When the mail server fails, nothing is marked and the same task runs again later.
    """
    with transaction.atomic():
        logs = list(
            ReminderLog.objects.select_for_update()
            .filter(pk__in=log_ids, sent_at__isnull=True)
            .select_related("recipient", "initiative", "municipality")
            .order_by("due_on", "initiative__title")
        )
        if not logs:
            return 0
        recipient = logs[0].recipient
        body = render_to_string(
            "controlling/email/reminder.txt",
            {
                "recipient": recipient,
                "logs": logs,
                "my_updates_url": _absolute(reverse("controlling:my_updates")),
            },
        )
        to = [recipient.email]
        sent = send_or_retry(
            task_=send_reminder_mails,
            attempt=attempt,
            kwargs={"log_ids": log_ids},
            send=lambda: send_mail(
                subject=f"Erinnerung: Sachstand bis {logs[0].due_on:%d.%m.%Y} melden",
                message=body,
                from_email=None,
                recipient_list=to,
            ),
            what="reminder",
            to=to,
        )
        if not sent:
            return 0
        ReminderLog.objects.filter(pk__in=[log.pk for log in logs]).update(sent_at=timezone.now())
    return len(logs)


@task()
def send_comment_notifications(comment_id: int) -> int:
    """Queue a mail to each person asked for feedback and each of the Vorhaben's responsible
    people (not the author); the number queued. One mail per task, so a retry repeats none."""
    comment = (
        Comment.objects.select_related("initiative", "author")
        .prefetch_related("feedback_from", "initiative__responsible_people")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
    url = _absolute(reverse("controlling:comments", kwargs={"pk": comment.initiative_id}))
    asked = {p.pk: p for p in comment.feedback_from.all()}
    informed = {p.pk: p for p in comment.initiative.responsible_people.all() if p.pk not in asked}
    sent = 0
    for people, template in ((asked, "feedback_request"), (informed, "comment_notice")):
        for person in people.values():
            if comment.author_id == person.pk or not person.email:
                continue
            body = render_to_string(
                f"controlling/email/{template}.txt",
                {"comment": comment, "person": person, "url": url},
            )
            subject = (
                f"Bitte um Rückmeldung: {comment.initiative.title}"
                if template == "feedback_request"
                else f"Neuer Kommentar: {comment.initiative.title}"
            )
            mail_queue(to=person.email, subject=subject, body=body)
            sent += 1
    return sent
