"""Early warning for indicators: does the linear trend of the measurements reach the target
by the target date? Pure functions, no database.

A least-squares line through (day, value) of all measurements up to today is extended to the
target date. Two measurements are the minimum for a trend; with fewer, nothing is claimed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

Number = Decimal | float | int

DECREASE = "decrease"


@dataclass(frozen=True)
class TrendForecast:
    projected: float  # value the trend line reaches at the target date
    slope_per_year: float
    misses_target: bool


def linear_trend(points: Sequence[tuple[dt.date, Number]]) -> tuple[Fraction, Fraction] | None:
    """(slope per day, value at day 0 = first point's date) of the least-squares line.

    None with fewer than two distinct dates: one point, or many on the same day, give no
    direction.
    """
    if len(points) < 2:
        return None
    origin = min(day for day, _ in points)
    # Exact, but in integers: every value scaled by the common denominator, so the sums are
    # plain int arithmetic and only the two results are fractions (a dashboard computes
    # hundreds of these per request; summing Fractions was most of its time).
    xs = [(day - origin).days for day, _ in points]
    values = [Fraction(value) for _, value in points]
    scale = 1
    for v in values:
        scale = math.lcm(scale, v.denominator)
    ys = [v.numerator * (scale // v.denominator) for v in values]
    n = len(points)
    sum_x = sum(xs)
    sum_y = sum(ys)
    n_sxx = n * sum(x * x for x in xs) - sum_x * sum_x  # n · Σ(x - x̄)²
    if n_sxx == 0:
        return None
    n_sxy = n * sum(x * y for x, y in zip(xs, ys, strict=True)) - sum_x * sum_y
    slope = Fraction(n_sxy, n_sxx * scale)
    return slope, Fraction(sum_y, n * scale) - slope * Fraction(sum_x, n)


def _reached(value: Fraction, *, baseline: Number | None, target: Number, direction: str) -> bool:
    t = Fraction(target)
    # The line from baseline to target decides what "good" means (as in progress.py); only
    # when both are equal, or no baseline exists, the stated direction decides.
    if baseline is not None and Fraction(baseline) != t:
        decreasing = Fraction(baseline) > t
    else:
        decreasing = direction == DECREASE
    return value <= t if decreasing else value >= t


def forecast(
    points: Sequence[tuple[dt.date, Number]],
    *,
    baseline: Number | None,
    target: Number | None,
    target_date: dt.date | None,
    direction: str = "increase",
    today: dt.date,
) -> TrendForecast | None:
    """Forecast of a quantitative indicator at its target date, or None if no claim is possible.

    Only measurements up to `today` count. After the target date the latest value itself
    decides (no extrapolation into the past).
    """
    if target is None or target_date is None:
        return None
    known = sorted((day, value) for day, value in points if day <= today)
    if not known:
        return None
    if target_date <= today:
        latest = Fraction(known[-1][1])
        return TrendForecast(
            projected=float(latest),
            slope_per_year=0.0,
            misses_target=not _reached(
                latest, baseline=baseline, target=target, direction=direction
            ),
        )
    line = linear_trend(known)
    if line is None:
        return None
    slope, intercept = line
    origin = known[0][0]
    projected = intercept + slope * (target_date - origin).days
    return TrendForecast(
        projected=float(projected),
        slope_per_year=float(slope * 365),
        misses_target=not _reached(
            projected, baseline=baseline, target=target, direction=direction
        ),
    )
