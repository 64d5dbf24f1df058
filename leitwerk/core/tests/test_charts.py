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


def _every_chart() -> dict[str, str]:
    """One chart from every producer in the product, with fractional geometry."""
    from leitwerk.core.charts import Bar, BarStyle, bar_chart
    from leitwerk.feedback.charts import trend_chart
    from leitwerk.network.benchmark import Participant, chart, compare
    from leitwerk.plans.charts import line_chart as page_chart
    from leitwerk.reports.charts import indicator_chart

    values = ["12.25", "1234.5", "30.125", "18", "7.75"]
    people = [
        Participant(municipality_id=n, name=f"K{n}", value=Decimal(v), population=1, state="")
        for n, v in enumerate(values)
    ]
    days = [dt.date(2026, m, 1) for m in range(1, 6)]
    plain = {"fill": "#000"}
    return {
        "page": page_chart(
            chart_id="c",
            title="t",
            points=list(zip(days, map(Decimal, values), strict=True)),
            target=Decimal("99.5"),
        ),
        "report": indicator_chart(
            {
                "title": "t",
                "unit": "",
                "values": [
                    {"date": d.isoformat(), "value": v} for d, v in zip(days, values, strict=True)
                ],
                "baseline": "1.5",
                "target": "2000.25",
            }
        ),
        "benchmark": str(chart(compare(people, own_id=0), title="t")),
        "survey_trend": str(
            trend_chart(chart_id="t", title="t", points=[("Welle 1", 3.25), ("Welle 2", 4.125)])
        ),
        "bars": bar_chart(
            width=333,
            root={"role": "img"},
            head=[],
            bars=[Bar("a", 1 / 3), Bar("b", 2 / 3, True)],
            style=BarStyle(bar=plain, emphasised=plain, label=plain, band=plain),
            band=(1 / 7, 5 / 7),
            markers=[(3 / 7, 2, plain)],
        ),
    }


@pytest.mark.parametrize("name", ["page", "report", "benchmark", "survey_trend", "bars"])
def test_every_chart_is_svg_a_parser_reads_with_dot_numbers(name, settings):
    """Decimal commas left the network benchmark blank; no producer may write one again."""
    from defusedxml import ElementTree

    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override("de"):
        svg = _every_chart()[name]
    root = ElementTree.fromstring(svg)  # raises on anything that is not well-formed
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    shapes = list(root.iter())
    numeric = [(el.tag, k, v) for el in shapes for k, v in el.attrib.items() if k in NUMERIC]
    assert len(numeric) > 10
    for tag, key, value in numeric:
        assert re.fullmatch(r"-?\d+(\.\d+)?", value), (tag, key, value)
    for el in shapes:
        if el.tag.endswith("rect"):
            assert float(el.get("width", "1")) >= 0 and float(el.get("height", "1")) > 0
