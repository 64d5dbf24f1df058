"""A tiny server-side SVG line chart for indicator values: no JavaScript, no library.

The SVG is decoration for sighted readers; the page always puts the same numbers in a data
table right after it, and the SVG carries a <title> and <desc> for screen readers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 560, 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 56, 16, 16, 36


def _num(value: Decimal | float) -> str:
    text = f"{Decimal(str(value)).normalize():f}"
    return text.replace(".", ",")


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
    values = [float(v) for _d, v in points]
    refs = [float(x) for x in (baseline, target) if x is not None]
    low, high = min(values + refs), max(values + refs)
    if low == high:
        low, high = low - 1, high + 1
    # Axis labels name real numbers (lowest and highest value shown), not the padded edges.
    label_values = (low, high)
    span = high - low
    low, high = low - span * 0.05, high + span * 0.05
    first, last = points[0][0], points[-1][0]
    days = max((last - first).days, 1)
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM

    def x(day: dt.date) -> float:
        if len(points) == 1:
            return PAD_LEFT + plot_w / 2
        return PAD_LEFT + plot_w * (day - first).days / days

    def y(value: float) -> float:
        return PAD_TOP + plot_h * (1 - (value - low) / (high - low))

    unit_text = f" {unit}" if unit else ""
    latest_day, latest_value = points[-1]
    desc = (
        f"{len(points)} Messwerte von {date_format(first, 'j. F Y')} bis "
        f"{date_format(last, 'j. F Y')}; zuletzt {_num(latest_value)}{unit_text}"
    )
    if target is not None:
        desc += f"; Zielwert {_num(target)}{unit_text}"
    if baseline is not None:
        desc += f"; Ausgangswert {_num(baseline)}{unit_text}"
    desc += "."
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<line class="chart__axis" x1="{PAD_LEFT}" y1="{PAD_TOP + plot_h}" '
        f'x2="{WIDTH - PAD_RIGHT}" y2="{PAD_TOP + plot_h}"/>',
        f'<line class="chart__axis" x1="{PAD_LEFT}" y1="{PAD_TOP}" x2="{PAD_LEFT}" '
        f'y2="{PAD_TOP + plot_h}"/>',
    ]
    for label, ref, css in (("Ziel", target, "target"), ("Start", baseline, "baseline")):
        if ref is None:
            continue
        ry = y(float(ref))
        parts.append(
            f'<line class="chart__ref chart__ref--{css}" x1="{PAD_LEFT}" y1="{ry:.1f}" '
            f'x2="{WIDTH - PAD_RIGHT}" y2="{ry:.1f}"/>'
            f'<text class="chart__label" x="{WIDTH - PAD_RIGHT}" y="{ry - 4:.1f}" '
            f'text-anchor="end">{label} {escape(_num(ref))}</text>'
        )
    for value in label_values:
        parts.append(
            f'<text class="chart__label" x="{PAD_LEFT - 6}" y="{y(value) + 4:.1f}" '
            f'text-anchor="end">{escape(_num(round(value, 2)))}</text>'
        )
    coords = " ".join(f"{x(d):.1f},{y(float(v)):.1f}" for d, v in points)
    parts.append(f'<polyline class="chart__line" points="{coords}"/>')
    for d, v in points:
        parts.append(f'<circle class="chart__point" cx="{x(d):.1f}" cy="{y(float(v)):.1f}" r="4"/>')
    for day, anchor in (
        ((first, "start"), (last, "end")) if len(points) > 1 else ((first, "middle"),)
    ):
        parts.append(
            f'<text class="chart__label" x="{x(day):.1f}" y="{HEIGHT - 12}" '
            f'text-anchor="{anchor}">{escape(date_format(day, "d.m.Y"))}</text>'
        )
    parts.append("</svg>")
    del latest_day
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


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
