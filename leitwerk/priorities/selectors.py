"""Reads of the priorities stage for a signed-in person, always scoped to one municipality.

Every function answers Http404 for missing and forbidden alike, so a person of another
municipality learns nothing about what exists here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Prefetch, Q
from django.http import Http404

from leitwerk.core.access import require_allowed, require_visible
from leitwerk.municipalities.models import (
    Body,
    Municipality,
    MunicipalityKind,
    OrganisationalUnit,
)
from leitwerk.plans.models import ActionPlan, Initiative, InitiativeStatus

from .aggregation import Result
from .models import (
    BalanceSettings,
    Ballot,
    BallotEntry,
    BallotMode,
    CompensationMeasure,
    CostShare,
    Decision,
    ListVersion,
    MemberSignOff,
    PriorityChange,
    PriorityItem,
    PriorityRound,
    RoundParticipant,
    RoundStatus,
)
from .planning import Balance, MemberInput, ProjectInput, compute_balance, effort_by_year
from .services import candidate_order, round_results

if TYPE_CHECKING:
    from leitwerk.accounts.models import User

DEFAULT_THRESHOLD = Decimal(10)


def round_list_for_user(*, user: User, municipality: Municipality) -> list[PriorityRound]:
    """Rounds with `.ballot_count`, `.participant_count` and `.change_count`."""
    require_visible(user, "priorities.view_round", municipality)
    return list(
        PriorityRound.objects.for_municipality(municipality)
        .select_related("adopted_by")
        .annotate(
            participant_count=Count("participants", distinct=True),
            ballot_count=Count("ballots", distinct=True),
            change_count=Count("changes", distinct=True),
        )
    )


def round_get_for_user(*, user: User, municipality: Municipality, pk: int) -> PriorityRound:
    """One round with participants (and their ballots), candidates, items, versions, changes."""
    require_visible(user, "priorities.view_round", municipality)
    scoped_items = PriorityItem.objects.for_municipality(municipality).select_related(
        "initiative__lead_unit"
    )
    round = (
        PriorityRound.objects.for_municipality(municipality)
        .select_related("adopted_by")
        # One prefetch per call: django-stubs types the lookups of one call alike.
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=RoundParticipant.objects.for_municipality(municipality).select_related(
                    "body", "unit", "ballot__submitted_by"
                ),
            )
        )
        .prefetch_related(Prefetch("items", queryset=scoped_items.order_by("rank")))
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ListVersion.objects.for_municipality(municipality).select_related(
                    "decision__body"
                ),
            )
        )
        .prefetch_related(
            Prefetch(
                "changes",
                queryset=PriorityChange.objects.for_municipality(municipality).select_related(
                    "initiative", "changed_by"
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if round is None:
        raise Http404
    return round


@dataclass(frozen=True)
class ParticipantRow:
    participant: RoundParticipant
    may_submit: bool  # the person speaks for this participant
    submitted: Ballot | None


@dataclass(frozen=True)
class RoundPage:
    """What the round's pages show beside the round: candidates, changes, who voted."""

    candidates: list[Initiative]
    change_count: int
    participants: list[ParticipantRow]

    def mine(self) -> list[RoundParticipant]:
        return [row.participant for row in self.participants if row.may_submit]


def round_page(*, user: User, round: PriorityRound) -> RoundPage:
    """From the relations `round_get_for_user` prefetched: no further queries but the rules'."""
    rows = []
    for participant in round.participants.all():
        try:
            ballot: Ballot | None = participant.ballot
        except Ballot.DoesNotExist:
            ballot = None
        rows.append(
            ParticipantRow(
                participant=participant,
                may_submit=user.has_perm("priorities.submit_ballot", participant),
                submitted=ballot,
            )
        )
    return RoundPage(
        candidates=candidate_order(round),
        change_count=len(round.changes.all()),
        participants=rows,
    )


def ballot_entries_by_initiative(ballot: Ballot | None) -> dict[int, Any]:
    if ballot is None:
        return {}
    return {entry.initiative_id: entry for entry in ballot.entries.all()}


@dataclass
class ResultRow:
    initiative: Initiative
    position: int
    rank: int
    score: Any
    borda: Any
    schulze_wins: int
    lowest: float
    highest: float
    spread: float
    ranked_by: int
    high_disagreement: bool


@dataclass
class RoundResults:
    methods: dict[str, list[ResultRow]] = field(default_factory=dict)
    ballot_count: int = 0
    candidate_count: int = 0
    same_order: bool = True
    pairwise: list[tuple[Initiative, list[tuple[Initiative, int, int]]]] = field(
        default_factory=list
    )
    effort_benefit: list[dict[str, Any]] = field(default_factory=list)


def round_results_for_user(
    *,
    user: User,
    municipality: Municipality,
    round: PriorityRound,
    candidates: list[Initiative] | None = None,
) -> RoundResults:
    """Both aggregations of the current ballots, rows carrying their Vorhaben, plus the matrix."""
    require_visible(user, "priorities.view_round", round)
    results: dict[str, Result[int]] = round_results(round)
    candidates = candidates if candidates is not None else candidate_order(round)
    by_pk = {c.pk: c for c in candidates}
    n = len(by_pk)
    view = RoundResults(ballot_count=round.ballots.count(), candidate_count=n)
    for method, result in results.items():
        view.methods[method] = [
            ResultRow(
                initiative=by_pk[p.candidate],
                position=p.position,
                rank=p.rank,
                score=p.score,
                borda=p.borda,
                schulze_wins=p.schulze_wins,
                lowest=p.disagreement.lowest,
                highest=p.disagreement.highest,
                spread=p.disagreement.spread,
                ranked_by=p.disagreement.ranked_by,
                # Half the list or more between best and worst place: worth discussing.
                high_disagreement=n > 1 and p.disagreement.spread >= n / 2,
            )
            for p in result.order
        ]
    view.same_order = results["borda"].ranking == results["schulze"].ranking
    if round.ballot_mode == BallotMode.SCORE:
        view.effort_benefit = _effort_benefit(round, candidates)
    d = results["schulze"].pairwise
    for a in candidates:
        view.pairwise.append(
            (
                a,
                [(b, d.get((a.pk, b.pk), 0), d.get((b.pk, a.pk), 0)) for b in candidates],
            )
        )
    return view


def _effort_benefit(round: PriorityRound, candidates: list[Initiative]) -> list[dict[str, Any]]:
    """Mean scores per Vorhaben, most benefit per effort first (Grundsatz: ressourcenorientiert)."""
    means = {
        row["initiative_id"]: row
        for row in BallotEntry.objects.filter(
            ballot__round=round, municipality_id=round.municipality_id, benefit__isnull=False
        )
        .values("initiative_id")
        .annotate(
            benefit=Avg("benefit"), urgency=Avg("urgency"), effort=Avg("effort"), n=Count("id")
        )
    }
    rows = []
    for initiative in candidates:
        mean = means.get(initiative.pk)
        if mean is None:
            continue
        rows.append(
            {
                "initiative": initiative,
                "benefit": mean["benefit"],
                "urgency": mean["urgency"],
                "effort": mean["effort"],
                "ratio": mean["benefit"] / mean["effort"],
                "count": mean["n"],
            }
        )
    rows.sort(key=lambda r: -r["ratio"])
    return rows


def change_count_for_round(*, round: PriorityRound) -> int:
    """Indicator "ad-hoc-Richtungsänderungen nach Beschluss": changes after adoption."""
    return PriorityChange.objects.filter(round=round).count()


def change_indicator_for_user(*, user: User, municipality: Municipality) -> list[dict[str, Any]]:
    """Per adopted round: the number of changes after adoption."""
    require_visible(user, "priorities.view_round", municipality)
    rounds = (
        PriorityRound.objects.for_municipality(municipality)
        .filter(status=RoundStatus.ADOPTED)
        .annotate(change_count=Count("changes"))
    )
    return [
        {"round": r, "adopted_on": r.adopted_on, "change_count": r.change_count} for r in rounds
    ]


def decisions_for_user(*, user: User, municipality: Municipality) -> list[Decision]:
    require_visible(user, "priorities.view_decisions", municipality)
    return list(
        Decision.objects.for_municipality(municipality).select_related(
            "initiative", "body", "priority_round"
        )
    )


def decision_get_for_user(*, user: User, municipality: Municipality, pk: Any) -> Decision:
    """A decision the person may publish or withdraw.

    404 for a missing or foreign decision (and for people who may not see the decision log);
    403 for a decision the person sees in the log but may not publish.
    """
    require_visible(user, "priorities.view_decisions", municipality)
    if not str(pk).isdigit():
        raise Http404
    decision = Decision.objects.for_municipality(municipality).filter(pk=int(pk)).first()
    if decision is None:
        raise Http404
    require_allowed(user, "priorities.publish_decision", decision)
    return decision


def form_choices(*, municipality: Municipality) -> dict[str, Any]:
    """Querysets for the forms, all scoped to the municipality."""
    return {
        "initiatives": Initiative.objects.for_municipality(municipality).order_by(
            "action_field__plan_id", "action_field__order", "order", "number", "pk"
        ),
        "bodies": Body.objects.for_municipality(municipality),
        "units": OrganisationalUnit.objects.for_municipality(municipality),
        "members": Municipality.objects.filter(parent=municipality),
    }


# --- resources ----------------------------------------------------------------------------------


@dataclass
class UnitYear:
    unit: OrganisationalUnit | None
    year: int | None
    effort: Decimal
    capacity: Decimal | None
    initiatives: list[Initiative]

    @property
    def utilisation(self) -> Decimal | None:
        if not self.capacity:
            return None
        return self.effort * 100 / self.capacity

    @property
    def over_committed(self) -> bool:
        return self.capacity is not None and self.effort > self.capacity


def resources_for_user(*, user: User, municipality: Municipality) -> list[UnitYear]:
    """Planned effort per leading unit and year against the unit's yearly capacity.

    Counts Vorhaben that are planned, active or paused; completed and cancelled ones no longer
    bind capacity.
    """
    require_visible(user, "priorities.view_resources", municipality)
    initiatives = (
        Initiative.objects.for_municipality(municipality)
        .filter(
            status__in=[
                InitiativeStatus.PLANNED,
                InitiativeStatus.ACTIVE,
                InitiativeStatus.PAUSED,
            ],
            effort_person_days__isnull=False,
        )
        .select_related("lead_unit")
        .order_by("lead_unit__code", "lead_unit__name", "number", "pk")
    )
    cells: dict[tuple[int | None, int | None], UnitYear] = {}
    for initiative in initiatives:
        assert initiative.effort_person_days is not None
        unit = initiative.lead_unit
        shares = effort_by_year(
            initiative.effort_person_days, initiative.start_date, initiative.end_date
        )
        for year, effort in shares.items():
            key = (unit.pk if unit else None, year)
            if key not in cells:
                cells[key] = UnitYear(
                    unit=unit,
                    year=year,
                    effort=Decimal(0),
                    capacity=unit.capacity_person_days if unit else None,
                    initiatives=[],
                )
            cells[key].effort += effort
            cells[key].initiatives.append(initiative)
    for cell in cells.values():
        cell.effort = cell.effort.quantize(Decimal("0.1"))
    return sorted(
        cells.values(),
        key=lambda c: (
            c.unit is None,
            str(c.unit) if c.unit else "",
            c.year is None,
            c.year or 0,
        ),
    )


@dataclass
class EffortBenefitRow:
    initiative: Initiative
    person_days: Decimal | None
    budget: Decimal | None
    rank: int | None  # place on the most recently adopted list
    benefit: Decimal | None  # mean benefit score (1–5) over all score ballots


def effort_benefit_for_user(
    *, user: User, municipality: Municipality, plan_id: int | None = None
) -> Any:
    """Effort against benefit for every Vorhaben of one plan (the newest when none is named).

    Returns (plans, plan, rows); a constant number of queries whatever the plan's size.
    """
    require_visible(user, "priorities.view_resources", municipality)
    plans = list(ActionPlan.objects.for_municipality(municipality))
    if plan_id is not None and not str(plan_id).isdigit():
        raise Http404
    plan = next((p for p in plans if str(p.pk) == str(plan_id)), None) if plan_id else None
    if plan_id and plan is None:
        raise Http404
    plan = plan or (plans[0] if plans else None)
    if plan is None:
        return plans, None, []
    initiatives = list(
        Initiative.objects.for_municipality(municipality)
        .filter(action_field__plan=plan)
        .order_by("action_field__order", "order", "number", "pk")
    )
    adopted = (
        PriorityRound.objects.for_municipality(municipality)
        .filter(status=RoundStatus.ADOPTED)
        .order_by("-adopted_on", "-pk")
        .first()
    )
    ranks = (
        dict(
            PriorityItem.objects.belonging_to(adopted, via="round").values_list(
                "initiative_id", "rank"
            )
        )
        if adopted
        else {}
    )
    benefits = dict(
        BallotEntry.objects.for_municipality(municipality)
        .filter(initiative__in=initiatives, benefit__isnull=False)
        .values("initiative_id")
        .annotate(mean=Avg("benefit"))
        .values_list("initiative_id", "mean")
    )
    rows = [
        EffortBenefitRow(
            initiative=i,
            person_days=i.effort_person_days,
            budget=i.budget_eur,
            rank=ranks.get(i.pk),
            benefit=Decimal(str(benefits[i.pk])) if i.pk in benefits else None,
        )
        for i in initiatives
    ]
    return plans, plan, rows


# --- Amt balance --------------------------------------------------------------------------------


@dataclass
class AmtBalanceView:
    balance: Balance
    members: list[Municipality]
    measures: dict[Any, list[CompensationMeasure]]
    settings: BalanceSettings | None
    initiatives: list[Initiative]


def is_amt(municipality: Municipality) -> bool:
    return bool(municipality) and municipality.kind == MunicipalityKind.AMT


def balance_for_user(*, user: User, municipality: Municipality) -> AmtBalanceView | None:
    """The balance of the Amt's member municipalities; None when the tenant is no Amt."""
    require_visible(user, "priorities.view_balance", municipality)
    if not is_amt(municipality):
        return None
    members = list(Municipality.objects.filter(parent=municipality).order_by("name"))
    settings = BalanceSettings.objects.for_municipality(municipality).first()
    threshold = settings.threshold_points if settings else DEFAULT_THRESHOLD
    initiatives = list(
        Initiative.objects.for_municipality(municipality)
        .exclude(status=InitiativeStatus.CANCELLED)
        .order_by("action_field__plan_id", "action_field__order", "order", "number", "pk")
        .prefetch_related(
            Prefetch(
                "affected_municipalities",
                queryset=Municipality.objects.filter(parent=municipality),
            ),
            Prefetch(
                "cost_shares",
                queryset=CostShare.objects.for_municipality(municipality).select_related("member"),
            ),
        )
    )
    projects = [
        ProjectInput(
            beneficiaries=[m.pk for m in i.affected_municipalities.all()],
            budget=i.budget_eur,
            payers={c.member_id: c.share_percent for c in i.cost_shares.all()},
        )
        for i in initiatives
    ]
    measures: dict[Any, list[CompensationMeasure]] = defaultdict(list)
    compensation: dict[Any, Decimal] = defaultdict(Decimal)
    for measure in CompensationMeasure.objects.for_municipality(municipality).filter(
        Q(member__parent=municipality)
    ):
        measures[measure.member_id].append(measure)
        compensation[measure.member_id] += measure.amount_eur or Decimal(0)
    balance = compute_balance(
        [MemberInput(key=m.pk, name=m.name, population=m.population or 0) for m in members],
        projects,
        threshold,
        compensation,
    )
    return AmtBalanceView(
        balance=balance,
        members=members,
        measures=dict(measures),
        settings=settings,
        initiatives=initiatives,
    )


@dataclass
class MemberItem:
    item: PriorityItem
    benefits: bool  # the Vorhaben names this member as beneficiary
    share_percent: Decimal | None  # its recorded cost share, if any
    pays: Decimal | None  # euro: budget × share


@dataclass
class MemberPart:
    """A member municipality's part of an Amt's list, next to its sign-off."""

    member: Municipality
    sign_off: MemberSignOff | None
    items: list[MemberItem]

    @property
    def pays(self) -> Decimal:
        return sum((i.pays for i in self.items if i.pays is not None), Decimal(0))


def sign_offs_for_round(*, round: PriorityRound) -> list[MemberPart]:
    """For a round of an Amt: each member with its sign-off and its part of the list.

    Its part is every Vorhaben on the list that benefits it or that it pays a share of, so
    a member's council sees what it approves and what it costs. Constant number of queries.
    """
    if not is_amt(round.municipality):
        return []
    amt_id = round.municipality_id
    signed = {
        s.member_id: s for s in MemberSignOff.objects.for_municipality(amt_id).filter(round=round)
    }
    members = list(Municipality.objects.filter(parent_id=amt_id).order_by("name"))
    items = list(
        PriorityItem.objects.for_municipality(amt_id)
        .filter(round=round)
        .select_related("initiative")
        .prefetch_related(
            Prefetch(
                "initiative__affected_municipalities",
                queryset=Municipality.objects.filter(parent_id=amt_id),
            ),
            Prefetch(
                "initiative__cost_shares", queryset=CostShare.objects.for_municipality(amt_id)
            ),
        )
        .order_by("rank")
    )
    parts = []
    for member in members:
        rows = []
        for item in items:
            initiative = item.initiative
            benefits = any(m.pk == member.pk for m in initiative.affected_municipalities.all())
            share = next(
                (c.share_percent for c in initiative.cost_shares.all() if c.member_id == member.pk),
                None,
            )
            if not benefits and share is None:
                continue
            pays = None
            if share is not None and initiative.budget_eur is not None:
                pays = initiative.budget_eur * share / 100
            rows.append(MemberItem(item=item, benefits=benefits, share_percent=share, pays=pays))
        parts.append(MemberPart(member=member, sign_off=signed.get(member.pk), items=rows))
    return parts
