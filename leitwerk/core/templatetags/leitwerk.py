"""Template building blocks of the UI shell: lifecycle navigation, progress bars, health badges."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import template
from django.db.models import prefetch_related_objects
from django.template.context import Context
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import truncatechars
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape as esc
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from leitwerk.core import formatting
from leitwerk.core.positions import position_class
from leitwerk.core.slots import render_slot
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
def lifecycle_nav(context: Context) -> dict[str, Any]:
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
def slot(context: Context, name: str, obj: Any) -> SafeString:
    """What higher stages registered for this place of the page (see `core/slots.py`)."""
    # Each renderer returns template output, escaped by its own template.
    return mark_safe(render_slot(name, context.get("request"), obj))  # noqa: S308


@register.simple_tag(takes_context=True)
def changeable_initiative_ids(context: Context, rows: Iterable[Any]) -> set[int]:
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


class PageTexts:
    """Translations and Ampel badges looked up once per page, for rows built in Python
    (plans.rows, controlling.rows): each lookup of the active translation costs about as much
    as writing a row, and 200 rows repeat the same few texts (issue 21)."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._badges: dict[Any, SafeString] = {}
        self._reasons: dict[Any, str] = {}
        self.long_date = formatting.LongDates()

    def __call__(self, message: str) -> str:
        text = self._texts.get(message)
        if text is None:
            text = self._texts[message] = gettext(message)
        return text

    def badge(self, health: Any) -> SafeString:
        html = self._badges.get(health)
        if html is None:
            html = self._badges[health] = health_badge(health)
        return html

    def reason(self, reason: Any) -> str:
        text = self._reasons.get(reason)
        if text is None:
            text = self._reasons[reason] = reason_label(reason)
        return text


def _percent(value: Any) -> int | None:
    return None if value is None else max(0, min(100, round(float(value) * 100)))


@register.simple_tag
def progress_bar(
    progress: Any, expected: Any = None, label: Any = "", texts: PageTexts | None = None
) -> SafeString:
    """A bar with the percentage as text; `progress` and `expected` are 0.0–1.0 or None.

    A simple tag writing what includes/progress_bar.html wrote (the template stays as the
    reference the tests compare with): it is rendered once or twice per Vorhaben row of the
    plan page and the dashboard, and a sub-template per call was most of its cost (issue 21).
    """
    _t = texts or gettext
    percent, expected_percent = _percent(progress), _percent(expected)
    if percent is None:
        return mark_safe(  # noqa: S308 - fixed text
            f'<span class="progress progress--none">{esc(_t("noch nicht messbar"))}</span>\n'
        )
    marks = f'<span class="progress__fill {position_class(percent, "width")}"></span>'
    if expected_percent is not None:
        where = position_class(expected_percent, "left")
        marks += f'<span class="progress__expected {where}"></span>'
    text = ""
    if label:
        text = f'<span class="visually-hidden">{esc(label)}: </span>'
    text += esc(_t("%(percent)s %% erreicht") % {"percent": percent})
    if expected_percent is not None:
        expected_text = _t("erwartet %(expected)s %%") % {"expected": expected_percent}
        text += f'<span class="progress__expected-text">, {esc(expected_text)}</span>'
    return mark_safe(  # noqa: S308 - every value escaped above
        '<span class="progress">\n'
        f'  <span class="progress__track" aria-hidden="true">{marks}</span>\n'
        f'  <span class="progress__text">{text}</span>\n'
        "</span>\n"
    )


@register.simple_tag
def health_badge(health: Any) -> SafeString:
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


def _day(value: Any) -> str:
    return str(date_filter(value, "j. F Y"))


def _note(note: str, compact: bool) -> str:
    return str(esc(truncatechars(note, 120) if compact else note))


@register.simple_tag
def health_pair(
    info: Any, compact: bool = False, public: bool = False, texts: PageTexts | None = None
) -> SafeString:
    """The displayed Ampel with both statuses behind it, each with its reason.

    `info` is a Vorhaben's progress (plans.progress.InitiativeProgress or anything with
    `health`, `calculated_health`, `reason`, `owner_health`, `owner_reported_on`,
    `owner_note`, `left_out`). `compact` shortens the owner's explanation for table rows;
    `public` (the portal) leaves out the internal text of the status report.

    A simple tag writing what includes/health_pair.html wrote (the reference of the tests):
    one sub-template per Vorhaben row was a large part of the plan page's first render.
    """
    if not info:
        return mark_safe("\n")
    _t = texts or gettext
    badge = texts.badge if texts else health_badge
    day = texts.long_date if texts else _day
    health = getattr(info, "health", None)
    calculated = getattr(info, "calculated_health", None) or health
    reason = (texts.reason if texts else reason_label)(getattr(info, "reason", ""))
    owner_health = getattr(info, "owner_health", None)
    owner_reported_on = getattr(info, "owner_reported_on", None)
    owner_note = "" if public else getattr(info, "owner_note", "")
    left_out = getattr(info, "left_out", "")
    calculated_part = f"{esc(_t('Berechnet'))}: {badge(calculated)}"
    if reason:
        calculated_part += f' <span class="meta">({esc(reason)})</span>'
    if left_out:
        owner_part = ""
        if owner_note:
            said = _t("Begründung (Sachstand vom %(day)s)") % {"day": esc(day(owner_reported_on))}
            owner_part = (
                f'<span class="health-pair__part">{said}: '
                f'<span class="health-pair__note">„{_note(owner_note, compact)}“</span></span>'
            )
        owner_part += "\n    "
    else:
        if owner_health:
            said = _t("Einschätzung der Projektleitung vom %(day)s") % {
                "day": esc(day(owner_reported_on))
            }
            owner = f"{said}: {badge(owner_health)}"
            if owner_note:
                owner += f' <span class="health-pair__note">„{_note(owner_note, compact)}“</span>'
        else:
            none_yet = "Einschätzung der Projektleitung: noch keine Sachstandsmeldung"
            owner = str(esc(_t(none_yet)))
        owner_part = f'<span class="health-pair__part">{owner}</span>'
    return mark_safe(  # noqa: S308 - every value escaped above
        f'<span class="health-pair">{badge(health)}\n'
        '  <span class="health-pair__parts">\n'
        f'    <span class="health-pair__part">{calculated_part}</span>\n'
        f"    {owner_part}\n"
        "  </span>\n"
        "</span>\n"
    )


@register.simple_tag
def initiative_progress_bar(
    info: Any, label: Any = "", texts: PageTexts | None = None
) -> SafeString:
    """A Vorhaben's progress bar; a paused or cancelled one says so instead of a percentage.
    A simple tag writing what includes/progress_or_left_out.html wrote (issue 21)."""
    _t = texts or gettext
    left_out = getattr(info, "left_out", "")
    if left_out:
        text = (
            _t("eingestellt – kein Fortschritt mehr gemessen")
            if left_out == "cancelled"
            else _t("pausiert – derzeit kein Fortschritt gemessen")
        )
        return mark_safe(  # noqa: S308 - fixed text
            f'<span class="progress progress--none">{esc(text)}</span>\n'
        )
    bar = progress_bar(
        getattr(info, "progress", None), getattr(info, "expected", None), label, texts
    )
    return mark_safe(bar + "\n")  # noqa: S308 - built above


@register.filter
def number(value: formatting.Number | None, max_decimals: int | None = None) -> str:
    """85400 → "85.400", `|number:2` 1234.567 → "1.234,57": German grouping for people to read.

    Not Django's USE_THOUSAND_SEPARATOR: that would also group years and ids in hand-built URLs.
    """
    return formatting.number(value, max_decimals=max_decimals)


@register.filter
def percent(value: float | Decimal | str | None) -> int | str:
    """0.42 → 42 (for text next to bars and in tables)."""
    if value is None:
        return ""
    return round(float(value) * 100)


@register.filter
def as_text(value: object) -> str:
    """Imported free-form values (str, number, list, dict) as one readable line."""
    if value is None or value == "":
        return "–"
    if isinstance(value, list | tuple):
        return "; ".join(as_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {as_text(v)}" for k, v in value.items())
    return str(value)


@register.filter
def pos(value: object, prop: str = "left") -> str:
    """12.34|pos:"width" → the class "pos-width-125" (positions.css; no style attributes)."""
    return position_class(value, prop)


@register.filter
def as_tree(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Rows with a `parent_id` (in their order) as nested nodes {"row", "children"}, so that a
    page shows a nested list as a nested list; a row whose parent is not among them stays on
    top."""
    ordered = list(rows)
    nodes: dict[Any, dict[str, Any]] = {row.pk: {"row": row, "children": []} for row in ordered}
    tree: list[dict[str, Any]] = []
    for row in ordered:
        parent = nodes.get(row.parent_id) if row.parent_id != row.pk else None
        (parent["children"] if parent else tree).append(nodes[row.pk])
    return tree
