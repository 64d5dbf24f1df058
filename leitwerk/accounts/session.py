"""When a sign-in ends, and renewing it (WCAG 2.2.1: people can extend a time limit).

Django renews the session's expiry whenever the session is saved, so writing the time of the
renewal into it is the extension; the same value tells the page when the sign-in now ends.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

RENEWED_KEY = "leitwerk_session_renewed"


def session_ends_at(request: Any) -> dt.datetime | None:
    """The latest moment the sign-in is sure to last (None when nobody is signed in)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    renewed = request.session.get(RENEWED_KEY)
    if renewed is not None:
        start = dt.datetime.fromtimestamp(renewed, tz=dt.UTC)
    elif user.last_login is not None:
        start = user.last_login
    else:
        return None
    return start + dt.timedelta(seconds=request.session.get_expiry_age())


def session_renew(request: Any) -> dt.datetime:
    """Start the full session time again from now; returns the new end."""
    request.session[RENEWED_KEY] = int(timezone.now().timestamp())
    ends = session_ends_at(request)
    assert ends is not None
    return ends
