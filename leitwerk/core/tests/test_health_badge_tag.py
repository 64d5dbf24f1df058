"""The Ampel badge as a simple tag writes what its template wrote (issue 21)."""

from __future__ import annotations

from django.template import Context, Template
from django.template.loader import render_to_string

from leitwerk.core.status import Health
from leitwerk.core.templatetags.leitwerk import HEALTH_SYMBOLS


def test_the_badge_is_the_markup_of_its_reference_template():
    for health in [*Health.values, None, "", "kaputt", "stale"]:
        value = str(health or Health.UNKNOWN)
        try:
            label = Health(value).label
        except ValueError:
            value, label = Health.UNKNOWN.value, Health.UNKNOWN.label
        expected = render_to_string(
            "includes/health_badge.html",
            {"value": value, "label": label, "symbol": HEALTH_SYMBOLS.get(value, "?")},
        ).strip()
        built = Template("{% load leitwerk %}{% health_badge h %}").render(Context({"h": health}))
        assert built == expected, health
