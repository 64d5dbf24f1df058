import datetime as dt

from leitwerk.controlling.trends import forecast, linear_trend

D = dt.date


def test_line_through_two_points():
    slope, intercept = linear_trend([(D(2026, 1, 1), 10), (D(2026, 1, 11), 20)])
    assert slope == 1 and intercept == 10


def test_no_trend_from_one_point_or_one_day():
    assert linear_trend([(D(2026, 1, 1), 10)]) is None
    assert linear_trend([(D(2026, 1, 1), 10), (D(2026, 1, 1), 12)]) is None


def test_slow_rise_misses_the_target():
    # 10 → 20 in the first half of the year; at that pace 30 by year end, target is 50.
    points = [(D(2026, 1, 1), 10), (D(2026, 4, 1), 15), (D(2026, 7, 1), 20)]
    result = forecast(
        points, baseline=10, target=50, target_date=D(2026, 12, 31), today=D(2026, 7, 2)
    )
    assert result is not None and result.misses_target
    assert 29 < result.projected < 31


def test_fast_rise_reaches_the_target():
    points = [(D(2026, 1, 1), 10), (D(2026, 7, 1), 40)]
    result = forecast(
        points, baseline=10, target=50, target_date=D(2026, 12, 31), today=D(2026, 7, 2)
    )
    assert result is not None and not result.misses_target


def test_falling_indicator_uses_the_line_from_baseline_to_target():
    # Processing time 40 → 20 days; falling 5 days per quarter reaches 20 by year end.
    points = [(D(2026, 1, 1), 40), (D(2026, 4, 1), 35), (D(2026, 7, 1), 30)]
    ok = forecast(points, baseline=40, target=20, target_date=D(2027, 1, 1), today=D(2026, 7, 2))
    assert ok is not None and not ok.misses_target
    slow = forecast(points, baseline=40, target=10, target_date=D(2027, 1, 1), today=D(2026, 7, 2))
    assert slow is not None and slow.misses_target


def test_measurements_after_today_are_ignored():
    points = [(D(2026, 1, 1), 10), (D(2026, 2, 1), 11), (D(2026, 9, 1), 60)]
    result = forecast(
        points, baseline=10, target=50, target_date=D(2026, 12, 31), today=D(2026, 3, 1)
    )
    assert result is not None and result.misses_target


def test_after_the_target_date_the_latest_value_decides():
    points = [(D(2026, 1, 1), 10), (D(2026, 12, 1), 45)]
    result = forecast(
        points, baseline=10, target=50, target_date=D(2026, 12, 31), today=D(2027, 2, 1)
    )
    assert result is not None and result.misses_target


def test_no_claim_without_target_or_enough_data():
    assert (
        forecast(
            [(D(2026, 1, 1), 1)],
            baseline=0,
            target=5,
            target_date=D(2027, 1, 1),
            today=D(2026, 6, 1),
        )
        is None
    )
    assert (
        forecast(
            [(D(2026, 1, 1), 1), (D(2026, 2, 1), 2)],
            baseline=0,
            target=None,
            target_date=D(2027, 1, 1),
            today=D(2026, 6, 1),
        )
        is None
    )
