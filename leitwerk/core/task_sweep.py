"""Background task rows whose worker died (L1): marked failed, safe ones queued again.

A worker killed with `kill -9` leaves its django-tasks row RUNNING forever. The daily
`leitwerk sweep_tasks` marks every such row FAILED once it has run longer than any task may,
and queues the tasks that may run twice without harm (`RETRY`) again with the same arguments:
reminder mails mark each reminder sent and skip the ones already sent, so a second run only
sends what the dead worker did not. The stages' own runs (imports, reports) have their own
sweeps, which say "abgebrochen" to the person who started them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string

# Longer than any task runs: a 99,000-row import takes about five minutes.
ABANDONED_AFTER = dt.timedelta(hours=1)
# Task paths that may run again: reminders skip what was sent; the others send one mail each,
# so a retry sends at most the one mail the dead worker may have sent just before it died.
RETRY = frozenset(
    {
        "leitwerk.controlling.tasks.send_reminder_mails",
        "leitwerk.core.mail.deliver_mail",
        "leitwerk.accounts.tasks.send_invitation_mail",
        "leitwerk.accounts.tasks.send_password_reset_mail",
    }
)
ABANDONED = "Der Hintergrunddienst wurde beendet, während die Aufgabe lief (abgebrochen)."


def tasks_sweep(*, now: dt.datetime) -> tuple[int, int]:
    """(rows marked failed, tasks queued again)."""
    if not apps.is_installed("django_tasks_db"):
        return 0, 0
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    stale = list(
        DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=now - ABANDONED_AFTER
        )
    )
    retried = 0
    for row in stale:
        DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path="leitwerk.core.task_sweep.Abandoned",
            traceback=ABANDONED,
        )
        if row.task_path in RETRY:
            args_kwargs: dict[str, Any] = row.args_kwargs or {}
            # The task as it is defined now (not the dead row's copy with its old run_after).
            task = import_string(row.task_path)
            task.enqueue(*args_kwargs.get("args", []), **args_kwargs.get("kwargs", {}))
            retried += 1
    return len(stale), retried
