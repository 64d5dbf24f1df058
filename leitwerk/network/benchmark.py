"""Benchmark statistics: median and quartiles of a peer group, with the 5-participant rule.

Pure functions over plain values, so the rules that protect participants can be tested
without a database: fewer than `MIN_PARTICIPANTS` values give no comparison at all (a small
group makes single municipalities recognisable), and a comparison shows the quartiles, the own
value and the values of municipalities that allowed naming, never a single anonymous value:
listing them let a reader tell groups apart ("alle" minus "gleiche Größenklasse") and read a
late sharer's value (audit L9). A group that is too small is not counted aloud either.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

from leitwerk.core import charts, formatting

MIN_PARTICIPANTS = 5

# Size classes of the German municipal statistics (Gemeindegrößenklassen), coarsened.
SIZE_CLASSES: tuple[tuple[int, int | None, str], ...] = (
    (0, 5_000, "unter 5.000 Einwohner"),
    (5_000, 20_000, "5.000 bis unter 20.000 Einwohner"),
    (20_000, 50_000, "20.000 bis unter 50.000 Einwohner"),
    (50_000, 100_000, "50.000 bis unter 100.000 Einwohner"),
    (100_000, 500_000, "100.000 bis unter 500.000 Einwohner"),
    (500_000, None, "500.000 Einwohner und mehr"),
)

TOO_FEW = (
    "Kein Vergleich möglich: In dieser Vergleichsgruppe haben noch zu wenige Kommunen Werte "
    "geteilt. Damit niemand erkennbar wird, zeigen wir einen Vergleich erst ab {min} Kommunen."
)


# Town types after the BBSR's Stadt- und Gemeindetypen, by population only (the BBSR also weighs
# a town's central-place function, which the registry does not carry).
SETTLEMENT_TYPES: tuple[tuple[int, int | None, str], ...] = (
    (0, 5_000, "Landgemeinde"),
    (5_000, 20_000, "Kleinstadt"),
    (20_000, 100_000, "Mittelstadt"),
    (100_000, None, "Großstadt"),
)


def settlement_type(population: int | None) -> str:
    if population is None:
        return ""
    for low, high, label in SETTLEMENT_TYPES:
        if population >= low and (high is None or population < high):
            return label
    return ""


def size_class(population: int | None) -> str:
    if population is None:
        return ""
    for low, high, label in SIZE_CLASSES:
        if population >= low and (high is None or population < high):
            return label
    return ""


def period_start(day: dt.date) -> dt.date:
    """The first day of the quarter `day` falls in: the comparison's cut-off (audit L9)."""
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def next_publication(day: dt.date) -> dt.date:
    """When values shared on `day` reach the comparison: the first day of the next quarter."""
    start = period_start(day)
    return dt.date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)


@dataclass(frozen=True)
class Participant:
    municipality_id: int
    name: str
    value: Decimal
    allow_naming: bool = False
    population: int | None = None
    state: str = ""


@dataclass(frozen=True)
class PeerGroup:
    """Which participants count: all, or only the own size class and/or Land."""

    same_size: bool = False
    same_state: bool = False
    same_type: bool = False

    def label(self, own: Participant) -> str:
        parts = []
        if self.same_type:
            parts.append(settlement_type(own.population) or "Gemeindetyp unbekannt")
        if self.same_size:
            parts.append(size_class(own.population) or "Größenklasse unbekannt")
        if self.same_state:
            parts.append(own.state or "Land unbekannt")
        return ", ".join(parts) or "alle Teilnehmenden"

    def select(self, own: Participant, participants: Sequence[Participant]) -> list[Participant]:
        out = []
        for p in participants:
            if self.same_size and size_class(p.population) != size_class(own.population):
                continue
            if self.same_state and p.state != own.state:
                continue
            if self.same_type and settlement_type(p.population) != settlement_type(own.population):
                continue
            out.append(p)
        return out


@dataclass(frozen=True)
class Row:
    label: str
    value: Decimal
    own: bool
    named: bool


@dataclass(frozen=True)
class Comparison:
    count: int
    rows: tuple[Row, ...] = ()
    median: Decimal | None = None
    q1: Decimal | None = None
    q3: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    message: str = ""

    @property
    def available(self) -> bool:
        return not self.message


def quartiles(values: Sequence[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """(Q1, median, Q3), linear interpolation between ranks (Excel's QUARTILE.INKL)."""
    if not values:
        raise ValueError("no values")
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Decimal(q1), Decimal(q2), Decimal(q3)


def compare(
    participants: Sequence[Participant],
    *,
    own_id: int | None,
    min_participants: int = MIN_PARTICIPANTS,
) -> Comparison:
    """The comparison of one peer group, or only a message when it is too small."""
    n = len(participants)
    if n < min_participants:
        # The count stays unsaid: "erst 2" told which other member took part.
        return Comparison(count=0, message=TOO_FEW.format(min=min_participants))
    values = sorted(p.value for p in participants)
    q1, median, q3 = quartiles(values)
    rows = []
    for p in sorted(participants, key=lambda p: (p.value, p.municipality_id != own_id)):
        own = p.municipality_id == own_id
        if own or p.allow_naming:
            rows.append(Row(label=p.name, value=p.value, own=own, named=True))
    return Comparison(
        count=n,
        rows=tuple(rows),
        median=median,
        q1=q1,
        q3=q3,
        minimum=values[0],
        maximum=values[-1],
    )


BENCHMARK_STYLE = charts.BarStyle(
    bar={"fill": "#8aa4bd"},
    emphasised={"fill": "#0b4a7d", "stroke": "#000", "stroke_width": "1"},
    label={"font_size": "12"},
    band={"fill": "#e6eef6"},
)
QUARTILE = {"fill": "#4a5560"}
MEDIAN = {"fill": "#0b4a7d"}


def chart(comparison: Comparison, *, title: str, width: int = 560) -> SafeString | None:
    """The comparison as bars with the quartile band and the median (thick line), or None.

    Built by the chart kernel, so every coordinate is written with a dot; the values themselves
    stand in the table beside it.
    """
    if not comparison.available:
        return None
    # The axis ends after Q3 or the highest shown value, never at a hidden peer's maximum.
    top = max([comparison.q3 or Decimal(0), *(r.value for r in comparison.rows)]) * Decimal("1.1")
    scale = float(top) if top > 0 else 1.0

    def share(value: Decimal | None) -> float:
        return max(float(value or 0), 0.0) / scale

    median = formatting.number(comparison.median, max_decimals=2)
    head = [
        charts.element("title", f"{title}: Werte der Vergleichsgruppe", id="chart-title"),
        charts.element(
            "desc",
            "Der graue Bereich zeigt die mittlere Hälfte der Vergleichsgruppe (Quartil 1 bis 3),"
            f" die dicke Linie den Median {median}; Balken nur für unseren Wert und genannte"
            " Kommunen. Die Werte stehen auch in der Tabelle darunter.",
            id="chart-desc",
        ),
    ]
    svg = charts.bar_chart(
        width=width,
        root={"role": "img", "aria_labelledby": "chart-title chart-desc", "class": "chart"},
        head=head,
        bars=[charts.Bar(r.label, share(r.value), r.own) for r in comparison.rows],
        style=BENCHMARK_STYLE,
        band=(share(comparison.q1), share(comparison.q3)),
        markers=[
            (share(comparison.q1), 1, QUARTILE),
            (share(comparison.q3), 1, QUARTILE),
            (share(comparison.median), 3, MEDIAN),
        ],
    )
    return mark_safe(svg)  # noqa: S308 - built by core.charts, every text escaped there
