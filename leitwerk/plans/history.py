"""The past as a council reads it: progress, Ampel and values of Vorhaben, plans and goals.

Pure computation from what was stored: the history rows of Vorhaben, milestones and indicators
(django-simple-history) and of measurements, and the status reports written by then. Nothing is
snapshotted; the same rules as today (progress.py) run on the rows as they were at the end of
that day. A measurement entered later for an earlier date did not count at that day: the
council could not have known it.

Every function issues a fixed number of queries, however many Vorhaben there are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from leitwerk.municipalities.models import Body
from leitwerk.plans import progress as rules
from leitwerk.plans.models import (
    ActionField,
    ActionPlan,
    Indicator,
    IndicatorKind,
    Initiative,
    InitiativeStatus,
    Measurement,
    Milestone,
    StatusReport,
)
from leitwerk.plans.progress import InitiativeProgress, Rollup


def _indicator_facts(row: Any, value: Any) -> rules.IndicatorFacts:
    """The progress rules' facts of an indicator as stored that day, with its value then."""
    return rules.IndicatorFacts(
        kind=row.kind,
        weight=row.weight,
        baseline=row.baseline,
        target=row.target,
        direction=row.direction,
        latest_value=value,
        checklist=row.checklist,
    )


def end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


@dataclass(frozen=True)
class IndicatorThen:
    pk: int
    title: str
    kind: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    value: Decimal | None  # latest value stored by then, measured on or before the day
    measured_on: dt.date | None
    attainment: float | None
    measurement_ids: frozenset[int]  # every measurement stored by then (for comparisons)

    @property
    def kind_label(self) -> str:
        return str(IndicatorKind(self.kind).label) if self.kind in IndicatorKind.values else ""


@dataclass(frozen=True)
class MilestoneThen:
    pk: int
    title: str
    due_date: dt.date | None
    done_on: dt.date | None  # None when not reached by then
    overdue: bool


@dataclass(frozen=True)
class InitiativeThen:
    """One Vorhaben at the end of a day: its stored fields and the rules' results."""

    pk: int
    number: str
    title: str
    status: str
    start_date: dt.date | None
    end_date: dt.date | None
    weight: Decimal
    order: int
    action_field_id: int
    objective: str
    progress: InitiativeProgress  # calculated: progress, expected, health, stale
    owner_health: str | None  # assessment of the latest status report written by then
    owner_reported_on: dt.date | None
    owner_text: str
    displayed_health: str  # the worse of the calculated health and the owner's assessment
    milestones: tuple[MilestoneThen, ...]
    indicators: tuple[IndicatorThen, ...]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def status_label(self) -> str:
        return str(InitiativeStatus(self.status).label)


@dataclass(frozen=True)
class FieldThen:
    pk: int
    code: str
    title: str
    rollup: Rollup
    initiatives: tuple[InitiativeThen, ...]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


@dataclass(frozen=True)
class PlanThen:
    day: dt.date
    title: str
    status: str
    status_label: str
    period_start: dt.date | None
    period_end: dt.date | None
    rollup: Rollup
    fields: tuple[FieldThen, ...]

    @property
    def initiatives(self) -> list[InitiativeThen]:
        return [i for f in self.fields for i in f.initiatives]


@dataclass(frozen=True)
class GoalThen:
    day: dt.date
    progress: float | None  # Vorhaben part and own-indicator part, half each
    health: str
    rollup: Rollup  # the Vorhaben serving the goal
    initiatives: tuple[InitiativeThen, ...]
    indicators: tuple[IndicatorThen, ...]  # the goal's own indicators


def _indicators_then(
    rows: list[Any], *, municipality: Any, day: dt.date, moment: dt.datetime
) -> dict[int, IndicatorThen]:
    """Historical indicator rows → IndicatorThen with the value known at the end of `day`."""
    ids = [row.id for row in rows]
    values: dict[int, list[Any]] = defaultdict(list)
    if ids:
        for m in Measurement.history.as_of(moment).filter(
            indicator_id__in=ids, municipality=municipality, measured_on__lte=day
        ):
            values[m.indicator_id].append(m)
    result = {}
    for row in rows:
        stored = sorted(values.get(row.id, []), key=lambda m: (m.measured_on, m.id))
        latest = stored[-1] if stored else None
        value = latest.value if latest is not None else None
        result[row.id] = IndicatorThen(
            pk=row.id,
            title=row.title,
            kind=row.kind,
            unit=row.unit,
            baseline=row.baseline,
            target=row.target,
            value=value,
            measured_on=latest.measured_on if latest is not None else None,
            attainment=rules.indicator_attainment(
                kind=row.kind,
                baseline=row.baseline,
                target=row.target,
                direction=row.direction,
                latest_value=value,
                checklist=row.checklist,
            ),
            measurement_ids=frozenset(m.id for m in stored),
        )
    return result


def _initiative_rows_then(
    municipality: Any,
    moment: dt.datetime,
    initiative_ids: Iterable[int] | None,
    action_field_ids: Iterable[int] | None,
) -> list[Any]:
    rows = Initiative.history.as_of(moment).filter(municipality=municipality)
    if initiative_ids is not None:
        rows = rows.filter(id__in=list(initiative_ids))
    if action_field_ids is not None:
        rows = rows.filter(action_field_id__in=list(action_field_ids))
    return list(rows)


def _by_initiative(rows: Iterable[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.initiative_id].append(row)
    return grouped


def _latest_reports_then(
    *, municipality: Any, ids: list[int], day: dt.date, moment: dt.datetime
) -> dict[int, Any]:
    """Each Vorhaben's newest status report for `day` that was written by `moment`."""
    reports: dict[int, Any] = {}
    for written in (
        StatusReport.objects.filter(
            municipality=municipality,
            initiative_id__in=ids,
            reported_on__lte=day,
            created_at__lte=moment,
        )
        .order_by("initiative_id", "-reported_on", "-id")
        .only("initiative_id", "reported_on", "health", "text")
    ):
        reports.setdefault(written.initiative_id, written)
    return reports


def _milestone_then(m: Any, day: dt.date) -> MilestoneThen:
    """A historical milestone row as it stood at the end of `day`."""
    done = m.done_on is not None and m.done_on <= day
    return MilestoneThen(
        pk=m.id,
        title=m.title,
        due_date=m.due_date,
        done_on=m.done_on if done else None,
        overdue=m.due_date is not None and m.due_date < day and not done,
    )


def initiatives_then(
    *,
    municipality: Any,
    day: dt.date,
    initiative_ids: Iterable[int] | None = None,
    action_field_ids: Iterable[int] | None = None,
) -> dict[int, InitiativeThen]:
    """The Vorhaben (by id or by action field) as they were at the end of `day`, keyed by id.

    Vorhaben that did not exist then (or were deleted by then) are missing from the result.
    Six queries, whatever the number of Vorhaben.
    """
    moment = end_of_day(day)
    rows = _initiative_rows_then(municipality, moment, initiative_ids, action_field_ids)
    if not rows:
        return {}
    ids = [row.id for row in rows]
    intervals = dict(
        ActionField.objects.filter(
            municipality=municipality, pk__in={row.action_field_id for row in rows}
        ).values_list("pk", "plan__reporting_interval_days")
    )

    milestones = _by_initiative(
        Milestone.history.as_of(moment).filter(initiative_id__in=ids, municipality=municipality)
    )
    all_indicators = list(
        Indicator.history.as_of(moment).filter(initiative_id__in=ids, municipality=municipality)
    )
    indicator_rows = _by_initiative(all_indicators)
    indicators = _indicators_then(all_indicators, municipality=municipality, day=day, moment=moment)

    reports = _latest_reports_then(municipality=municipality, ids=ids, day=day, moment=moment)

    result: dict[int, InitiativeThen] = {}
    for row in rows:
        own_milestones = sorted(
            milestones.get(row.id, []), key=lambda m: (m.order, m.due_date or dt.date.max, m.id)
        )
        milestone_facts = [
            rules.MilestoneFacts(weight=m.weight, due_date=m.due_date, done_on=m.done_on)
            for m in own_milestones
        ]
        own_indicators = sorted(indicator_rows.get(row.id, []), key=lambda i: (i.order, i.id))
        indicator_facts = [_indicator_facts(i, indicators[i.id].value) for i in own_indicators]
        report = reports.get(row.id)
        last_report = report.reported_on if report is not None else None
        facts = rules.InitiativeFacts(
            status=row.status,
            start_date=row.start_date,
            end_date=row.end_date,
            milestones=milestone_facts,
            indicators=indicator_facts,
            last_update=_last_update(row.last_report_at, last_report, day),
        )
        calculated = rules.evaluate_initiative(
            facts, today=day, interval_days=intervals.get(row.action_field_id) or 90
        )
        owner = report.health if report is not None else None
        result[row.id] = InitiativeThen(
            pk=row.id,
            number=row.number,
            title=row.title,
            status=row.status,
            start_date=row.start_date,
            end_date=row.end_date,
            weight=row.weight,
            order=row.order,
            action_field_id=row.action_field_id,
            objective=row.objective,
            progress=calculated,
            owner_health=owner,
            owner_reported_on=last_report,
            owner_text=report.text if report is not None else "",
            displayed_health=rules.displayed_health(calculated.health, owner),
            milestones=tuple(_milestone_then(m, day) for m in own_milestones),
            indicators=tuple(indicators[i.id] for i in own_indicators),
        )
    return result


def _last_update(
    last_report_at: dt.datetime | None, last_status: dt.date | None, day: dt.date
) -> dt.date | None:
    candidates = [last_status] if last_status is not None else []
    if last_report_at is not None:
        local = (
            timezone.localtime(last_report_at)
            if timezone.is_aware(last_report_at)
            else (last_report_at)
        )
        if local.date() <= day:
            candidates.append(local.date())
    return max(candidates, default=None)


def _rollup(items: Iterable[InitiativeThen]) -> Rollup:
    return rules.rollup_initiatives([(i.progress, i.weight, i.status) for i in items])


def plan_then(*, plan: ActionPlan, day: dt.date) -> PlanThen | None:
    """The plan with its action fields and Vorhaben at the end of `day`; None before it existed.

    Action fields come from their history, so a field renamed or deleted since shows with the
    title it had then; fields without any history (rows written before the history was kept)
    show as they are now, if they existed on that day.
    """
    moment = end_of_day(day)
    municipality = plan.municipality_id
    try:
        state = plan.history.as_of(moment)
    except ActionPlan.DoesNotExist:
        return None
    fields: dict[int, Any] = {
        f.id: f
        for f in ActionField.history.as_of(moment).filter(
            plan_id=plan.pk, municipality=municipality
        )
    }
    without_history = ActionField.objects.filter(
        municipality=municipality, plan=plan, created_at__lte=moment
    ).exclude(pk__in=ActionField.history.filter(plan_id=plan.pk).values("id"))
    for field in without_history:
        fields.setdefault(field.pk, field)
    initiatives = initiatives_then(
        municipality=municipality, day=day, action_field_ids=list(fields)
    )
    by_field: dict[int, list[InitiativeThen]] = defaultdict(list)
    for then in sorted(initiatives.values(), key=lambda i: (i.order, i.number, i.pk)):
        by_field[then.action_field_id].append(then)
    field_rows = tuple(
        FieldThen(
            pk=pk,
            code=field.code,
            title=field.title,
            rollup=_rollup(by_field.get(pk, [])),
            initiatives=tuple(by_field.get(pk, [])),
        )
        for pk, field in sorted(fields.items(), key=lambda kv: (kv[1].order, kv[1].code))
    )
    return PlanThen(
        day=day,
        title=state.title,
        status=state.status,
        status_label=state.get_status_display(),
        period_start=state.period_start,
        period_end=state.period_end,
        rollup=_rollup(initiatives.values()),
        fields=field_rows,
    )


def goal_then(*, goal: Any, day: dt.date) -> GoalThen:
    """A goal at the end of `day`: the Vorhaben serving it and its own indicators as they were.

    Which Vorhaben serve a goal is read as it is now (the link itself has no history); each of
    them counts with its state of that day, and one that did not exist yet does not count.
    """
    moment = end_of_day(day)
    municipality = goal.municipality_id
    linked = list(
        Initiative.goals.through.objects.filter(goal_id=goal.pk).values_list(
            "initiative_id", flat=True
        )
    )
    initiatives = initiatives_then(municipality=municipality, day=day, initiative_ids=linked)
    own_rows = sorted(
        Indicator.history.as_of(moment).filter(goal_id=goal.pk, municipality=municipality),
        key=lambda i: (i.order, i.id),
    )
    own = _indicators_then(own_rows, municipality=municipality, day=day, moment=moment)
    rollup = _rollup(initiatives.values())
    indicator_part = rules.indicator_progress(
        [_indicator_facts(i, own[i.id].value) for i in own_rows]
    )
    combined = rules.combine_parts(rollup.progress, indicator_part)
    state = rollup.health
    if combined is not None and combined >= 1:
        state = rules.DONE
    return GoalThen(
        day=day,
        progress=combined,
        health=state,
        rollup=rollup,
        initiatives=tuple(sorted(initiatives.values(), key=lambda i: (i.order, i.number, i.pk))),
        indicators=tuple(own[i.id] for i in own_rows),
    )


# --- Comparison of two days ------------------------------------------------------------------


@dataclass(frozen=True)
class InitiativeChange:
    """What changed for one Vorhaben between two days."""

    pk: int
    label: str
    before: InitiativeThen | None  # None: the Vorhaben did not exist on the first day
    after: InitiativeThen | None  # None: deleted by the second day
    new_measurements: tuple[tuple[IndicatorThen, int], ...]  # indicator, number of new values
    milestones_reached: tuple[MilestoneThen, ...]
    milestones_overdue: tuple[MilestoneThen, ...]  # overdue on the second day
    newly_overdue: bool = False  # one of them was not overdue on the first day

    @property
    def status_changed(self) -> bool:
        return (
            self.before is not None
            and self.after is not None
            and self.before.status != self.after.status
        )

    @property
    def health_changed(self) -> bool:
        return (
            self.before is not None
            and self.after is not None
            and self.before.displayed_health != self.after.displayed_health
        )

    @property
    def progress_delta(self) -> float | None:
        """Change of progress in percentage points; None when either side has none."""
        if self.before is None or self.after is None:
            return None
        a, b = self.before.progress.progress, self.after.progress.progress
        if a is None or b is None:
            return None
        return round((b - a) * 100, 1)

    @property
    def changed(self) -> bool:
        return bool(
            self.before is None
            or self.after is None
            or self.status_changed
            or self.health_changed
            or self.progress_delta
            or self.new_measurements
            or self.milestones_reached
            or self.newly_overdue
        )


@dataclass(frozen=True)
class PlanComparison:
    since: dt.date
    until: dt.date
    before: PlanThen | None
    after: PlanThen | None
    changes: tuple[InitiativeChange, ...]  # every Vorhaben of either day, in plan order

    @property
    def changed(self) -> list[InitiativeChange]:
        return [c for c in self.changes if c.changed]

    @property
    def unchanged(self) -> list[InitiativeChange]:
        return [c for c in self.changes if not c.changed]


def compare(before: InitiativeThen | None, after: InitiativeThen | None) -> InitiativeChange:
    row = after or before
    assert row is not None
    known = {i.pk: i.measurement_ids for i in before.indicators} if before else {}
    new = []
    reached: list[MilestoneThen] = []
    overdue: list[MilestoneThen] = []
    if after is not None:
        for indicator in after.indicators:
            count = len(indicator.measurement_ids - known.get(indicator.pk, frozenset()))
            if count:
                new.append((indicator, count))
        was_done = {m.pk for m in before.milestones if m.done_on} if before else set()
        reached = [m for m in after.milestones if m.done_on and m.pk not in was_done]
        overdue = [m for m in after.milestones if m.overdue]
    was_overdue = {m.pk for m in before.milestones if m.overdue} if before else set()
    return InitiativeChange(
        pk=row.pk,
        label=str(row),
        before=before,
        after=after,
        new_measurements=tuple(new),
        milestones_reached=tuple(reached),
        milestones_overdue=tuple(overdue),
        newly_overdue=any(m.pk not in was_overdue for m in overdue),
    )


def plan_comparison(*, plan: ActionPlan, since: dt.date, until: dt.date) -> PlanComparison:
    """ "Was hat sich seit … geändert?": the plan on both days and the changes per Vorhaben."""
    before = plan_then(plan=plan, day=since)
    after = plan_then(plan=plan, day=until)
    first = {i.pk: i for i in before.initiatives} if before else {}
    second = {i.pk: i for i in after.initiatives} if after else {}
    ordered = list(second) + [pk for pk in first if pk not in second]
    return PlanComparison(
        since=since,
        until=until,
        before=before,
        after=after,
        changes=tuple(compare(first.get(pk), second.get(pk)) for pk in ordered),
    )


# --- Sessions: the days bodies decided on -----------------------------------------------------


@dataclass(frozen=True)
class Session:
    """A day a body (Rat, Ausschuss …) decided something: a meeting to look back to."""

    day: dt.date
    body: str
    titles: tuple[str, ...]

    @property
    def label(self) -> str:
        first = self.titles[0] if self.titles else ""
        more = f" (und {len(self.titles) - 1} weitere)" if len(self.titles) > 1 else ""
        return f"{self.day:%d.%m.%Y} – {self.body}: {first}{more}"


def sessions(*, municipality: Any, until: dt.date | None = None) -> list[Session]:
    """The sessions of the municipality's bodies, newest first, read from their decisions.

    Leitwerk keeps no meeting calendar; a session is a day on which a body decided something
    (decision log, adopted priority lists). The decisions are followed from the body, so this
    layer does not import the priorities stage.
    """
    rows = (
        Body.objects.filter(municipality=municipality, decisions__isnull=False)
        .values_list("decisions__decided_on", "name", "decisions__title")
        .order_by("-decisions__decided_on", "name", "decisions__id")
    )
    if until is not None:
        rows = rows.filter(decisions__decided_on__lte=until)
    grouped: dict[tuple[dt.date, str], list[str]] = {}
    for day, body, title in rows:
        grouped.setdefault((day, body), []).append(title)
    return [Session(day=day, body=body, titles=tuple(t)) for (day, body), t in grouped.items()]
