"""The portal's hook on plans: after a release committed, a task compares it with the
previous one and mails followers. Only the enqueueing happens here (no logic in signals)."""

from __future__ import annotations

from typing import Any

from .tasks import notify_followers


def enqueue_follower_mails(sender: Any, release_id: int, **kwargs: Any) -> None:
    notify_followers.enqueue(release_id)
