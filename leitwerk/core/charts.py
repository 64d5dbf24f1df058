"""SVG chart primitives, once: the line chart on the indicator pages and in the reports.

Hand-written instead of a chart library: no script, the same bytes for the same data
(reproducible reports), and the same picture in browsers and in WeasyPrint. A chart is never the
only carrier of a value: every page and report pairs it with a data table.

Numbers inside the SVG (coordinates, sizes) are machine text and always use a dot
(`svg_number`), whatever the language; the visible labels are German text (`core.formatting`).
Callers choose the size (`Frame`), the look (`Style`: CSS classes on pages, presentation
attributes in reports) and the words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.html import escape

from .formatting import number

Attrs = Mapping[str, Any]


def svg_number(value: int | float | Decimal) -> str:
    """A number for an SVG attribute: integers as they are, else one decimal, with a dot."""
    if isinstance(value, int):
        return str(value)
    return f"{float(value):.1f}"


def _attr(name: str, value: Any) -> str:
    name = name.rstrip("_").replace("_", "-")
    text = value if isinstance(value, str) else svg_number(value)
    return f' {name}="{escape(text)}"'


def element(tag: str, text: str | None = None, /, *styles: Attrs, **attrs: Any) -> str:
    """One SVG element; `styles` (e.g. `{"class": "chart__line"}`) come first, then `attrs`.

    Attribute names take `_` for `-` (`text_anchor`); numbers are written by `svg_number`;
    text is escaped.
    """
    parts = [_attr(k, v) for style in styles for k, v in style.items()]
    parts += [_attr(k, v) for k, v in attrs.items()]
    if text is None:
        return f"<{tag}{''.join(parts)}/>"
    return f"<{tag}{''.join(parts)}>{escape(text)}</{tag}>"


@dataclass(frozen=True)
class Frame:
    """The chart's size and the margins around the plot area, in SVG units."""

    width: int
    height: int
    left: int = 56
    right: int = 16
    top: int = 16
    bottom: int = 36

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def plot_bottom(self) -> int:
        return self.top + self.plot_height

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    def x(self, position: float | None) -> float:
        """`position` 0…1 across the plot; None is the middle (a single point)."""
        return self.left + self.plot_width * (0.5 if position is None else position)


@dataclass(frozen=True)
class Scale:
    """The value axis: the lowest and highest value shown, and 5 % air above and below."""

    low: Decimal
    high: Decimal

    @classmethod
    def around(cls, values: Iterable[Decimal]) -> Scale:
        values = [Decimal(v) for v in values]
        low, high = min(values), max(values)
        if low == high:
            low, high = low - 1, high + 1
        return cls(low, high)

    def y(self, frame: Frame, value: Decimal | float) -> float:
        span = float(self.high - self.low)
        low, high = float(self.low) - span * 0.05, float(self.high) + span * 0.05
        return frame.top + frame.plot_height * (high - float(value)) / (high - low)


@dataclass(frozen=True)
class Reference:
    """A dashed horizontal line such as the target, labelled "<label> <value>"."""

    value: Decimal
    label: str
    style: Attrs = field(default_factory=dict)


@dataclass(frozen=True)
class Style:
    """How the parts look: CSS classes (pages) or SVG presentation attributes (reports)."""

    axis: Attrs
    label: Attrs
    line: Attrs
    point: Attrs


def polyline_points(coords: Iterable[tuple[float, float]]) -> str:
    """SVG `points`: "x,y x,y" with dots as decimal marks (the comma separates x and y)."""
    return " ".join(f"{svg_number(float(x))},{svg_number(float(y))}" for x, y in coords)


def _axes(frame: Frame, style: Style) -> list[str]:
    """The time axis along the bottom and the value axis on the left."""
    return [
        element(
            "line",
            None,
            style.axis,
            x1=frame.left,
            y1=frame.plot_bottom,
            x2=frame.plot_right,
            y2=frame.plot_bottom,
        ),
        element(
            "line",
            None,
            style.axis,
            x1=frame.left,
            y1=frame.top,
            x2=frame.left,
            y2=frame.plot_bottom,
        ),
    ]


def _reference_line(ref: Reference, frame: Frame, style: Style, ry: float) -> list[str]:
    """A reference value (target, baseline …) as a line across the plot, labelled on the right."""
    return [
        element("line", None, ref.style, x1=frame.left, y1=ry, x2=frame.plot_right, y2=ry),
        element(
            "text",
            f"{ref.label} {number(ref.value, max_decimals=2)}",
            style.label,
            x=frame.plot_right,
            y=ry - 4,
            text_anchor="end",
        ),
    ]


def line_chart(
    *,
    frame: Frame,
    root: Attrs,
    head: Sequence[str],
    values: Sequence[Decimal],
    positions: Sequence[float],
    x_labels: Sequence[str],
    references: Sequence[Reference] = (),
    style: Style,
    x_label_gap: int = 24,
) -> str:
    """A line through `values` (at `positions` 0…1), with reference lines and axis labels.

    `root` are the `<svg>` attributes besides `viewBox` and `xmlns`, `head` the already built
    `<title>`/`<desc>` elements. The value axis names the lowest and highest value (German, at
    most two decimals); the time axis the first and last of `x_labels`.
    """
    if not values:
        return ""
    scale = Scale.around([*values, *(r.value for r in references)])
    single = len(values) == 1

    def x(n: int) -> float:
        return frame.x(None if single else positions[n])

    def y(value: Decimal | float) -> float:
        return scale.y(frame, value)

    parts = [
        "<svg"
        + "".join(_attr(k, v) for k, v in root.items())
        + f' viewBox="{frame.view_box}" xmlns="http://www.w3.org/2000/svg">',
        *head,
        *_axes(frame, style),
    ]
    for ref in references:
        parts += _reference_line(ref, frame, style, y(ref.value))
    for tick in (scale.low, scale.high):
        parts.append(
            element(
                "text",
                number(tick, max_decimals=2),
                style.label,
                x=frame.left - 6,
                y=y(tick) + 4,
                text_anchor="end",
            )
        )
    coords = [(x(n), y(v)) for n, v in enumerate(values)]
    parts.append(element("polyline", None, style.line, points=polyline_points(coords)))
    parts += [element("circle", None, style.point, cx=cx, cy=cy) for cx, cy in coords]
    ends = ((0, "middle"),) if single else ((0, "start"), (len(values) - 1, "end"))
    for n, anchor in ends:
        parts.append(
            element(
                "text",
                x_labels[n],
                style.label,
                x=x(n),
                y=frame.plot_bottom + x_label_gap,
                text_anchor=anchor,
            )
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: its label, its length as a share 0…1 of the plot, emphasised or not."""

    label: str
    share: float
    emphasised: bool = False


@dataclass(frozen=True)
class BarStyle:
    """Presentation attributes of the bar chart's parts (the same picture on pages and in PDFs)."""

    bar: Attrs
    emphasised: Attrs
    label: Attrs
    band: Attrs


def bar_chart(
    *,
    width: int,
    root: Attrs,
    head: Sequence[str],
    bars: Sequence[Bar],
    style: BarStyle,
    band: tuple[float, float] | None = None,
    markers: Sequence[tuple[float, int, Attrs]] = (),
    label_width: int = 170,
    right: int = 70,
    bar_height: int = 18,
    gap: int = 8,
    label_chars: int = 26,
) -> str:
    """Horizontal bars with their labels, an optional shaded band and vertical markers.

    `band` and each marker's position are shares 0…1 of the plot, as the bars; a marker is
    `(share, thickness, look)`. Labels longer than `label_chars` are shortened with "…"; the full
    text belongs in the data table beside the chart.
    """
    if not bars:
        return ""
    plot = width - label_width - right
    height = 20 + len(bars) * (bar_height + gap)

    def x(share: float) -> float:
        return label_width + plot * min(max(share, 0.0), 1.0)

    parts = [
        "<svg"
        + "".join(_attr(k, v) for k, v in root.items())
        + f' viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        *head,
    ]
    if band is not None:
        low, high = x(band[0]), x(band[1])
        parts.append(element("rect", None, style.band, x=low, y=0, width=high - low, height=height))
    for share, thickness, look in markers:
        parts.append(element("rect", None, look, x=x(share), y=0, width=thickness, height=height))
    for n, bar in enumerate(bars):
        y = 10 + n * (bar_height + gap)
        label = bar.label if len(bar.label) <= label_chars else bar.label[: label_chars - 1] + "…"
        emphasis = {"font_weight": "700"} if bar.emphasised else {}
        parts.append(
            element(
                "text",
                label,
                style.label,
                x=label_width - 6,
                y=y + 13,
                text_anchor="end",
                **emphasis,
            )
        )
        look = style.emphasised if bar.emphasised else style.bar
        parts.append(
            element(
                "rect",
                None,
                look,
                x=label_width,
                y=y,
                width=x(bar.share) - label_width,
                height=bar_height,
            )
        )
    parts.append("</svg>")
    return "".join(parts)
