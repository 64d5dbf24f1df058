from __future__ import annotations

import base64

from django import template
from django.utils.safestring import mark_safe

from leitwerk.core.templatetags.leitwerk import HEALTH_SYMBOLS
from leitwerk.reports import formatting

register = template.Library()

register.filter("de_date", formatting.de_date)
register.filter("de_date_short", formatting.de_date_short)
register.filter("de_number", formatting.de_number)
register.filter("de_money", formatting.de_money)
register.filter("de_percent", formatting.de_percent)


@register.filter
def svg_data_uri(svg: str) -> str:
    # As an <img> with alt text rather than inline SVG: the tagged PDF then carries the
    # description as the figure's alternative text.
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@register.filter
def health_symbol(value: str) -> str:
    # The same shapes as the workspace badges, so the state never depends on colour alone.
    if value == "cancelled":  # a stopped Vorhaben (builder.STOPPED) has no traffic light
        return "⊘"
    return HEALTH_SYMBOLS.get(value, "?")


@register.filter
def css_string(value: str) -> str:
    """Text for a CSS string literal inside <style> (page headers)."""
    cleaned = "".join(ch for ch in str(value) if ch not in '<>"\\\n\r')
    return mark_safe(cleaned)  # noqa: S308 - every character that could end the literal is gone
