"""Examples of the progress and health rules, as a controller would state them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from leitwerk.plans import progress as p
from leitwerk.plans.progress import (
    IndicatorFacts,
    InitiativeFacts,
    InitiativeProgress,
    MilestoneFacts,
)

TODAY = dt.date(2026, 7, 1)


def ms(done: bool = False, weight: Decimal | int = 1, due: dt.date | None = None):
    return MilestoneFacts(
        weight=weight, due_date=due, done_on=dt.date(2026, 3, 1) if done else None
    )


# --- milestones and indicators ------------------------------------------------------------


def test_two_of_four_milestones_done_and_no_indicators_is_half_done():
    milestones = [ms(True), ms(True), ms(), ms()]
    assert p.initiative_progress(status="active", milestones=milestones) == 0.5


def test_milestone_weights_count():
    assert p.milestone_progress([ms(True, weight=3), ms(weight=1)]) == 0.75


def test_milestone_reached_after_today_does_not_count_yet():
    later = MilestoneFacts(weight=1, done_on=dt.date(2026, 8, 1))
    assert p.milestone_progress([later], today=TODAY) == 0.0
    assert p.milestone_progress([later], today=dt.date(2026, 8, 1)) == 1.0


def test_increasing_indicator_is_linear_from_baseline_to_target():
    # 10 % → 50 % share of e-files; now at 30 % → halfway.
    assert (
        p.indicator_attainment(kind="quantitative", baseline=10, target=50, latest_value=30) == 0.5
    )


def test_decreasing_indicator():
    # Processing time down from 40 to 20 days; now 35 days → a quarter of the way.
    value = p.indicator_attainment(
        kind="quantitative", baseline=40, target=20, direction="decrease", latest_value=35
    )
    assert value == 0.25


@pytest.mark.parametrize(("value", "expected"), [(5, 0.0), (80, 1.0), (-3, 0.0), (50, 1.0)])
def test_attainment_is_clamped(value, expected):
    assert p.indicator_attainment(
        kind="quantitative", baseline=10, target=50, latest_value=value
    ) == (expected)


def test_decreasing_indicator_is_clamped():
    kw = {"kind": "quantitative", "baseline": 40, "target": 20, "direction": "decrease"}
    assert p.indicator_attainment(**kw, latest_value=45) == 0.0
    assert p.indicator_attainment(**kw, latest_value=10) == 1.0


def test_baseline_equal_to_target():
    kw = {"kind": "quantitative", "baseline": 5, "target": 5}
    assert p.indicator_attainment(**kw, latest_value=5) == 1.0
    assert p.indicator_attainment(**kw, latest_value=4) == 0.0
    assert p.indicator_attainment(**kw, direction="decrease", latest_value=4) == 1.0
    assert p.indicator_attainment(**kw, direction="decrease", latest_value=6) == 0.0


def test_indicator_without_data_is_not_measurable():
    assert p.indicator_attainment(kind="quantitative", baseline=10, target=50) is None
    assert p.indicator_attainment(kind="quantitative", target=50, latest_value=20) is None
    assert p.indicator_attainment(kind="qualitative", baseline=1, target=2, latest_value=2) is None
    assert p.indicator_attainment(kind="yes_no") is None


def test_yes_no_and_survey_and_decimals():
    assert p.indicator_attainment(kind="yes_no", latest_value=Decimal("1.0000")) == 1.0
    assert p.indicator_attainment(kind="yes_no", latest_value=0) == 0.0
    survey = p.indicator_attainment(
        kind="survey", baseline=Decimal("2.5"), target=Decimal("4.5"), latest_value=Decimal("3.0")
    )
    assert survey == 0.25


def test_checklist_share_of_done_items():
    items = [{"text": "a", "done": True}, {"text": "b", "done": False}, "c", {"text": "d"}]
    assert p.indicator_attainment(kind="checklist", checklist=items) == 0.25
    assert p.indicator_attainment(kind="checklist", checklist=[]) is None
    assert p.indicator_attainment(kind="checklist", checklist=None) is None


def test_milestones_and_indicators_count_half_each():
    indicators = [IndicatorFacts(kind="quantitative", baseline=0, target=100, latest_value=100)]
    result = p.initiative_progress(status="active", milestones=[ms(), ms()], indicators=indicators)
    assert result == 0.5


def test_only_indicators():
    indicators = [
        IndicatorFacts(kind="yes_no", latest_value=1, weight=1),
        IndicatorFacts(kind="yes_no", latest_value=0, weight=3),
        IndicatorFacts(kind="qualitative", weight=5),  # not measurable: left out
    ]
    assert p.initiative_progress(status="active", indicators=indicators) == 0.25


def test_nothing_measurable_is_none_and_completed_is_one():
    assert p.initiative_progress(status="active") is None
    assert (
        p.initiative_progress(status="active", indicators=[IndicatorFacts("qualitative")]) is None
    )
    assert p.initiative_progress(status="completed", milestones=[ms()]) == 1.0


# --- schedule and health ------------------------------------------------------------------


def test_expected_progress_is_linear_and_clamped():
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    assert p.expected_progress(start, end, dt.date(2025, 6, 1)) == 0.0
    assert p.expected_progress(start, end, dt.date(2027, 6, 1)) == 1.0
    assert p.expected_progress(start, end, end) == 1.0
    assert p.expected_progress(start, dt.date(2026, 1, 11), dt.date(2026, 1, 6)) == 0.5
    assert p.expected_progress(None, end, TODAY) is None
    assert p.expected_progress(start, None, TODAY) is None
    assert p.expected_progress(end, start, TODAY) is None
    assert p.expected_progress(start, start, start) == 1.0


@pytest.mark.parametrize(
    ("progress", "expected", "health"),
    [
        (0.5, 0.5, "on_track"),
        (0.8, 0.5, "on_track"),  # ahead of schedule
        (0.40, 0.50, "on_track"),  # gap exactly 10 points
        (0.35, 0.45, "on_track"),  # same, despite binary floats
        (0.39, 0.50, "at_risk"),
        (0.25, 0.50, "at_risk"),  # gap exactly 25 points
        (0.24, 0.50, "off_track"),
        (0.0, 0.9, "off_track"),
    ],
)
def test_health_thresholds_at_boundaries(progress, expected, health):
    assert p.health(progress, expected, status="active", today=TODAY) == health


def test_overdue_milestone_makes_on_track_at_risk_but_not_worse():
    assert p.health(0.5, 0.5, status="active", today=TODAY, has_overdue_milestone=True) == "at_risk"
    assert (
        p.health(0.1, 0.5, status="active", today=TODAY, has_overdue_milestone=True) == "off_track"
    )


def test_done_and_past_end_date():
    assert p.health(0.2, 1.0, status="completed", today=TODAY) == "done"
    assert p.health(1.0, 0.3, status="active", today=TODAY) == "done"
    past = dt.date(2026, 6, 30)
    assert p.health(0.95, 1.0, status="active", today=TODAY, end_date=past) == "off_track"
    assert p.health(None, None, status="active", today=TODAY, end_date=past) == "off_track"
    assert p.health(0.95, 1.0, status="active", today=TODAY, end_date=TODAY) == "on_track"


def test_unknown_without_progress_or_when_cancelled_or_paused():
    assert p.health(None, 0.5, status="active", today=TODAY) == "unknown"
    assert p.health(0.5, 0.5, status="cancelled", today=TODAY) == "unknown"
    assert p.health(0.5, 0.5, status="paused", today=TODAY) == "unknown"


def test_a_vorhaben_without_dates_is_never_green():
    assert p.health_with_reason(0.1, None, status="active", today=TODAY) == (
        "unknown",
        "no_schedule",
    )
    assert p.health(0.1, None, status="active", today=TODAY, has_overdue_milestone=True) == (
        "at_risk"
    )


def test_a_planned_vorhaben_that_has_not_begun_is_not_started_not_green():
    later = TODAY + dt.timedelta(days=30)
    assert p.health_with_reason(
        0.0, 0.0, status="planned", today=TODAY, start_date=later, end_date=later
    ) == ("unknown", "not_started")
    assert p.health_with_reason(None, None, status="planned", today=TODAY) == (
        "unknown",
        "not_started",
    )
    # Once it has begun, the schedule decides.
    assert p.health(0.0, 0.0, status="planned", today=TODAY, start_date=TODAY) == "on_track"


def test_the_owners_warning_colours_the_vorhaben_and_both_statuses_are_kept():
    facts = InitiativeFacts(
        status="active",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        milestones=[ms(True), ms()],
        owner_health="at_risk",
        owner_reported_on=dt.date(2026, 6, 20),
        owner_note="Lieferant insolvent",
    )
    result = p.evaluate_initiative(facts, today=TODAY, interval_days=90)
    assert (result.health, result.calculated_health, result.owner_health) == (
        "at_risk",
        "on_track",
        "at_risk",
    )
    assert (result.owner_reported_on, result.owner_note) == (
        dt.date(2026, 6, 20),
        "Lieferant insolvent",
    )


def test_stopped_and_paused_vorhaben_never_show_progress_and_leave_the_rollup():
    done_milestones = [ms(True), ms(True)]
    for status in ("cancelled", "paused"):
        facts = InitiativeFacts(status=status, milestones=done_milestones, owner_health="off_track")
        result = p.evaluate_initiative(facts, today=TODAY, interval_days=90)
        assert (result.progress, result.health, result.left_out) == (None, "unknown", status)
        assert p.rollup_initiatives([(result, 1, status)]).total == 0


# --- staleness ----------------------------------------------------------------------------


def test_stale_after_the_interval():
    last = dt.date(2026, 4, 1)
    assert not p.is_stale(last, last + dt.timedelta(days=90), 90)
    assert p.is_stale(last, last + dt.timedelta(days=91), 90)


def test_never_reported_gets_one_interval_from_the_start():
    start = dt.date(2026, 5, 1)
    assert not p.is_stale(None, start + dt.timedelta(days=90), 90, since=start)
    assert p.is_stale(None, start + dt.timedelta(days=91), 90, since=start)
    assert p.is_stale(None, TODAY, 90)


def test_evaluate_initiative_example():
    facts = InitiativeFacts(
        status="active",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        milestones=[ms(True), ms(due=dt.date(2026, 6, 1)), ms(), ms()],
        last_update=dt.date(2026, 2, 1),
    )
    result = p.evaluate_initiative(facts, today=TODAY, interval_days=90)
    assert result.progress == 0.25
    assert result.expected == pytest.approx(181 / 364)
    assert result.health == "at_risk"  # 25 points behind
    assert result.stale is True  # last report 150 days ago


def test_stale_only_for_running_initiatives():
    base = {"start_date": dt.date(2025, 1, 1), "end_date": dt.date(2027, 1, 1)}
    for status, stale in [
        ("active", True),
        ("paused", True),
        ("planned", True),
        ("completed", False),
        ("cancelled", False),
    ]:
        facts = InitiativeFacts(status=status, **base)
        assert p.evaluate_initiative(facts, today=TODAY, interval_days=90).stale is stale, status
    future = InitiativeFacts(status="planned", start_date=dt.date(2027, 1, 1))
    assert p.evaluate_initiative(future, today=TODAY, interval_days=90).stale is False


# --- roll-up ------------------------------------------------------------------------------


def ip(progress, expected, health, stale=False):
    return InitiativeProgress(progress=progress, expected=expected, health=health, stale=stale)


def test_rollup_weighted_mean_ignores_none_and_zero_weights():
    assert p.rollup([(0.2, 1), (0.8, 3), (None, 5), (0.0, 0)]) == pytest.approx(0.65)
    assert p.rollup([]) is None
    assert p.rollup([(None, 1), (0.5, 0)]) is None


def test_rollup_initiatives_counts_and_skips_cancelled():
    result = p.rollup_initiatives(
        [
            (ip(0.5, 0.5, "on_track"), Decimal(1), "active"),
            (ip(0.1, 0.5, "off_track", stale=True), Decimal(1), "active"),
            (ip(1.0, 0.5, "done"), Decimal(2), "completed"),
            (ip(0.0, 0.5, "unknown"), Decimal(10), "cancelled"),
        ]
    )
    assert result.progress == pytest.approx((0.5 + 0.1 + 2) / 4)
    assert result.expected == 0.5
    assert result.counts == {"on_track": 1, "off_track": 1, "done": 1}
    assert result.stale == 1
    assert result.total == 3
    # Ahead on average, but one Vorhaben is critical: at most "gefährdet".
    assert result.health == "at_risk"


def test_rollup_health_done_unknown_and_fallback():
    assert p.rollup_health([]) == "unknown"
    assert p.rollup_health([(ip(None, None, "unknown"), 1)]) == "unknown"
    assert p.rollup_health([(ip(1.0, 1.0, "done"), 1), (ip(None, None, "unknown"), 1)]) == "done"
    # No schedule anywhere: the worst child decides.
    assert p.rollup_health([(ip(0.2, None, "on_track"), 1), (ip(0.2, None, "at_risk"), 1)]) == (
        "at_risk"
    )
    assert p.rollup_health([(ip(0.2, 0.6, "off_track"), 1), (ip(0.6, 0.6, "on_track"), 1)]) == (
        "at_risk"
    )


def test_health_constants_match_model_choices():
    from leitwerk.core.status import Health
    from leitwerk.plans.models import Direction, IndicatorKind, InitiativeStatus

    assert {p.ON_TRACK, p.AT_RISK, p.OFF_TRACK, p.DONE, p.STALE, p.UNKNOWN} == set(Health.values)
    assert {
        p.STATUS_PLANNED,
        p.STATUS_ACTIVE,
        p.STATUS_PAUSED,
        p.STATUS_COMPLETED,
        p.STATUS_CANCELLED,
    } == set(InitiativeStatus.values)
    assert {
        p.KIND_QUANTITATIVE,
        p.KIND_YES_NO,
        p.KIND_CHECKLIST,
        p.KIND_SURVEY,
        p.KIND_QUALITATIVE,
    } == set(IndicatorKind.values)
    assert p.DECREASE in Direction.values


def test_every_reason_of_the_rules_has_a_german_label():
    from leitwerk.core.status import HEALTH_REASONS

    reasons = {value for name, value in vars(p).items() if name.startswith("REASON_")}
    assert reasons == set(HEALTH_REASONS)


def test_worked_example_from_rollup_md():
    d = dt.date
    reached = MilestoneFacts(weight=1, due_date=d(2026, 3, 1), done_on=d(2026, 3, 1))
    facts = {
        "A1": InitiativeFacts(
            status="active",
            start_date=d(2026, 1, 1),
            end_date=d(2026, 12, 31),
            milestones=[reached, reached, ms(due=d(2026, 9, 30)), ms(due=d(2026, 12, 15))],
            indicators=[IndicatorFacts("quantitative", baseline=10, target=50, latest_value=30)],
            last_update=d(2026, 6, 15),
        ),
        "A2": InitiativeFacts(
            status="active",
            start_date=d(2026, 1, 1),
            end_date=d(2027, 12, 31),
            milestones=[ms(due=d(2026, 5, 31)), ms(due=d(2027, 3, 31)), ms(weight=2)],
            indicators=[
                IndicatorFacts(
                    "quantitative", baseline=40, target=20, direction="decrease", latest_value=35
                )
            ],
            last_update=d(2026, 3, 1),
        ),
        "B1": InitiativeFacts(
            status="completed", start_date=d(2025, 1, 1), end_date=d(2026, 6, 30)
        ),
        "B2": InitiativeFacts(
            status="active",
            start_date=d(2025, 7, 1),
            end_date=d(2026, 6, 30),
            milestones=[reached] * 4 + [ms(due=d(2026, 6, 30))],
            last_update=d(2026, 6, 20),
        ),
        "B3": InitiativeFacts(
            status="cancelled", start_date=d(2025, 1, 1), end_date=d(2027, 6, 30)
        ),
    }
    weights = {"A1": 2, "A2": 1, "B1": 1, "B2": 1, "B3": 3}
    today = d(2026, 7, 2)
    ev = {k: p.evaluate_initiative(f, today=today, interval_days=90) for k, f in facts.items()}

    assert (ev["A1"].progress, ev["A1"].expected, ev["A1"].health) == (0.5, 0.5, "on_track")
    assert (ev["A2"].progress, ev["A2"].health, ev["A2"].stale) == (0.125, "at_risk", True)
    assert ev["A2"].expected == pytest.approx(182 / 729)
    assert (ev["B1"].health, ev["B2"].health, ev["B3"].health) == ("done", "off_track", "unknown")

    def agg(keys):
        return p.rollup_initiatives([(ev[k], weights[k], facts[k].status) for k in keys])

    field_a, field_b, plan = agg(["A1", "A2"]), agg(["B1", "B2", "B3"]), agg(list(facts))
    assert (field_a.progress, field_a.health, field_a.stale) == (0.375, "on_track", 1)
    assert field_a.expected == pytest.approx(0.4166, abs=1e-4)
    assert (field_b.progress, field_b.expected, field_b.health) == (0.9, 1.0, "at_risk")
    assert (plan.progress, plan.health, plan.stale, plan.total) == (0.585, "at_risk", 1, 4)
    assert plan.expected == pytest.approx(0.65, abs=1e-3)
    assert plan.counts == {"on_track": 1, "at_risk": 1, "off_track": 1, "done": 1}


# --- displayed health: the worse of calculated and the owner's assessment --------------------


@pytest.mark.parametrize(
    ("calculated", "owner", "shown"),
    [
        ("on_track", None, "on_track"),
        ("on_track", "at_risk", "at_risk"),
        ("on_track", "off_track", "off_track"),
        ("at_risk", "on_track", "at_risk"),
        ("off_track", "at_risk", "off_track"),
        ("at_risk", "off_track", "off_track"),
        ("on_track", "done", "on_track"),
        ("at_risk", "done", "at_risk"),
    ],
)
def test_the_shown_ampel_is_the_worse_of_calculation_and_owner(calculated, owner, shown):
    assert p.displayed_health(calculated, owner) == shown


def test_an_owner_warning_shows_even_without_calculated_data():
    assert p.displayed_health("unknown", "at_risk") == "at_risk"
    assert p.displayed_health("unknown", "off_track") == "off_track"


def test_an_owner_saying_im_plan_does_not_turn_a_vorhaben_without_data_green():
    assert p.displayed_health("unknown", "on_track") == "unknown"
    assert p.displayed_health("unknown", "done") == "unknown"


def test_finished_work_stays_done_whatever_an_earlier_report_said():
    assert p.displayed_health("done", "off_track") == "done"
    assert p.displayed_health("done", None) == "done"
