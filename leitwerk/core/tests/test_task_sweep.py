"""L1: a task row whose worker was killed stays RUNNING no more; reminder mails go out again."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from leitwerk.controlling.models import ReminderLog


def _row(path: str, args: list, *, started: dt.datetime) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=started,
        args_kwargs={"args": args, "kwargs": {}},
        task_path=path,
        backend_name="default",
        queue_name="default",
        run_after=started,
    )


def test_dead_workers_rows_are_failed_and_reminder_mails_sent_again(
    musterstadt, led_initiative, project_lead
):
    log = ReminderLog.objects.create(
        municipality=musterstadt,
        recipient=project_lead,
        initiative=led_initiative,
        due_on=timezone.localdate() + dt.timedelta(days=3),
        remind_on=timezone.localdate(),
    )
    long_ago = timezone.now() - dt.timedelta(hours=3)
    mails = _row("leitwerk.controlling.tasks.send_reminder_mails", [[log.pk]], started=long_ago)
    comment = _row("leitwerk.controlling.tasks.send_comment_notifications", [1], started=long_ago)
    running = _row(
        "leitwerk.controlling.tasks.send_reminder_mails", [[log.pk]], started=timezone.now()
    )
    out = StringIO()
    call_command("sweep_tasks", stdout=out)
    assert "2 abgebrochene Aufgabe(n) markiert, 1 neu gestartet." in out.getvalue()
    for row in (mails, comment):
        row.refresh_from_db()
        assert row.status == TaskResultStatus.FAILED and "abgebrochen" in row.traceback
    running.refresh_from_db()
    assert running.status == TaskResultStatus.RUNNING  # still within its time
    # The reminder the dead worker did not send goes out now, once.
    assert [m.to[0] for m in mail.outbox] == [project_lead.email]
    log.refresh_from_db()
    assert log.sent_at is not None
