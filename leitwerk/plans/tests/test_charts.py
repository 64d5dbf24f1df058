"""The SVG line chart: accessible name and description, escaped text, stable without data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from leitwerk.plans.charts import line_chart


def test_chart_has_title_desc_and_one_point_per_value():
    svg = line_chart(
        chart_id="c1",
        title="Verlauf: <Anteil> & mehr",
        points=[(dt.date(2026, 1, 31), Decimal("10")), (dt.date(2026, 6, 30), Decimal("27.5"))],
        baseline=Decimal("10"),
        target=Decimal("50"),
        unit="%",
    )
    assert svg.startswith('<svg class="chart" role="img"')
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Verlauf: &lt;Anteil&gt; &amp; mehr</title>' in svg
    assert "zuletzt 27,5 %" in svg and "Zielwert 50 %" in svg
    assert svg.count("<circle") == 2
    assert "Ziel 50" in svg and "Start 10" in svg


def test_single_value_and_no_values():
    one = line_chart(chart_id="c2", title="x", points=[(dt.date(2026, 1, 1), Decimal("3"))])
    assert one.count("<circle") == 1
    assert line_chart(chart_id="c3", title="x", points=[]) == ""
