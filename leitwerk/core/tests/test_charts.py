"""SVG chart primitives (leitwerk/core/charts.py): machine numbers with a dot, text escaped."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import translation

from leitwerk.core.charts import Frame, Reference, Style, element, line_chart, svg_number

STYLE = Style(axis={"class": "a"}, label={"class": "l"}, line={"class": "p"}, point={"r": 4})
NUMERIC = {"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height"}


def _chart(frame: Frame, values: list[str]) -> str:
    return line_chart(
        frame=frame,
        root={"role": "img"},
        head=[element("title", "Verlauf <Anteil> & mehr")],
        values=[Decimal(v) for v in values],
        positions=[n / max(len(values) - 1, 1) for n in range(len(values))],
        x_labels=[f"0{n + 1}.01.2026" for n in range(len(values))],
        references=[Reference(Decimal("1234.567"), "Ziel", {"class": "t"})],
        style=STYLE,
    )


@pytest.mark.parametrize("frame", [Frame(560, 220), Frame(480, 200, bottom=40)])
def test_numbers_in_the_svg_always_use_a_dot(frame, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override("de"):
        svg = _chart(frame, ["10.25", "27.5", "1000.125"])
    attrs = re.findall(r' ([\w-]+)="([^"]*)"', svg)
    numeric = [(name, value) for name, value in attrs if name in NUMERIC]
    assert numeric, "the chart has coordinates"
    for name, value in numeric:
        assert re.fullmatch(r"-?\d+(\.\d)?", value), (name, value)
    (points,) = re.findall(r' points="([^"]*)"', svg)
    for pair in points.split(" "):
        assert re.fullmatch(r"-?\d+\.\d,-?\d+\.\d", pair), pair
    assert f'viewBox="0 0 {frame.width} {frame.height}"' in svg
    # The visible labels are German text.
    assert ">Ziel 1.234,57</text>" in svg


def test_text_is_escaped_and_one_point_is_centred():
    svg = _chart(Frame(560, 220), ["3"])
    assert "<title>Verlauf &lt;Anteil&gt; &amp; mehr</title>" in svg
    assert svg.count("<circle") == 1 and 'cx="300.0"' in svg
    assert 'text-anchor="middle">01.01.2026</text>' in svg


def test_no_values_no_chart():
    assert _chart(Frame(560, 220), []) == ""


def test_svg_number_is_machine_text():
    with translation.override("de"):
        assert svg_number(Decimal("27.56")) == "27.6"
        assert svg_number(12) == "12" and svg_number(0.04) == "0.0"


def test_both_charts_keep_their_size_and_look():
    from leitwerk.plans.charts import line_chart as page_chart
    from leitwerk.reports.charts import indicator_chart

    page = page_chart(
        chart_id="c", title="t", points=[(dt.date(2026, 1, 1), Decimal("1"))], target=Decimal("2")
    )
    assert 'viewBox="0 0 560 220"' in page and 'class="chart__ref chart__ref--target"' in page
    report = indicator_chart(
        {
            "title": "t",
            "unit": "",
            "values": [{"date": "2026-01-01", "value": "1.5"}],
            "baseline": None,
            "target": "2",
        }
    )
    assert 'width="480" height="200"' in report and 'viewBox="0 0 480 200"' in report
    assert 'stroke-dasharray="6 4"' in report and ">Zielwert 2</text>" in report
