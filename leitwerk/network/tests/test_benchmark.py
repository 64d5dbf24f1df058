from __future__ import annotations

import re
from decimal import Decimal

from leitwerk.network.benchmark import (
    MIN_PARTICIPANTS,
    Participant,
    PeerGroup,
    chart,
    compare,
    quartiles,
    size_class,
)


def people(*values, naming=()):
    return [
        Participant(
            municipality_id=i,
            name=f"Stadt {i}",
            value=Decimal(str(v)),
            allow_naming=i in naming,
            population=20_000 + i * 1000,
            state="Bayern" if i % 2 else "Hessen",
        )
        for i, v in enumerate(values, start=1)
    ]


def test_fewer_than_five_participants_give_only_a_message():
    result = compare(people(10, 20, 30, 40), own_id=1)
    assert not result.available
    assert result.rows == () and result.median is None
    assert "ab 5 Kommunen" in result.message
    assert MIN_PARTICIPANTS == 5


def test_five_participants_give_median_and_quartiles():
    result = compare(people(10, 20, 30, 40, 50), own_id=3)
    assert result.available
    assert (result.q1, result.median, result.q3) == (Decimal(20), Decimal(30), Decimal(40))
    assert result.count == 5


def test_only_the_own_value_and_named_values_are_shown_never_an_anonymous_one():
    """Audit L9: listed anonymous values told groups apart and gave away a late sharer."""
    result = compare(people(50, 40, 30, 20, 10, naming={2}), own_id=1)
    assert [(r.label, r.value) for r in result.rows] == [
        ("Stadt 2", Decimal(40)),
        ("Stadt 1", Decimal(50)),
    ]
    late = compare(people(50, 40, 30, 20, 10, 41, naming={2}), own_id=1)
    assert [r.value for r in late.rows] == [r.value for r in result.rows]


def test_a_group_too_small_is_not_counted_aloud():
    for n in range(1, MIN_PARTICIPANTS):
        result = compare(people(*range(1, n + 1)), own_id=1)
        assert not result.available and str(n) not in result.message.replace("5", "")


def test_peer_group_by_size_class_and_land():
    group = people(1, 2, 3, 4, 5, 6, 7)
    own = group[0]
    assert len(PeerGroup().select(own, group)) == 7
    assert {p.state for p in PeerGroup(same_state=True).select(own, group)} == {"Bayern"}
    assert size_class(4_999) != size_class(5_000)
    assert size_class(None) == ""


def test_quartiles_of_one_value():
    assert quartiles([Decimal(7)]) == (Decimal(7), Decimal(7), Decimal(7))


def test_chart_bars_grow_with_the_value_and_no_chart_for_too_few():
    assert chart(compare(people(1, 2), own_id=1), title="t") is None
    group = people(10, 20, 30, 40, 50, naming={2, 4})
    svg = chart(compare(group, own_id=1), title="Wartezeit <Amt>")
    assert svg is not None and '<title id="chart-title">Wartezeit &lt;Amt&gt;:' in svg
    bars = [
        float(w)
        for w in re.findall(r'<rect [^>]*x="170" y="\d+" width="([\d.]+)" height="18"', svg)
    ]
    assert len(bars) == 3 and bars == sorted(bars) and bars[0] > 0  # own and two named
    assert svg.count('fill="#0b4a7d"') == 2  # the median line and our own bar


def test_peer_group_by_bbsr_town_type():
    from leitwerk.network.benchmark import settlement_type

    assert [settlement_type(n) for n in (4_999, 5_000, 99_999, 100_000)] == [
        "Landgemeinde",
        "Kleinstadt",
        "Mittelstadt",
        "Großstadt",
    ]
    group = people(1, 2, 3)  # 21,000 to 23,000 inhabitants: Mittelstädte
    small = Participant(
        municipality_id=9, name="Dorf", value=Decimal(1), population=800, state="Bayern"
    )
    same = PeerGroup(same_type=True)
    assert same.select(group[0], [*group, small]) == group
    assert same.label(group[0]) == "Mittelstadt"
