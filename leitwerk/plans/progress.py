"""Progress and health rules of Vorhaben, plans and goals, as pure functions.

Nothing here touches the database: callers (see selectors.py) load plain values and pass them
in, so the rules can be read, tested and explained on their own. docs/ROLLUP.md states the same
rules in plain words; change both together.

All progress values are floats in [0, 1] or None. None always means "nothing measurable
yet" and is never silently treated as 0: a Vorhaben without data must not drag a plan down,
and must not look finished either.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

Number = Decimal | float | int

# Values of core.status.Health. Repeated here so this module stays importable without
# Django; a test keeps the two in step.
ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
DONE = "done"
STALE = "stale"
UNKNOWN = "unknown"

# Gap = expected progress − actual progress, in shares of 1 (0.10 = 10 percentage points).
ON_TRACK_MAX_GAP = Decimal("0.10")
AT_RISK_MAX_GAP = Decimal("0.25")

# Values of plans.models.InitiativeStatus / IndicatorKind / Direction.
STATUS_PLANNED = "planned"
STATUS_ACTIVE = "active"
STATUS_PAUSED = "paused"
STATUS_COMPLETED = "completed"
STATUS_CANCELLED = "cancelled"

KIND_QUANTITATIVE = "quantitative"
KIND_YES_NO = "yes_no"
KIND_CHECKLIST = "checklist"
KIND_SURVEY = "survey"
KIND_QUALITATIVE = "qualitative"

DECREASE = "decrease"

# Statuses that take a Vorhaben out of the roll-up: stopped for good, or postponed.
LEFT_OUT_STATUSES = (STATUS_PAUSED, STATUS_CANCELLED)

# Why the calculated health is what it is (shown next to it; labels in core.status).
REASON_CANCELLED = "cancelled"
REASON_PAUSED = "paused"
REASON_DONE = "done"
REASON_END_PASSED = "end_passed"
REASON_NOT_STARTED = "not_started"
REASON_NO_DATA = "no_data"
REASON_NO_SCHEDULE = "no_schedule"
REASON_OVERDUE_MILESTONE = "overdue_milestone"
REASON_ON_SCHEDULE = "on_schedule"
REASON_BEHIND_SCHEDULE = "behind_schedule"

_HEALTH_SEVERITY = {ON_TRACK: 0, AT_RISK: 1, OFF_TRACK: 2}


@dataclass(frozen=True)
class InitiativeProgress:
    progress: float | None  # 0.0–1.0, None when nothing measurable exists yet
    expected: float | None  # expected progress at `today` from the Vorhaben's schedule
    health: str  # core.status.Health value: the displayed Ampel (see displayed_health)
    stale: bool  # no status report within the plan's reporting interval
    # The two statuses behind `health`: the rule's result and the latest assessment of the
    # person responsible (None when nobody reported yet), with its date and explanation.
    calculated_health: str | None = None  # None only for hand-made values: same as health
    owner_health: str | None = None
    owner_reported_on: dt.date | None = None
    owner_note: str = ""
    # Why the calculated health is what it is (a REASON_* value), for "both with their reason".
    reason: str = ""
    # The Vorhaben's status when it leaves the roll-up (paused / cancelled), else "".
    left_out: str = ""

    @property
    def calculated(self) -> str:
        return self.calculated_health or self.health


@dataclass(frozen=True)
class MilestoneFacts:
    weight: Number
    due_date: dt.date | None = None
    done_on: dt.date | None = None


@dataclass(frozen=True)
class IndicatorFacts:
    kind: str
    weight: Number = 1
    baseline: Number | None = None
    target: Number | None = None
    direction: str = "increase"
    latest_value: Number | None = None
    checklist: Any = None


@dataclass(frozen=True)
class InitiativeFacts:
    """Everything the rules need to know about one Vorhaben."""

    status: str
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    milestones: Sequence[MilestoneFacts] = ()
    indicators: Sequence[IndicatorFacts] = ()
    last_update: dt.date | None = None
    # The latest status report up to `today`: the assessment of the person responsible.
    owner_health: str | None = None
    owner_reported_on: dt.date | None = None
    owner_note: str = ""


@dataclass(frozen=True)
class Rollup:
    """Aggregate of several Vorhaben (action field, plan, goal)."""

    progress: float | None
    expected: float | None
    health: str
    counts: Mapping[str, int] = field(default_factory=dict)  # Vorhaben per health value
    stale: int = 0  # Vorhaben without a current status report
    total: int = 0  # Vorhaben considered (cancelled ones are left out)


def _fraction(value: Number) -> Fraction:
    # Fraction is exact for Decimal and float, which makes the weighted mean independent of
    # the order of the children and avoids drifting out of [min, max] by rounding.
    return Fraction(value)


def _clamp01(value: Fraction) -> float:
    return float(min(Fraction(1), max(Fraction(0), value)))


def rollup(items: Iterable[tuple[Number | None, Number]]) -> float | None:
    """Weighted mean of (value, weight) pairs.

    Pairs whose value is None (nothing measurable) or whose weight is not positive are left
    out. Returns None when nothing is left.
    """
    # Exact like Fraction arithmetic (order-independent, never outside [min, max]), but in
    # integers over a common denominator: adding Fractions of floats one by one reduces
    # by a gcd at every step, which made roll-ups of large plans slow.
    weights: list[tuple[int, int]] = []
    products: list[tuple[int, int]] = []
    for value, weight in items:
        if value is None or weight is None:
            continue
        wn, wd = _ratio(weight)
        if wn <= 0:
            continue
        vn, vd = _ratio(value)
        weights.append((wn, wd))
        products.append((vn * wn, vd * wd))
    if not weights:
        return None
    total_weight, weight_denominator = _sum_ratios(weights)
    total, denominator = _sum_ratios(products)
    return float(Fraction(total * weight_denominator, denominator * total_weight))


def _ratio(value: Number) -> tuple[int, int]:
    """(numerator, positive denominator) of an int, float, Decimal or Fraction, exactly."""
    if isinstance(value, int):
        return int(value), 1
    return value.as_integer_ratio()


def _sum_ratios(ratios: list[tuple[int, int]]) -> tuple[int, int]:
    common = 1
    for _n, d in ratios:
        common = math.lcm(common, d)
    return sum(n * (common // d) for n, d in ratios), common


def indicator_attainment(
    *,
    kind: str,
    baseline: Number | None = None,
    target: Number | None = None,
    direction: str = "increase",
    latest_value: Number | None = None,
    checklist: Any = None,
) -> float | None:
    """How far an indicator has come from its baseline to its target, as a share in [0, 1].

    quantitative, survey: linear from baseline (0) to target (1), clamped; the line runs
        from baseline to target, so a decreasing indicator (target below baseline) works
        without special-casing. `direction` only decides the case baseline == target
        (reached when the value is at or beyond the target in the good direction).
        None while baseline, target or a measurement is missing.
    yes_no: 1 when the latest value is ≥ 1 ("ja"), else 0; None without measurement.
    checklist: share of items that are done; None for an empty checklist.
    qualitative: None (not measurable yet).
    """
    if kind == KIND_CHECKLIST:
        return _checklist_share(checklist)
    if kind == KIND_YES_NO:
        if latest_value is None:
            return None
        return 1.0 if _fraction(latest_value) >= 1 else 0.0
    if kind in (KIND_QUANTITATIVE, KIND_SURVEY):
        if baseline is None or target is None or latest_value is None:
            return None
        b, t, v = _fraction(baseline), _fraction(target), _fraction(latest_value)
        if b == t:
            reached = v <= t if direction == DECREASE else v >= t
            return 1.0 if reached else 0.0
        return _clamp01((v - b) / (t - b))
    return None


def _checklist_share(checklist: Any) -> float | None:
    # Items are {"text": ..., "done": bool}; a bare string is an item not yet ticked off.
    if not isinstance(checklist, list) or not checklist:
        return None
    done = sum(1 for item in checklist if isinstance(item, Mapping) and bool(item.get("done")))
    return done / len(checklist)


def milestone_done(milestone: MilestoneFacts, today: dt.date | None = None) -> bool:
    # A milestone reached after `today` did not count yet at `today` (reports at a past date).
    return milestone.done_on is not None and (today is None or milestone.done_on <= today)


def milestone_progress(
    milestones: Iterable[MilestoneFacts], today: dt.date | None = None
) -> float | None:
    """Weighted share of milestones reached; None without (positively weighted) milestones."""
    return rollup((1 if milestone_done(m, today) else 0, m.weight) for m in milestones)


def has_overdue_milestone(milestones: Iterable[MilestoneFacts], today: dt.date) -> bool:
    return any(
        m.due_date is not None and m.due_date < today and not milestone_done(m, today)
        for m in milestones
    )


def indicator_progress(indicators: Iterable[IndicatorFacts]) -> float | None:
    """Weighted mean attainment of the measurable indicators."""
    return rollup(
        (
            indicator_attainment(
                kind=i.kind,
                baseline=i.baseline,
                target=i.target,
                direction=i.direction,
                latest_value=i.latest_value,
                checklist=i.checklist,
            ),
            i.weight,
        )
        for i in indicators
    )


def initiative_progress(
    *,
    status: str,
    milestones: Iterable[MilestoneFacts] = (),
    indicators: Iterable[IndicatorFacts] = (),
    today: dt.date | None = None,
) -> float | None:
    """Progress of a Vorhaben.

    Completed → 1. Otherwise the milestone part and the indicator part count half each when
    both exist ("doing the work" and "having the effect" matter equally), the existing one
    alone otherwise, and None when neither exists.
    """
    if status == STATUS_COMPLETED:
        return 1.0
    parts = [milestone_progress(milestones, today), indicator_progress(indicators)]
    return rollup((p, 1) for p in parts)


def expected_progress(start: dt.date | None, end: dt.date | None, today: dt.date) -> float | None:
    """Share of the schedule elapsed at `today`: 0 before start, 1 from the end date on.

    None when start or end date is missing, or when the end lies before the start.
    """
    if start is None or end is None or end < start:
        return None
    if today >= end:
        return 1.0
    if today <= start:
        return 0.0
    return _clamp01(Fraction((today - start).days, (end - start).days))


def _gap_health(progress: float, expected: float) -> str:
    # Rounded so that e.g. 0.45 − 0.35 counts as exactly ten points, as a person would read it.
    gap = round(Decimal(expected) - Decimal(progress), 6)
    if gap <= ON_TRACK_MAX_GAP:
        return ON_TRACK
    if gap <= AT_RISK_MAX_GAP:
        return AT_RISK
    return OFF_TRACK


def health(
    progress: float | None,
    expected: float | None,
    *,
    status: str,
    has_overdue_milestone: bool = False,
    today: dt.date,
    end_date: dt.date | None = None,
    start_date: dt.date | None = None,
) -> str:
    """Health of a Vorhaben; see `health_with_reason` for the rules."""
    return health_with_reason(
        progress,
        expected,
        status=status,
        has_overdue_milestone=has_overdue_milestone,
        today=today,
        end_date=end_date,
        start_date=start_date,
    )[0]


def health_with_reason(
    progress: float | None,
    expected: float | None,
    *,
    status: str,
    has_overdue_milestone: bool = False,
    today: dt.date,
    end_date: dt.date | None = None,
    start_date: dt.date | None = None,
) -> tuple[str, str]:
    """Health of a Vorhaben and why (a REASON_* value), in this order of rules:

    1. cancelled or paused → unknown (it is not steered now; it leaves the roll-up).
    2. completed, or progress 1 → done.
    3. end date passed and not done → off_track.
    4. planned, not started yet (no start date or one still ahead) and nothing achieved →
       unknown ("noch nicht begonnen"), never on_track.
    5. no progress → unknown ("noch keine Daten").
    6. no schedule (expected None) → unknown, or at_risk with an overdue milestone: without
       dates nothing says whether the Vorhaben is on schedule, so it is never green.
    7. gap = expected − progress: ≤ 0.10 on_track, ≤ 0.25 at_risk, else off_track;
       an overdue milestone makes on_track at most at_risk.
    """
    if status == STATUS_CANCELLED:
        return UNKNOWN, REASON_CANCELLED
    if status == STATUS_PAUSED:
        return UNKNOWN, REASON_PAUSED
    if status == STATUS_COMPLETED or (progress is not None and progress >= 1):
        return DONE, REASON_DONE
    if end_date is not None and today > end_date:
        return OFF_TRACK, REASON_END_PASSED
    not_begun = start_date is None or start_date > today
    if status == STATUS_PLANNED and not_begun and not progress:
        return UNKNOWN, REASON_NOT_STARTED
    if progress is None:
        return UNKNOWN, REASON_NO_DATA
    if expected is None:
        if has_overdue_milestone:
            return AT_RISK, REASON_OVERDUE_MILESTONE
        return UNKNOWN, REASON_NO_SCHEDULE
    result = _gap_health(progress, expected)
    if has_overdue_milestone and result == ON_TRACK:
        return AT_RISK, REASON_OVERDUE_MILESTONE
    return result, REASON_ON_SCHEDULE if result == ON_TRACK else REASON_BEHIND_SCHEDULE


def displayed_health(calculated: str, owner: str | None) -> str:
    """The Ampel to show: the worse of the calculated health and the owner's assessment.

    `calculated` is the result of `health` (or `rollup_health`); `owner` the health of the
    latest status report of the person responsible, or None when there is none.

    - no assessment → the calculated health;
    - calculated `done` stays `done` (finished work is not put at risk by an earlier report);
    - an owner's "im Plan" or "erledigt" never hides a calculated warning, and a calculated
      "im Plan" never hides the owner's "gefährdet" or "kritisch": the worse one wins
      (kritisch > gefährdet > im Plan);
    - without data (`unknown`) only a warning of the owner shows; an owner's "im Plan" does
      not turn a Vorhaben without dates or measurements green.
    """
    if owner is None or calculated == DONE:
        return calculated
    owner_severity = _HEALTH_SEVERITY.get(owner)
    if owner_severity is None:  # the owner reported "erledigt" (or a derived value)
        return calculated
    calculated_severity = _HEALTH_SEVERITY.get(calculated)
    if calculated_severity is None:  # unknown / stale: nothing calculated to compare with
        return owner if owner_severity > 0 else calculated
    return owner if owner_severity > calculated_severity else calculated


def is_stale(
    last_update: dt.date | None,
    today: dt.date,
    interval_days: int,
    *,
    since: dt.date | None = None,
) -> bool:
    """True when no update arrived within the last `interval_days` days.

    Without any update, the clock runs from `since` (the start of the Vorhaben), so a new
    Vorhaben gets one full interval before its first report is missing; without either date
    the report is missing.
    """
    reference = last_update if last_update is not None else since
    if reference is None:
        return True
    return (today - reference).days > interval_days


def needs_reporting(status: str, start_date: dt.date | None, today: dt.date) -> bool:
    """Whether a Vorhaben owes regular status reports at `today`."""
    if status in (STATUS_ACTIVE, STATUS_PAUSED):
        return True
    if status == STATUS_PLANNED:
        # A planned Vorhaben whose start date passed should be running and reporting.
        return start_date is not None and start_date <= today
    return False


def evaluate_initiative(
    facts: InitiativeFacts, *, today: dt.date, interval_days: int
) -> InitiativeProgress:
    """Progress, expected progress, health and staleness of one Vorhaben at `today`."""
    progress = initiative_progress(
        status=facts.status, milestones=facts.milestones, indicators=facts.indicators, today=today
    )
    expected = expected_progress(facts.start_date, facts.end_date, today)
    state, reason = health_with_reason(
        progress,
        expected,
        status=facts.status,
        has_overdue_milestone=has_overdue_milestone(facts.milestones, today),
        today=today,
        end_date=facts.end_date,
        start_date=facts.start_date,
    )
    stale = (
        state != DONE
        and needs_reporting(facts.status, facts.start_date, today)
        and is_stale(facts.last_update, today, interval_days, since=facts.start_date)
    )
    left_out = facts.status if facts.status in LEFT_OUT_STATUSES else ""
    # A stopped or postponed Vorhaben is not assessed any more: an older report does not
    # colour it, and it never shows "100 % erreicht".
    shown = state if left_out else displayed_health(state, facts.owner_health)
    return InitiativeProgress(
        progress=None if left_out else progress,
        expected=None if left_out else expected,
        health=shown,
        stale=stale,
        calculated_health=state,
        owner_health=facts.owner_health,
        owner_reported_on=facts.owner_reported_on,
        owner_note=facts.owner_note,
        reason=reason,
        left_out=left_out,
    )


def rollup_health(children: Sequence[tuple[InitiativeProgress, Number]]) -> str:
    """Health of an aggregate from its (InitiativeProgress, weight) children.

    - nothing known about any child → unknown; every child done → done.
    - otherwise compare weighted progress with weighted expected progress over the children
      that have both, using the same gap thresholds as a single Vorhaben;
    - an off_track child makes an on_track aggregate at_risk, so a critical Vorhaben never
      disappears in the average;
    - when no child has both values, the worst child health counts (unknown when no
      child is im Plan, gefährdet or kritisch).
    """
    known = [(c, w) for c, w in children if c.health != UNKNOWN]
    if not known:
        return UNKNOWN
    # Done only when nothing is still under way: a Vorhaben with progress but no schedule
    # (health unknown) is not finished.
    unfinished = any(
        c.health == UNKNOWN and c.progress is not None and c.progress < 1 for c, _ in children
    )
    if all(c.health == DONE for c, _ in known) and not unfinished:
        return DONE
    comparable = [(c, w) for c, w in children if c.progress is not None and c.expected is not None]
    progress = rollup((c.progress, w) for c, w in comparable)
    expected = rollup((c.expected, w) for c, w in comparable)
    worst = max(
        (c.health for c, _ in known if c.health in _HEALTH_SEVERITY),
        key=_HEALTH_SEVERITY.__getitem__,
        default=UNKNOWN,  # only done and unscheduled Vorhaben: nothing says "im Plan"
    )
    if progress is None or expected is None:
        return worst
    result = _gap_health(progress, expected)
    if worst == OFF_TRACK and result == ON_TRACK:
        result = AT_RISK
    return result


def rollup_initiatives(children: Sequence[tuple[InitiativeProgress, Number, str]]) -> Rollup:
    """Aggregate (InitiativeProgress, weight, status) of Vorhaben into one Rollup.

    Cancelled and paused Vorhaben are left out entirely: they do not progress now, and
    counting them as 0 would punish a plan for deciding to stop or postpone something.
    """
    kept = [(c, w) for c, w, status in children if status not in LEFT_OUT_STATUSES]
    counts: dict[str, int] = {}
    for c, _ in kept:
        counts[c.health] = counts.get(c.health, 0) + 1
    comparable = [(c, w) for c, w in kept if c.progress is not None and c.expected is not None]
    return Rollup(
        progress=rollup((c.progress, w) for c, w in kept),
        expected=rollup((c.expected, w) for c, w in comparable),
        health=rollup_health(kept),
        counts=counts,
        stale=sum(1 for c, _ in kept if c.stale),
        total=len(kept),
    )


def combine_parts(first: float | None, second: float | None) -> float | None:
    """Equal-weight mean of two optional parts (e.g. Vorhaben and own indicators of a goal)."""
    return rollup([(first, 1), (second, 1)])


def next_report_due(
    last_update: dt.date | None, interval_days: int, *, since: dt.date | None = None
) -> dt.date | None:
    """The reporting date: the last day before the Vorhaben turns stale (see `is_stale`).

    One interval after the last update, or after the start when nothing was reported yet;
    None without either date (then the report is due right away).
    """
    reference = last_update if last_update is not None else since
    if reference is None:
        return None
    return reference + dt.timedelta(days=interval_days)
