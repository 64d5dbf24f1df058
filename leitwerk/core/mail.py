"""Outgoing e-mail: always from the task queue, after the commit, retried with backoff.

Two ways in, both ending in `send_or_retry`:

- `mail_queue(...)` for a mail whose text may sit in the task queue (notices, comment and
  report mails, follower mails): one `deliver_mail` task per mail, queued once the caller's
  transaction commits, so a rolled-back write mails nobody and the request never waits for
  the mail server.
- A task that renders a secret link itself (password reset, invitation) calls
  `send_or_retry` with its own task and arguments, so the link is never stored in the queue.

A failing mail server (connection refused, timeout, 4xx/5xx) neither breaks anything nor
loses the mail silently: the task is queued again after 1, 5, 15, 60 and 240 minutes
(`BACKOFF`); after the last attempt it is logged as an error (`mail.given_up`) and its task
row is marked failed with the reason. One mail per task, so a retry never repeats mails that
already went out (at most the one mail whose worker died while sending, see core/task_sweep.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger("leitwerk.mail")

# Seconds to wait before attempt 2, 3, … (about five hours in all; a relay that is down for a
# maintenance night is caught by the attempts that follow).
BACKOFF: tuple[int, ...] = (60, 300, 900, 3600, 14400)
MAX_ATTEMPTS = len(BACKOFF) + 1
# What a mail server or the network raises; anything else is a bug and fails the task at once.
MAIL_ERRORS: tuple[type[BaseException], ...] = (smtplib.SMTPException, OSError)


class MailNotSent(Exception):
    """The mail server refused or was unreachable on every attempt."""


def _domain(addresses: list[str]) -> str:
    # Logs name the recipient's domain only: an address is personal data (docs/SECURITY.md G2).
    return ",".join(sorted({a.rpartition("@")[2] for a in addresses}))


def send_or_retry(
    *,
    task_: Task[Any, Any],
    attempt: int,
    kwargs: dict[str, Any],
    send: Callable[[], int],
    what: str,
    to: list[str],
) -> int:
    """Run `send`; when the mail server fails, queue `task_` again with `attempt + 1`.

    Returns what `send` returned, or 0 when the mail waits for a later attempt. Raises
    MailNotSent after MAX_ATTEMPTS, so the task row says failed and why.
    """
    try:
        return send()
    except MAIL_ERRORS as exc:
        reason = f"{type(exc).__name__}: {exc}"[:300]
        if attempt >= MAX_ATTEMPTS:
            logger.error(
                "mail.given_up",
                extra={"what": what, "attempts": attempt, "to_domain": _domain(to)},
            )
            raise MailNotSent(
                f"Die E-Mail ({what}) konnte nach {attempt} Versuchen nicht gesendet werden: "
                f"{reason}"
            ) from exc
        delay = BACKOFF[attempt - 1]
        logger.warning(
            "mail.retry",
            extra={"what": what, "attempt": attempt, "retry_in_s": delay, "reason": reason},
        )
        again = task_
        # The test and development backends run tasks at once and cannot wait; there the next
        # attempt follows directly.
        if again.get_backend().supports_defer:
            again = again.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
        again.enqueue(**{**kwargs, "attempt": attempt + 1})
        return 0


@task()
def deliver_mail(
    *,
    to: list[str],
    subject: str,
    body: str,
    headers: dict[str, str] | None = None,
    attempt: int = 1,
) -> int:
    """One e-mail; 1 when sent, 0 when it waits for another attempt."""
    message = EmailMessage(subject=subject, body=body, to=to, headers=headers or None)
    return send_or_retry(
        task_=deliver_mail,
        attempt=attempt,
        kwargs={"to": to, "subject": subject, "body": body, "headers": headers},
        send=message.send,
        what=subject[:80],
        to=to,
    )


def mail_queue(
    *, to: list[str] | str, subject: str, body: str, headers: dict[str, str] | None = None
) -> None:
    """Queue one e-mail for when the current transaction commits (at once outside one)."""
    recipients = [to] if isinstance(to, str) else list(to)
    if not any(recipients):
        return

    def enqueue() -> None:
        deliver_mail.enqueue(to=recipients, subject=subject, body=body, headers=headers)

    # robust: if the queue itself cannot be written, the committed change stands and the
    # failure is logged by Django, instead of an error page for a change that was saved.
    transaction.on_commit(enqueue, robust=True)
