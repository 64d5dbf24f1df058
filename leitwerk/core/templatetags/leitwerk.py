"""Template building blocks of the UI shell: lifecycle navigation, progress bars, health badges."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from leitwerk.controlling.models import Health
from leitwerk.municipalities.selectors import municipalities_for_user

register = template.Library()

# The lifecycle in its order. A stage links as soon as its app provides the URL name; until
# then it shows as "in Vorbereitung", so the navigation never points to a missing page.
LIFECYCLE = [
    ("guidelines", _("Leitbild"), "guidelines:list"),
    ("goals", _("Ziele"), "goals:list"),
    ("obstacles", _("Hemmnisse"), "obstacles:list"),
    ("priorities", _("Prioritäten"), "priorities:list"),
    ("plans", _("Aktionsplan"), "plans:list"),
    ("controlling", _("Controlling"), "controlling:overview"),
    ("feedback", _("Rückmeldung"), "feedback:list"),
    ("reports", _("Berichte"), "reports:list"),
    ("network", _("Netzwerk"), "network:list"),
]

# Shapes as well as colours, so the state is clear without colour (WCAG 1.4.1).
HEALTH_SYMBOLS = {
    Health.ON_TRACK: "●",
    Health.AT_RISK: "▲",
    Health.OFF_TRACK: "✕",
    Health.DONE: "✓",
    Health.STALE: "◌",
    Health.UNKNOWN: "?",
}


@register.inclusion_tag("includes/lifecycle_nav.html", takes_context=True)
def lifecycle_nav(context):
    request = context.get("request")
    current_app = ""
    if request is not None and getattr(request, "resolver_match", None):
        current_app = request.resolver_match.app_name
    stages = []
    for app, label, url_name in LIFECYCLE:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            url = None
        stages.append({"label": label, "url": url, "current": app == current_app})
    return {"stages": stages}


@register.simple_tag(takes_context=True)
def user_municipalities(context):
    """The municipalities the signed-in person belongs to (for the switcher)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return municipalities_for_user(user=user) if user is not None else []


@register.inclusion_tag("includes/progress_bar.html")
def progress_bar(progress, expected=None, label=""):
    """A bar with the percentage as text; `progress` and `expected` are 0.0–1.0 or None."""

    def percent(value):
        return None if value is None else max(0, min(100, round(float(value) * 100)))

    return {"percent": percent(progress), "expected": percent(expected), "label": label}


@register.inclusion_tag("includes/health_badge.html")
def health_badge(health):
    value = str(health or Health.UNKNOWN)
    try:
        label = Health(value).label
    except ValueError:
        value, label = Health.UNKNOWN.value, Health.UNKNOWN.label
    return {"value": value, "label": label, "symbol": HEALTH_SYMBOLS.get(value, "?")}


@register.filter
def percent(value):
    """0.42 → 42 (for text next to bars and in tables)."""
    if value is None:
        return ""
    return round(float(value) * 100)


@register.filter
def as_text(value):
    """Imported free-form values (str, number, list, dict) as one readable line."""
    if value is None or value == "":
        return "–"
    if isinstance(value, list | tuple):
        return "; ".join(as_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {as_text(v)}" for k, v in value.items())
    return str(value)
