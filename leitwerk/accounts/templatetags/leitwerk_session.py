"""The end of the current sign-in for the base layout's notice and warning."""

from __future__ import annotations

import datetime as dt

from django import template

from leitwerk.accounts.session import session_ends_at as _session_ends_at

register = template.Library()


@register.simple_tag(takes_context=True)
def session_ends_at(context) -> dt.datetime | None:
    request = context.get("request")
    return None if request is None else _session_ends_at(request)
