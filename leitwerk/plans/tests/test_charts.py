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


def test_gantt_positions_are_css_numbers_with_a_point():
    from types import SimpleNamespace

    from leitwerk.plans.charts import gantt

    milestone = SimpleNamespace(title="M", due_date=dt.date(2027, 1, 1), done_on=None)
    timeline = gantt(
        rows=[("V", dt.date(2026, 7, 1), dt.date(2027, 6, 30), [milestone])],
        start=dt.date(2026, 1, 1),
        end=dt.date(2027, 12, 31),
        today=dt.date(2027, 3, 1),
    )
    row = timeline["rows"][0]
    assert row["bar"]["left"] == "24.83" and "," not in row["bar"]["width"]
    assert row["marks"][0]["state"] == "overdue"
    assert timeline["years"] == [
        {"label": "2026", "left": "0.00"},
        {"label": "2027", "left": "50.07"},
    ]
