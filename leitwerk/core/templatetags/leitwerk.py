"""Template building blocks of the UI shell: lifecycle navigation, progress bars, health badges."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import prefetch_related_objects
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from leitwerk.core import formatting
from leitwerk.core.status import Health, reason_label

register = template.Library()

# The lifecycle in its order. A stage links as soon as its app provides the URL name; until
# then it shows as "in Vorbereitung", so the navigation never points to a missing page.
# The permission (checked on the current municipality, as the stage's selector does) keeps
# the link away from roles that would only get a "not found" there; the stage itself stays in
# the list, so the numbering of the lifecycle is the same for everyone.
LIFECYCLE: list[tuple[str, Any, str, str | None]] = [
    ("guidelines", _("Leitbild"), "guidelines:list", None),
    ("goals", _("Ziele"), "goals:list", None),
    ("obstacles", _("Hemmnisse"), "obstacles:list", None),
    ("priorities", _("Prioritäten"), "priorities:list", None),
    ("plans", _("Aktionsplan"), "plans:list", None),
    ("budget", _("Haushalt"), "budget:overview", "budget.view_budget"),
    ("controlling", _("Controlling"), "controlling:overview", None),
    ("feedback", _("Rückmeldung"), "feedback:list", None),
    ("reports", _("Berichte"), "reports:list", "reports.view_report"),
    ("council", _("Beschlüsse"), "council:overview", "council.view_decision"),
    ("network", _("Netzwerk"), "network:list", None),
]

# Shapes as well as colours, so the state is clear without colour (WCAG 1.4.1).
HEALTH_SYMBOLS: dict[str, str] = {
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
    # A page served by a higher stage about a lower stage's row (the goal's "Stand am" lives in
    # plans) names the stage it belongs to.
    current_app = context.get("lifecycle_stage") or current_app
    user = getattr(request, "user", None)
    municipality = getattr(request, "municipality", None)
    stages = []
    for app, label, url_name, perm in LIFECYCLE:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            url = None
        allowed = perm is None or (
            user is not None and bool(municipality) and user.has_perm(perm, municipality)
        )
        stages.append(
            {
                "label": label,
                "url": url if allowed else None,
                "built": url is not None,
                "current": app == current_app,
            }
        )
    return {"stages": stages}


@register.simple_tag(takes_context=True)
def slot(context, name: str, obj: Any) -> str:
    """What higher stages registered for this place of the page (see `core/slots.py`)."""
    from django.utils.safestring import mark_safe

    from leitwerk.core.slots import render_slot

    # Each renderer returns template output, escaped by its own template.
    return mark_safe(render_slot(name, context.get("request"), obj))  # noqa: S308


@register.simple_tag(takes_context=True)
def changeable_initiative_ids(context, rows) -> set[int]:
    """Pks of the Vorhaben (`row.initiative` of each row) the person may change.

    Guards links such as "messbar machen" with the check their view makes
    (plans.change_initiative), so nobody is shown a link that answers 403. The rows the rule
    reads (plan, responsible people) are loaded once for the whole list, not once per row.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    initiatives = list({row.initiative.pk: row.initiative for row in rows}.values())
    prefetch_related_objects(initiatives, "action_field__plan", "responsible_people")
    return {i.pk for i in initiatives if user.has_perm("plans.change_initiative", i)}


@register.inclusion_tag("includes/progress_bar.html")
def progress_bar(progress, expected=None, label=""):
    """A bar with the percentage as text; `progress` and `expected` are 0.0–1.0 or None."""

    def percent(value):
        return None if value is None else max(0, min(100, round(float(value) * 100)))

    return {"percent": percent(progress), "expected": percent(expected), "label": label}


@register.simple_tag
def health_badge(health):
    """The Ampel badge. A simple tag writing what includes/health_badge.html wrote: it is
    rendered three times per Vorhaben row, and a sub-template per call was most of its cost
    (issue 21; the template stays as the reference the tests compare with)."""
    value = str(health or Health.UNKNOWN)
    try:
        label = Health(value).label
    except ValueError:
        value, label = Health.UNKNOWN.value, Health.UNKNOWN.label
    return format_html(
        '<span class="badge badge--{}"><span class="badge__symbol" aria-hidden="true">{}</span>'
        " {}</span>",
        value,
        HEALTH_SYMBOLS.get(value, "?"),
        label,
    )


@register.inclusion_tag("includes/health_pair.html")
def health_pair(info, compact=False, public=False):
    """The displayed Ampel with both statuses behind it, each with its reason.

    `info` is a Vorhaben's progress (plans.progress.InitiativeProgress or anything with
    `health`, `calculated_health`, `reason`, `owner_health`, `owner_reported_on`,
    `owner_note`, `left_out`). `compact` shortens the owner's explanation for table rows;
    `public` (the portal) leaves out the internal text of the status report.
    """
    if info is None:
        return {"info": None}
    calculated = getattr(info, "calculated_health", None) or getattr(info, "health", None)
    return {
        "info": info,
        "health": getattr(info, "health", None),
        "calculated": calculated,
        "reason": reason_label(getattr(info, "reason", "")),
        "owner_health": getattr(info, "owner_health", None),
        "owner_reported_on": getattr(info, "owner_reported_on", None),
        "owner_note": "" if public else getattr(info, "owner_note", ""),
        "left_out": getattr(info, "left_out", ""),
        "compact": compact,
    }


@register.inclusion_tag("includes/progress_or_left_out.html")
def initiative_progress_bar(info, label=""):
    """A Vorhaben's progress bar; a paused or cancelled one says so instead of a percentage."""
    return {"info": info, "label": label}


@register.filter
def number(value, max_decimals=None):
    """85400 → "85.400", `|number:2` 1234.567 → "1.234,57": German grouping for people to read.

    Not Django's USE_THOUSAND_SEPARATOR: that would also group years and ids in hand-built URLs.
    """
    return formatting.number(value, max_decimals=max_decimals)


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


@register.filter
def pos(value, prop="left"):
    """12.34|pos:"width" → the class "pos-width-125" (positions.css; no style attributes)."""
    from leitwerk.core.positions import position_class

    return position_class(value, prop)


@register.filter
def as_tree(rows) -> list[dict[str, Any]]:
    """Rows with a `parent_id` (in their order) as nested nodes {"row", "children"}, so that a
    page shows a nested list as a nested list; a row whose parent is not among them stays on
    top."""
    rows = list(rows)
    nodes = {row.pk: {"row": row, "children": []} for row in rows}
    tree: list[dict[str, Any]] = []
    for row in rows:
        parent = nodes.get(row.parent_id) if row.parent_id != row.pk else None
        (parent["children"] if parent else tree).append(nodes[row.pk])
    return tree
