"""The indicator page's SVG line chart (drawn by `leitwerk/core/charts.py`) and the Gantt timeline.

The SVG is decoration for sighted readers; the page always puts the same numbers in a data
table right after it, and the SVG carries a <title> and <desc> for screen readers.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from leitwerk.core import charts
from leitwerk.core.charts import Frame, Reference, Style, element
from leitwerk.core.formatting import LongDates, number
from leitwerk.core.positions import position_class

FRAME = Frame(width=560, height=220, bottom=36)
STYLE = Style(
    axis={"class": "chart__axis"},
    label={"class": "chart__label"},
    line={"class": "chart__line"},
    point={"class": "chart__point", "r": 4},
)


def line_chart(
    *,
    chart_id: str,
    title: str,
    points: Sequence[tuple[dt.date, Decimal]],
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    unit: str = "",
) -> SafeString:
    """An SVG with a line through `points` (oldest first) and dashed baseline/target lines."""
    if not points:
        return mark_safe("")
    first, last = points[0][0], points[-1][0]
    days = max((last - first).days, 1)
    unit_text = f" {unit}" if unit else ""
    desc = (
        f"{len(points)} Messwerte von {date_format(first, 'j. F Y')} bis "
        f"{date_format(last, 'j. F Y')}; zuletzt {number(points[-1][1])}{unit_text}"
    )
    if target is not None:
        desc += f"; Zielwert {number(target)}{unit_text}"
    if baseline is not None:
        desc += f"; Ausgangswert {number(baseline)}{unit_text}"
    desc += "."
    references = [
        Reference(Decimal(value), label, {"class": f"chart__ref chart__ref--{css}"})
        for label, value, css in (("Ziel", target, "target"), ("Start", baseline, "baseline"))
        if value is not None
    ]
    svg = charts.line_chart(
        frame=FRAME,
        root={
            "class": "chart",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
        },
        head=[
            element("title", title, id=f"{chart_id}-title"),
            element("desc", desc, id=f"{chart_id}-desc"),
        ],
        values=[Decimal(v) for _d, v in points],
        positions=[(day - first).days / days for day, _v in points],
        x_labels=[date_format(day, "d.m.Y") for day, _v in points],
        references=references,
        style=STYLE,
        x_label_gap=24,
    )
    return mark_safe(svg)  # noqa: S308 - core.charts escapes every text


def _percent(day: dt.date, start: dt.date, days: int) -> float:
    return round(max(0.0, min(100.0, 100 * (day - start).days / days)), 2)


def _css(value: float) -> str:
    # A string, so the template does not localise it: "33,33%" is no valid CSS.
    return f"{value:.2f}"


def gantt(
    *,
    rows: Sequence[tuple[object, dt.date | None, dt.date | None, Sequence[object]]],
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> dict[str, object]:
    """Positions (in % of the period) for a Gantt-style timeline rendered as HTML.

    `rows` are (Vorhaben, start, end, milestones). Each milestone needs `due_date`, `done_on`
    and `title`. HTML rather than SVG, so every bar and marker carries real text for screen
    readers and the timeline reflows on narrow screens.
    """
    days = max((end - start).days, 1)
    years = [
        {"label": str(year), "left": _css(_percent(dt.date(year, 1, 1), start, days))}
        for year in range(
            start.year + (0 if (start.month, start.day) == (1, 1) else 1), end.year + 1
        )
    ]
    out = []
    for initiative, begin, finish, milestones in rows:
        bar = None
        if begin and finish and finish >= begin:
            left = _percent(begin, start, days)
            bar = {
                "left": _css(left),
                "width": _css(max(_percent(finish, start, days) - left, 0.5)),
            }
        marks = []
        for milestone in milestones:
            day = getattr(milestone, "done_on", None) or getattr(milestone, "due_date", None)
            if day is None:
                continue
            done = getattr(milestone, "done_on", None) is not None
            due = getattr(milestone, "due_date", None)
            state = "done" if done else ("overdue" if due and due < today else "open")
            marks.append(
                {"left": _css(_percent(day, start, days)), "state": state, "milestone": milestone}
            )
        out.append({"initiative": initiative, "bar": bar, "marks": marks})
    today_left = _css(_percent(today, start, days)) if start <= today <= end else None
    return {"rows": out, "years": years, "today": today_left, "start": start, "end": end}


def gantt_rows_html(timeline: dict[str, object]) -> SafeString:
    """The `<li>` rows of the plan page's timeline, built in Python (issue 21).

    The same markup the template loop wrote, without a template node per mark: with 200
    Vorhaben and 1,000 milestones the loop was 41 % of the page's time. The Vorhaben URL is
    reversed once and each date formatted once per page. `timeline` is `gantt()`'s result
    with `rows[i]["initiative"]` a plan row (`.initiative`, `.progress.health`).
    """
    marker = 2_147_483_647
    url_pattern = reverse("plans:initiative_detail", args=[marker])
    dates: dict[dt.date, str] = {}
    long_date = LongDates()
    classes: dict[tuple[object, str], str] = {}

    def position(value: object, prop: str) -> str:
        key = (value, prop)
        if key not in classes:
            classes[key] = position_class(value, prop)
        return classes[key]

    def short(title: str) -> str:
        # Truncator.chars(60) without its cost for the usual short title (same result: NFC).
        if len(title) <= 60:
            return unicodedata.normalize("NFC", title)
        return Truncator(title).chars(60)

    def day(value: dt.date | None) -> str:
        if value is None:
            return ""
        if value not in dates:
            dates[value] = str(esc(long_date(value)))
        return dates[value]

    today = timeline.get("today")
    today_html = (
        f'<span class="gantt__today {position(today, "left")}" aria-hidden="true"></span>'
        if today is not None
        else ""
    )
    out: list[str] = []
    rows = timeline.get("rows") or []
    assert isinstance(rows, list)
    for row in rows:
        plan_row = row["initiative"]
        initiative = plan_row.initiative
        health = esc(plan_row.progress.health)
        url = url_pattern.replace(str(marker), str(initiative.pk))
        parts = [
            f'<li class="gantt__row"><a class="gantt__label" href="{url}">{esc(initiative)}</a>',
            f'<span class="gantt__track">{today_html}',
        ]
        bar = row["bar"]
        if bar:
            where = f"{position(bar['left'], 'left')} {position(bar['width'], 'width')}"
            parts.append(
                f'<span class="gantt__bar gantt__bar--{health} {where}">'
                f'<span class="visually-hidden">Laufzeit '
                f"{day(initiative.start_date)} bis {day(initiative.end_date)}</span></span>"
            )
        else:
            period = initiative.period_text or "ohne Laufzeit"
            parts.append(f'<span class="gantt__none">{esc(period)}</span>')
        parts += [_gantt_mark(mark, position, short, day) for mark in row["marks"]]
        parts.append("</span></li>")
        out.append("".join(parts))
    return mark_safe("\n".join(out))  # noqa: S308 - every value escaped above


def _gantt_mark(mark: dict[str, Any], position: Any, short: Any, day: Any) -> str:
    """One milestone's diamond with its text for screen readers (see gantt_rows_html)."""
    from django.utils.html import conditional_escape as esc

    milestone = mark["milestone"]
    state = mark["state"]
    if state == "done":
        when = f"erreicht am {day(milestone.done_on)}"
    elif state == "overdue":
        when = f"überfällig seit {day(milestone.due_date)}"
    else:
        when = f"fällig am {day(milestone.due_date)}"
    return (
        f'<span class="gantt__mark gantt__mark--{esc(state)} '
        f'{position(mark["left"], "left")}" title="{esc(milestone.title)}">'
        f'<span class="visually-hidden">Meilenstein „'
        f"{esc(short(milestone.title))}“: {when}</span></span>"
    )
