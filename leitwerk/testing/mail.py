"""A mail backend that behaves like a mail server that is down, for tests and journeys.

`FailingBackend.fail_next = n` makes the next n sends raise what smtplib raises when the
relay hangs up; after that it delivers like Django's in-memory backend (`mail.outbox`).
`fail_next = -1` fails every send.
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from typing import ClassVar

from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend


class FailingBackend(EmailBackend):
    fail_next: ClassVar[int] = 0
    attempts: ClassVar[int] = 0

    @classmethod
    def reset(cls, *, fail_next: int) -> None:
        cls.fail_next = fail_next
        cls.attempts = 0

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        type(self).attempts += 1
        if type(self).fail_next:
            if type(self).fail_next > 0:
                type(self).fail_next -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
