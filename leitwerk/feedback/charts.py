"""The trend chart of the results page, drawn by `leitwerk/core/charts.py`.

Decoration for sighted readers: the page puts the same means in the trend table right next to
it, and the SVG carries a <title> and <desc> for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

from leitwerk.core import charts
from leitwerk.core.charts import Frame, Style, element
from leitwerk.core.formatting import number

FRAME = Frame(width=560, height=200, bottom=36)
STYLE = Style(
    axis={"class": "chart__axis"},
    label={"class": "chart__label"},
    line={"class": "chart__line"},
    point={"class": "chart__point", "r": 4},
)


def trend_chart(*, chart_id: str, title: str, points: Sequence[tuple[str, float]]) -> SafeString:
    """A line through the mean of each closed wave (oldest first); empty without points."""
    if not points:
        return mark_safe("")
    desc = (
        f"{len(points)} Wellen, von {points[0][0]} ({number(Decimal(str(points[0][1])))}) "
        f"bis {points[-1][0]} ({number(Decimal(str(points[-1][1])))})."
    )
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
        values=[Decimal(str(round(v, 2))) for _label, v in points],
        positions=[n / max(len(points) - 1, 1) for n in range(len(points))],
        x_labels=[label for label, _v in points],
        style=STYLE,
    )
    return mark_safe(svg)  # noqa: S308 - core.charts escapes every text
