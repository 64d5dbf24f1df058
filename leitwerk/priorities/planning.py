"""Pure rules for resource planning and the Amt balance (no database; selectors feed them).

Resources ("realistische Planung"): a Vorhaben's effort in person-days is spread over the
calendar years of its duration in proportion to the days that fall into each year. Without a
start date, the end date's year takes everything (and vice versa); without both, the effort
counts as unscheduled. A unit is over-committed in a year when the effort of the Vorhaben it
leads exceeds its capacity.

Amt balance (Grundsatz "ausgewogene Interessen aller Mitgliedsgemeinden"): each Vorhaben that
names the member municipalities it benefits counts as one, split equally among them; its budget
is split the same way. A member's share of Vorhaben and budget is compared with its share of the
members' population. A deviation beyond the threshold (percentage points) in either is flagged;
a negative one means the member comes off worse and may need compensation. Vorhaben that name
no member (Amt-wide) are left out of the shares and counted separately.

Who pays: where cost shares are recorded for a Vorhaben, its budget is charged to the members
by those percentages. A member paying a larger share of the charged budget than its population
share by more than the threshold is flagged as coming off worse as well. Vorhaben without
recorded cost shares are not charged to anybody here.

Compensation (Ausgleichsmaßnahmen): a measure recorded with an amount counts as euro the member
receives, like budget allotted to it. The balance is shown twice: before compensation (the
Vorhaben alone) and after (their budget plus the measures' amounts, each member's share and
deviation computed again over the larger total). The count of Vorhaben does not change by a
payment, so a member short of Vorhaben stays marked; measures without an amount are listed
but do not change the figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

HUNDRED = Decimal(100)


def effort_by_year(
    effort: Decimal, start: dt.date | None, end: dt.date | None
) -> dict[int | None, Decimal]:
    """Effort per calendar year; key None is "not scheduled"."""
    if start is None and end is None:
        return {None: effort}
    if start is None or end is None:
        year = (start or end).year  # type: ignore[union-attr]
        return {year: effort}
    if end < start:
        start, end = end, start
    total_days = (end - start).days + 1
    shares: dict[int | None, Decimal] = {}
    for year in range(start.year, end.year + 1):
        first = max(start, dt.date(year, 1, 1))
        last = min(end, dt.date(year, 12, 31))
        shares[year] = effort * Decimal((last - first).days + 1) / Decimal(total_days)
    return shares


@dataclass(frozen=True)
class MemberInput:
    key: Hashable
    name: str
    population: int


@dataclass(frozen=True)
class ProjectInput:
    beneficiaries: Sequence[Hashable]
    budget: Decimal | None
    # member key → percent of the budget it pays; empty when nobody is named
    payers: Mapping[Hashable, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class MemberBalance:
    key: Hashable
    name: str
    population: int
    population_share: Decimal  # percent
    initiatives: int  # Vorhaben that name this member
    initiative_units: Decimal  # the same, each split among its beneficiaries
    initiative_share: Decimal  # percent
    budget: Decimal  # euro allotted to this member
    budget_share: Decimal  # percent
    initiative_deviation: Decimal  # percentage points, share − population share
    budget_deviation: Decimal
    paid: Decimal  # euro this member pays by recorded cost shares
    paid_share: Decimal  # percent of all charged euro
    paid_deviation: Decimal  # percentage points; positive means it pays more than its share
    flagged: bool
    disadvantaged: bool
    # After compensation: the measures' euro added to the member's budget.
    compensation: Decimal = Decimal(0)
    budget_after: Decimal = Decimal(0)
    budget_share_after: Decimal = Decimal(0)
    budget_deviation_after: Decimal = Decimal(0)
    flagged_after: bool = False
    disadvantaged_after: bool = False

    @property
    def balanced_by_compensation(self) -> bool:
        """Came off worse before, no longer after the compensation measures."""
        return self.disadvantaged and not self.disadvantaged_after


@dataclass(frozen=True)
class Balance:
    members: list[MemberBalance]
    threshold: Decimal
    unassigned: int  # Vorhaben without named members (Amt-wide)
    total_budget: Decimal
    total_paid: Decimal
    total_compensation: Decimal = Decimal(0)

    @property
    def total_budget_after(self) -> Decimal:
        return self.total_budget + self.total_compensation


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part * HUNDRED / whole) if whole else Decimal(0)


@dataclass
class _Tally:
    """Per member: Vorhaben (counted and as shares), budget received and paid."""

    units: dict[Hashable, Decimal]
    counts: dict[Hashable, int]
    budget: dict[Hashable, Decimal]
    paid: dict[Hashable, Decimal]
    unassigned: int = 0  # projects that name no known member as beneficiary


def _tally(members: Sequence[MemberInput], projects: Sequence[ProjectInput]) -> _Tally:
    keys = {m.key for m in members}
    tally = _Tally(
        units={m.key: Decimal(0) for m in members},
        counts={m.key: 0 for m in members},
        budget={m.key: Decimal(0) for m in members},
        paid={m.key: Decimal(0) for m in members},
    )
    for project in projects:
        if project.budget:
            for key, percent in project.payers.items():
                if key in tally.paid:
                    tally.paid[key] += project.budget * percent / HUNDRED
        named = [key for key in dict.fromkeys(project.beneficiaries) if key in keys]
        if not named:
            tally.unassigned += 1
            continue
        share = Decimal(1) / len(named)
        for key in named:
            tally.counts[key] += 1
            tally.units[key] += share
            if project.budget:
                tally.budget[key] += project.budget * share
    return tally


def compute_balance(
    members: Sequence[MemberInput],
    projects: Sequence[ProjectInput],
    threshold: Decimal,
    compensation: Mapping[Hashable, Decimal] | None = None,
) -> Balance:
    """The balance before and after compensation (`compensation`: member key → euro)."""
    tally = _tally(members, projects)
    units, counts, budget, paid = tally.units, tally.counts, tally.budget, tally.paid
    total_population = Decimal(sum(m.population for m in members))
    total_units = sum(units.values(), Decimal(0))
    total_budget = sum(budget.values(), Decimal(0))
    total_paid = sum(paid.values(), Decimal(0))
    received = {m.key: Decimal((compensation or {}).get(m.key) or 0) for m in members}
    total_compensation = sum(received.values(), Decimal(0))
    total_after = total_budget + total_compensation
    result = []
    for m in members:
        population_share = _percent(Decimal(m.population), total_population)
        initiative_share = _percent(units[m.key], total_units)
        budget_share = _percent(budget[m.key], total_budget)
        initiative_deviation = initiative_share - population_share if total_units else Decimal(0)
        budget_deviation = budget_share - population_share if total_budget else Decimal(0)
        paid_share = _percent(paid[m.key], total_paid)
        paid_deviation = paid_share - population_share if total_paid else Decimal(0)
        # Paying more is as bad for the member as receiving less, so the sign flips.
        deviations = (initiative_deviation, budget_deviation, -paid_deviation)
        budget_after = budget[m.key] + received[m.key]
        budget_share_after = _percent(budget_after, total_after)
        budget_deviation_after = (
            budget_share_after - population_share if total_after else Decimal(0)
        )
        deviations_after = (initiative_deviation, budget_deviation_after, -paid_deviation)
        result.append(
            MemberBalance(
                key=m.key,
                name=m.name,
                population=m.population,
                population_share=population_share,
                initiatives=counts[m.key],
                initiative_units=units[m.key],
                initiative_share=initiative_share,
                budget=budget[m.key],
                budget_share=budget_share,
                initiative_deviation=initiative_deviation,
                budget_deviation=budget_deviation,
                paid=paid[m.key],
                paid_share=paid_share,
                paid_deviation=paid_deviation,
                flagged=any(abs(d) > threshold for d in deviations),
                disadvantaged=any(d < -threshold for d in deviations),
                compensation=received[m.key],
                budget_after=budget_after,
                budget_share_after=budget_share_after,
                budget_deviation_after=budget_deviation_after,
                flagged_after=any(abs(d) > threshold for d in deviations_after),
                disadvantaged_after=any(d < -threshold for d in deviations_after),
            )
        )
    return Balance(
        members=result,
        threshold=threshold,
        unassigned=tally.unassigned,
        total_budget=total_budget,
        total_paid=total_paid,
        total_compensation=total_compensation,
    )
