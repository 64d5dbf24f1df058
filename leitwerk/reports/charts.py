"""The report's SVG line chart for indicator values, drawn by `leitwerk/core/charts.py`.

The output must be byte-identical for the same data (reproducible reports), carry no script,
and render the same in WeasyPrint and in browsers. Every chart is paired with a data table in
the report, so the chart never is the only carrier of a value.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from leitwerk.core import charts
from leitwerk.core.charts import Frame, Reference, Scale, Style, element, polyline_points
from leitwerk.core.formatting import number

from .formatting import de_date_short

WIDTH, HEIGHT = 480, 200
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
INK = "#1a1a1a"
LINE = "#0b5394"  # contrast 7.6:1 on white
TARGET = "#6b3e00"
GRID = "#c8c8c8"


FRAME = Frame(width=WIDTH, height=HEIGHT, bottom=40)
STYLE = Style(
    axis={"stroke": INK},
    label={"fill": INK},
    line={"fill": "none", "stroke": LINE, "stroke-width": "2.5"},
    point={"r": "3.5", "fill": LINE},
)
DASHED = {"stroke-width": "1.5", "stroke-dasharray": "6 4"}


def _de(value: str) -> str:
    return number(value, max_decimals=2)


def chart_alt_text(row: dict[str, Any]) -> str:
    values = row["values"]
    unit = f" {row['unit']}" if row["unit"] else ""
    first, last = values[0], values[-1]
    text = (
        f"Verlauf „{row['title']}“: {len(values)} Messwerte von "
        f"{_de(first['value'])}{unit} ({de_date_short(first['date'])}) bis "
        f"{_de(last['value'])}{unit} ({de_date_short(last['date'])})"
    )
    if row["target"] is not None:
        text += f", Zielwert {_de(row['target'])}{unit}"
    return text + ". Die Werte stehen in der Tabelle."


def indicator_chart(row: dict[str, Any]) -> str:
    """An SVG line chart of the measurements with baseline and target as dashed lines."""
    points = row["values"]
    last = max(len(points) - 1, 1)
    references = [
        Reference(Decimal(value), label, {"stroke": colour, **DASHED})
        for value, label, colour in (
            (row["baseline"], "Ausgangswert", GRID),
            (row["target"], "Zielwert", TARGET),
        )
        if value is not None
    ]
    return charts.line_chart(
        frame=FRAME,
        root={
            "width": WIDTH,
            "height": HEIGHT,
            "role": "img",
            "font-family": "DejaVu Sans",
            "font-size": "11",
        },
        head=[element("title", chart_alt_text(row))],
        # Evenly spaced by measurement, not by date: a report reads value after value.
        values=[Decimal(p["value"]) for p in points],
        positions=[n / last for n in range(len(points))],
        x_labels=[de_date_short(p["date"]) for p in points],
        references=references,
        style=STYLE,
        x_label_gap=16,
    )


SPARK = Frame(width=120, height=28, left=2, right=2, top=3, bottom=3)
SPARK_VALUES = 8


def sparkline_alt_text(row: dict[str, Any], last: int = SPARK_VALUES) -> str:
    """What the sparkline shows, in words: its first and last value and the target.

    The cell beside it names the indicator, so the text does not repeat it; the whole
    series is in the XLSX, not in the PDF.
    """
    points = row["values"][-last:]
    unit = f" {row['unit']}" if row["unit"] else ""
    first, latest = points[0], points[-1]
    text = (
        f"Verlauf der letzten {len(points)} Werte: {_de(first['value'])}{unit} "
        f"({de_date_short(first['date'])}) bis {_de(latest['value'])}{unit} "
        f"({de_date_short(latest['date'])})"
    )
    if len(points) == 1:
        text = f"Ein Wert: {_de(latest['value'])}{unit} ({de_date_short(latest['date'])})"
    if row["target"] is not None:
        text += f", Ziel {_de(row['target'])}{unit}"
    return text + "."


def sparkline(row: dict[str, Any], last: int = SPARK_VALUES) -> str:
    """A word-sized line of the last `last` values with the target as a dashed line.

    No axes or labels: the value and the target stand as text beside it in the report; the
    whole series is in the XLSX.
    """
    points = row["values"][-last:]
    if not points:
        return ""
    values = [Decimal(p["value"]) for p in points]
    target = Decimal(row["target"]) if row["target"] is not None else None
    scale = Scale.around([*values, *([target] if target is not None else [])])
    n = max(len(values) - 1, 1)
    coords = [
        (SPARK.x(None if len(values) == 1 else k / n), scale.y(SPARK, v))
        for k, v in enumerate(values)
    ]
    # No <title>: the report's <img alt> carries the description (one text, not two to parse).
    parts = [
        f'<svg width="{SPARK.width}" height="{SPARK.height}" '
        f'viewBox="{SPARK.view_box}" xmlns="http://www.w3.org/2000/svg">',
    ]
    if target is not None:
        ty = scale.y(SPARK, target)
        parts.append(
            element(
                "line",
                None,
                {"stroke": TARGET, "stroke-width": "1", "stroke-dasharray": "3 2"},
                x1=SPARK.left,
                y1=ty,
                x2=SPARK.plot_right,
                y2=ty,
            )
        )
    parts.append(
        element(
            "polyline",
            None,
            {"fill": "none", "stroke": LINE, "stroke-width": "1.5"},
            points=polyline_points(coords),
        )
    )
    x, y = coords[-1]
    parts.append(element("circle", None, {"r": "2", "fill": LINE}, cx=x, cy=y))
    parts.append("</svg>")
    return "".join(parts)
