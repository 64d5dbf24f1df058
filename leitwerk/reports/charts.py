"""Small, self-contained SVG line charts for indicator values.

Hand-written instead of a chart library: the output must be byte-identical for the same data
(reproducible reports), carry no script, and render the same in WeasyPrint and in browsers.
Every chart is paired with a data table in the report, so the chart never is the only carrier
of a value.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 480, 200
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
INK = "#1a1a1a"
LINE = "#0b5394"  # contrast 7.6:1 on white
TARGET = "#6b3e00"
GRID = "#c8c8c8"


def _de(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    if "." in text:
        whole, frac = text.split(".")
        return f"{whole},{frac[:2]}".rstrip("0").rstrip(",")
    return text


def _date_de(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


def chart_alt_text(row: dict[str, Any]) -> str:
    values = row["values"]
    unit = f" {row['unit']}" if row["unit"] else ""
    first, last = values[0], values[-1]
    text = (
        f"Verlauf „{row['title']}“: {len(values)} Messwerte von "
        f"{_de(Decimal(first['value']))}{unit} ({_date_de(first['date'])}) bis "
        f"{_de(Decimal(last['value']))}{unit} ({_date_de(last['date'])})"
    )
    if row["target"] is not None:
        text += f", Zielwert {_de(Decimal(row['target']))}{unit}"
    return text + ". Die Werte stehen in der Tabelle."


def indicator_chart(row: dict[str, Any]) -> str:
    """An SVG line chart of the measurements with baseline and target as dashed lines."""
    points = [(p["date"], Decimal(p["value"])) for p in row["values"]]
    refs = [Decimal(v) for v in (row["baseline"], row["target"]) if v is not None]
    all_values = [v for _, v in points] + refs
    low, high = min(all_values), max(all_values)
    if low == high:
        low, high = low - 1, high + 1
    span = high - low
    low -= span * Decimal("0.05")
    high += span * Decimal("0.05")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: Decimal) -> str:
        return f"{TOP + float((high - value) / (high - low)) * plot_h:.1f}"

    def x(index: int) -> str:
        if len(points) == 1:
            return f"{LEFT + plot_w / 2:.1f}"
        return f"{LEFT + index * plot_w / (len(points) - 1):.1f}"

    title = escape(chart_alt_text(row))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" font-family="DejaVu Sans" font-size="11">',
        f"<title>{title}</title>",
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="{INK}"/>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" '
        f'stroke="{INK}"/>',
    ]
    for value, label, colour in (
        (row["baseline"], "Ausgangswert", GRID),
        (row["target"], "Zielwert", TARGET),
    ):
        if value is None:
            continue
        v = Decimal(value)
        parts.append(
            f'<line x1="{LEFT}" y1="{y(v)}" x2="{LEFT + plot_w}" y2="{y(v)}" stroke="{colour}" '
            f'stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        parts.append(
            f'<text x="{LEFT + plot_w}" y="{float(y(v)) - 4:.1f}" text-anchor="end" '
            f'fill="{INK}">{label} {escape(_de(v))}</text>'
        )
    for tick in (low + span * Decimal("0.05"), high - span * Decimal("0.05")):
        parts.append(
            f'<text x="{LEFT - 6}" y="{float(y(tick)) + 4:.1f}" text-anchor="end" '
            f'fill="{INK}">{escape(_de(tick))}</text>'
        )
    coords = " ".join(f"{x(n)},{y(v)}" for n, (_, v) in enumerate(points))
    parts.append(f'<polyline points="{coords}" fill="none" stroke="{LINE}" stroke-width="2.5"/>')
    for n, (_day, v) in enumerate(points):
        parts.append(f'<circle cx="{x(n)}" cy="{y(v)}" r="3.5" fill="{LINE}"/>')
    # Label the first and last date only: enough to read the period without overlaps.
    label_idx = sorted({0, len(points) - 1})
    for n in label_idx:
        anchor = "start" if n == 0 and len(points) > 1 else ("end" if n else "middle")
        parts.append(
            f'<text x="{x(n)}" y="{TOP + plot_h + 16}" text-anchor="{anchor}" '
            f'fill="{INK}">{_date_de(points[n][0])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
