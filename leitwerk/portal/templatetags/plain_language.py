"""Template helpers for plain German: `{% readability_report text %}` and `|reading_ease`."""

from __future__ import annotations

from django import template

from leitwerk.portal.readability import analyse
from leitwerk.portal.readability import reading_ease as _reading_ease

register = template.Library()


@register.inclusion_tag("portal/includes/readability_report.html")
def readability_report(text, heading_level=3):
    """A short box with the reading-ease score and hints, for editing screens."""
    level = heading_level if heading_level in (2, 3, 4, 5, 6) else 3
    return {"result": analyse(str(text or "")), "heading_tag": f"h{level}"}


@register.filter
def reading_ease(text):
    """Amstad reading ease (0–100) of a text, or an empty string for an empty text."""
    score = _reading_ease(str(text or ""))
    return "" if score is None else score
