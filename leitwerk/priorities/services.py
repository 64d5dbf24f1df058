"""Writes of the priorities stage: rounds, ballots, aggregation, adoption, changes, decisions.

Every service checks the state it needs and raises a German ValidationError otherwise; the
permission to call it is checked by the caller (views) through rules.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from leitwerk.core.audit import audit
from leitwerk.municipalities.models import Body, Municipality, OrganisationalUnit
from leitwerk.plans.models import Initiative

from .aggregation import METHODS, Method, Result, aggregate, ranks_from_scores
from .models import (
    AggregationMethod,
    BalanceSettings,
    Ballot,
    BallotEntry,
    BallotMode,
    CompensationMeasure,
    CostShare,
    Decision,
    DecisionKind,
    ListVersion,
    MemberSignOff,
    PriorityChange,
    PriorityItem,
    PriorityRound,
    RoundParticipant,
    RoundStatus,
)

if TYPE_CHECKING:
    from leitwerk.accounts.models import User

MIN_JUSTIFICATION = 10


def _same_tenant(municipality: Municipality, rows: Iterable[Any], what: str) -> None:
    for row in rows:
        if row.municipality_id != municipality.pk:
            raise ValidationError(f"{what} gehört zu einer anderen Kommune.")


def candidate_order(round: PriorityRound) -> list[Initiative]:
    """The round's Vorhaben in action-plan order: the last tie-breaker of the aggregation."""
    return list(
        round.candidates.order_by(
            "action_field__plan_id", "action_field__order", "order", "number", "pk"
        )
    )


@transaction.atomic
def round_create(
    *,
    municipality: Municipality,
    actor: User | None,
    title: str,
    candidates: Sequence[Initiative],
    bodies: Sequence[Body] = (),
    units: Sequence[OrganisationalUnit] = (),
    year: int | None = None,
    description: str = "",
    ballot_mode: str = BallotMode.RANK,
) -> PriorityRound:
    if not title.strip():
        raise ValidationError("Bitte geben Sie der Runde einen Titel.")
    if len(candidates) < 2:
        raise ValidationError("Wählen Sie mindestens zwei Vorhaben aus, die priorisiert werden.")
    if not bodies and not units:
        raise ValidationError("Wählen Sie mindestens ein Gremium oder eine Organisationseinheit.")
    if ballot_mode not in BallotMode.values:
        raise ValidationError("Unbekannte Art der Stimmabgabe.")
    _same_tenant(municipality, candidates, "Ein Vorhaben")
    _same_tenant(municipality, bodies, "Ein Gremium")
    _same_tenant(municipality, units, "Eine Organisationseinheit")
    round = PriorityRound.objects.create(
        municipality=municipality,
        title=title.strip(),
        year=year,
        description=description,
        ballot_mode=ballot_mode,
    )
    round.candidates.set(candidates)
    for body in bodies:
        RoundParticipant.objects.create(municipality=municipality, round=round, body=body)
    for unit in units:
        RoundParticipant.objects.create(municipality=municipality, round=round, unit=unit)
    audit(
        actor=actor,
        action="priorities.round_create",
        target=round,
        data={
            "candidates": [c.pk for c in candidates],
            "bodies": [b.pk for b in bodies],
            "units": [u.pk for u in units],
        },
    )
    return round


def _rank_entries(ranks: Any, scores: Any, candidate_ids: set[int]) -> list[BallotEntry]:
    """The entries of a rank ballot; a ValidationError for scores or impossible ranks."""
    if scores:
        raise ValidationError("In dieser Runde werden Ränge vergeben, keine Bewertungen.")
    ranks = dict(ranks or {})
    if not ranks:
        raise ValidationError("Bitte vergeben Sie mindestens einen Rang.")
    entries = []
    for initiative_id, rank in ranks.items():
        if initiative_id not in candidate_ids:
            raise ValidationError("Ein Vorhaben steht in dieser Runde nicht zur Wahl.")
        if not 1 <= rank <= len(candidate_ids):
            raise ValidationError(
                f"Ränge liegen zwischen 1 und {len(candidate_ids)}; {rank} ist nicht möglich."
            )
        entries.append(BallotEntry(initiative_id=initiative_id, rank=rank))
    return entries


def _score_entries(ranks: Any, scores: Any, candidate_ids: set[int]) -> list[BallotEntry]:
    """The entries of a score ballot; a ValidationError for ranks or scores outside 1–5."""
    if ranks:
        raise ValidationError("In dieser Runde werden Bewertungen vergeben, keine Ränge.")
    scores = dict(scores or {})
    if not scores:
        raise ValidationError("Bitte bewerten Sie mindestens ein Vorhaben.")
    entries = []
    for initiative_id, triple in scores.items():
        if initiative_id not in candidate_ids:
            raise ValidationError("Ein Vorhaben steht in dieser Runde nicht zur Wahl.")
        if len(triple) != 3 or not all(1 <= value <= 5 for value in triple):
            raise ValidationError("Nutzen, Dringlichkeit und Aufwand werden mit 1 bis 5 bewertet.")
        benefit, urgency, effort = triple
        entries.append(
            BallotEntry(
                initiative_id=initiative_id, benefit=benefit, urgency=urgency, effort=effort
            )
        )
    return entries


@transaction.atomic
def ballot_submit(
    *,
    participant: RoundParticipant,
    actor: User | None,
    ranks: Mapping[int, int] | None = None,
    scores: Mapping[int, tuple[int, int, int]] | None = None,
    comment: str = "",
) -> Ballot:
    """Store the participant's ballot, replacing an earlier one while the round is open.

    `ranks` maps Vorhaben ids to ranks (1 = most important, ties allowed, gaps ignored);
    `scores` maps Vorhaben ids to (benefit, urgency, effort), each 1–5. Vorhaben left out are
    unranked and share the bottom of this ballot.
    """
    round = PriorityRound.objects.select_for_update().get(
        pk=participant.round_id, municipality_id=participant.municipality_id
    )
    if round.status != RoundStatus.OPEN:
        raise ValidationError(
            "Die Runde ist abgeschlossen; es können keine Stimmen mehr abgegeben werden."
        )
    candidate_ids = set(round.candidates.values_list("pk", flat=True))
    if round.ballot_mode == BallotMode.RANK:
        entries = _rank_entries(ranks, scores, candidate_ids)
    else:
        entries = _score_entries(ranks, scores, candidate_ids)
    ballot, created = Ballot.objects.update_or_create(
        participant=participant,
        municipality_id=participant.municipality_id,
        defaults={
            "municipality_id": participant.municipality_id,
            "round": round,
            "submitted_by": actor if getattr(actor, "is_authenticated", False) else None,
            "submitted_at": timezone.now(),
            "comment": comment,
        },
    )
    ballot.entries.all().delete()
    for entry in entries:
        entry.municipality_id = participant.municipality_id
        entry.ballot = ballot
    BallotEntry.objects.bulk_create(entries)
    audit(
        actor=actor,
        action="priorities.ballot_submit" if created else "priorities.ballot_replace",
        target=ballot,
        data={"entries": len(entries), "participant": str(participant)},
    )
    return ballot


def ballots_as_ranks(round: PriorityRound) -> list[dict[int, int]]:
    """Each ballot of the round as {Vorhaben id: rank}; score ballots ranked by combined score."""
    result = []
    ballots = round.ballots.prefetch_related("entries").order_by("pk")
    for ballot in ballots:
        if round.ballot_mode == BallotMode.RANK:
            result.append({e.initiative_id: e.rank for e in ballot.entries.all() if e.rank})
        else:
            combined = {
                e.initiative_id: e.combined_score
                for e in ballot.entries.all()
                if e.combined_score is not None
            }
            result.append(ranks_from_scores(combined))
    return result


def round_results(round: PriorityRound) -> dict[str, Result[int]]:
    """Both aggregations of the round's current ballots (nothing is stored)."""
    candidates = [c.pk for c in candidate_order(round)]
    ballots = ballots_as_ranks(round)
    return {m: aggregate(candidates, ballots, method=m) for m in METHODS}


@transaction.atomic
def round_aggregate(
    *, round: PriorityRound, actor: User | None, method: Method
) -> list[PriorityItem]:
    """Store the aggregated list by `method`; closes the round for further ballots."""
    round = PriorityRound.objects.select_for_update().get(
        pk=round.pk, municipality_id=round.municipality_id
    )
    if method not in AggregationMethod.values:
        raise ValidationError("Unbekanntes Verfahren der Zusammenführung.")
    if round.status == RoundStatus.ADOPTED:
        raise ValidationError("Die Liste ist bereits beschlossen; ändern Sie sie mit Begründung.")
    if not round.ballots.exists():
        raise ValidationError("Es liegt noch kein Stimmzettel vor.")
    result = round_results(round)[method]
    round.items.all().delete()
    items = PriorityItem.objects.bulk_create(
        PriorityItem(
            municipality_id=round.municipality_id,
            round=round,
            initiative_id=placed.candidate,
            rank=placed.position,
            shared_rank=placed.rank,
            score=Decimal(placed.score.numerator) / Decimal(placed.score.denominator),
            spread=Decimal(str(placed.disagreement.spread)),
        )
        for placed in result.order
    )
    round.method = method
    round.status = RoundStatus.CLOSED
    round.aggregated_at = timezone.now()
    round.save(update_fields=["method", "status", "aggregated_at", "updated_at"])
    audit(
        actor=actor,
        action="priorities.round_aggregate",
        target=round,
        data={"method": method, "order": result.ranking},
    )
    return items


def _snapshot(round: PriorityRound) -> list[dict[str, Any]]:
    return [
        {"rank": item.rank, "initiative": item.initiative_id, "title": str(item.initiative)}
        for item in round.items.select_related("initiative").order_by("rank")
    ]


@transaction.atomic
def round_adopt(
    *,
    round: PriorityRound,
    actor: User | None,
    body: Body,
    adopted_on: dt.date,
    decision_reference: str,
    oparl_url: str = "",
) -> PriorityRound:
    round = PriorityRound.objects.select_for_update().get(
        pk=round.pk, municipality_id=round.municipality_id
    )
    if round.status != RoundStatus.CLOSED or not round.items.exists():
        raise ValidationError("Beschlossen werden kann nur eine zusammengeführte Liste.")
    if body.municipality_id != round.municipality_id:
        raise ValidationError("Das Gremium gehört zu einer anderen Kommune.")
    if not decision_reference.strip():
        raise ValidationError("Bitte geben Sie die Beschlussnummer oder Fundstelle an.")
    round.status = RoundStatus.ADOPTED
    round.adopted_by = body
    round.adopted_on = adopted_on
    round.decision_reference = decision_reference.strip()
    round.oparl_url = oparl_url
    round.save()
    decision = Decision.objects.create(
        municipality_id=round.municipality_id,
        kind=DecisionKind.PRIORITY,
        title=f"Prioritätenliste „{round.title}“ beschlossen",
        justification=(
            f"{body} hat die Prioritätenliste beschlossen, die aus den Stimmzetteln von "
            f"{round.ballots.count()} Stellen nach der {round.get_method_display()} "
            "zusammengeführt wurde."
        ),
        decided_on=adopted_on,
        body=body,
        reference=round.decision_reference,
        oparl_url=oparl_url,
        priority_round=round,
    )
    ListVersion.objects.create(
        municipality_id=round.municipality_id,
        round=round,
        number=1,
        entries=_snapshot(round),
        note="Beschluss",
        decided_on=adopted_on,
        decision=decision,
    )
    audit(
        actor=actor,
        action="priorities.round_adopt",
        target=round,
        data={"body": body.pk, "reference": round.decision_reference},
    )
    return round


@transaction.atomic
def priority_change(
    *,
    round: PriorityRound,
    actor: User | None,
    initiative: Initiative,
    new_rank: int,
    justification: str,
    changed_on: dt.date,
    body: Body | None = None,
    reference: str = "",
) -> PriorityChange:
    """Move one Vorhaben on the adopted list. Without a justification the change is refused."""
    round = PriorityRound.objects.select_for_update().get(
        pk=round.pk, municipality_id=round.municipality_id
    )
    if round.status != RoundStatus.ADOPTED:
        raise ValidationError("Ändern lässt sich nur eine beschlossene Prioritätenliste.")
    if len(justification.strip()) < MIN_JUSTIFICATION:
        raise ValidationError(
            "Jede Änderung nach dem Beschluss braucht eine Begründung "
            f"(mindestens {MIN_JUSTIFICATION} Zeichen)."
        )
    items = list(round.items.order_by("rank"))
    current = next((i for i in items if i.initiative_id == initiative.pk), None)
    if current is None:
        raise ValidationError("Das Vorhaben steht nicht auf dieser Liste.")
    if not 1 <= new_rank <= len(items):
        raise ValidationError(f"Der neue Rang muss zwischen 1 und {len(items)} liegen.")
    if new_rank == current.rank:
        raise ValidationError("Der neue Rang ist derselbe wie der bisherige.")
    if body is not None and body.municipality_id != round.municipality_id:
        raise ValidationError("Das Gremium gehört zu einer anderen Kommune.")
    old_rank = current.rank
    items.remove(current)
    items.insert(new_rank - 1, current)
    for position, item in enumerate(items, start=1):
        if item.rank != position:
            item.rank = position
            # Shared ranks of the method no longer hold once the body reorders by hand.
            item.shared_rank = position
            item.save(update_fields=["rank", "shared_rank", "updated_at"])
    number = (round.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    decision = Decision.objects.create(
        municipality_id=round.municipality_id,
        initiative=initiative,
        kind=DecisionKind.PRIORITY,
        title=f"Rang von „{initiative}“ geändert: {old_rank} → {new_rank}",
        justification=justification.strip(),
        decided_on=changed_on,
        body=body,
        reference=reference,
        priority_round=round,
    )
    version = ListVersion.objects.create(
        municipality_id=round.municipality_id,
        round=round,
        number=number,
        entries=_snapshot(round),
        note=f"{initiative}: Rang {old_rank} → {new_rank}",
        decided_on=changed_on,
        decision=decision,
    )
    change = PriorityChange.objects.create(
        municipality_id=round.municipality_id,
        round=round,
        initiative=initiative,
        old_rank=old_rank,
        new_rank=new_rank,
        justification=justification.strip(),
        changed_on=changed_on,
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        list_version=version,
    )
    audit(
        actor=actor,
        action="priorities.priority_change",
        target=change,
        data={"old_rank": old_rank, "new_rank": new_rank, "version": number},
    )
    return change


@transaction.atomic
def decision_record(
    *,
    municipality: Municipality,
    actor: User | None,
    kind: str,
    title: str,
    justification: str,
    decided_on: dt.date,
    initiative: Initiative | None = None,
    body: Body | None = None,
    reference: str = "",
    oparl_url: str = "",
    public: bool = False,
) -> Decision:
    if kind not in DecisionKind.values:
        raise ValidationError("Unbekannte Art der Entscheidung.")
    if not title.strip():
        raise ValidationError("Bitte geben Sie der Entscheidung einen Titel.")
    if len(justification.strip()) < MIN_JUSTIFICATION:
        raise ValidationError(
            "Bitte begründen Sie die Entscheidung in verständlichen Worten "
            f"(mindestens {MIN_JUSTIFICATION} Zeichen)."
        )
    _same_tenant(municipality, [r for r in (initiative, body) if r is not None], "Ein Verweis")
    decision = Decision.objects.create(
        municipality=municipality,
        kind=kind,
        title=title.strip(),
        justification=justification.strip(),
        decided_on=decided_on,
        initiative=initiative,
        body=body,
        reference=reference,
        oparl_url=oparl_url,
        public=public,
    )
    audit(actor=actor, action="priorities.decision_record", target=decision)
    return decision


@transaction.atomic
def decision_publish(*, decision: Decision, actor: User | None, public: bool) -> Decision:
    """Show a decision in the citizens' portal, or withdraw it from there.

    Decisions written on adoption or on a change of the list start out internal; the strategy
    office decides which of them the public sees.
    """
    decision = Decision.objects.select_for_update().get(
        pk=decision.pk, municipality_id=decision.municipality_id
    )
    if decision.public == public:
        return decision
    decision.public = public
    decision.save(update_fields=["public", "updated_at"])
    audit(
        actor=actor,
        action="priorities.decision_publish" if public else "priorities.decision_withdraw",
        target=decision,
        data={"public": public},
    )
    return decision


@transaction.atomic
def balance_threshold_set(
    *, municipality: Municipality, actor: User | None, threshold_points: Decimal
) -> BalanceSettings:
    if not Decimal(0) <= threshold_points <= Decimal(100):
        raise ValidationError("Die Schwelle liegt zwischen 0 und 100 Prozentpunkten.")
    settings, _ = BalanceSettings.objects.update_or_create(
        municipality=municipality, defaults={"threshold_points": threshold_points}
    )
    audit(
        actor=actor,
        action="priorities.balance_threshold_set",
        target=settings,
        data={"threshold_points": str(threshold_points)},
    )
    return settings


@transaction.atomic
def compensation_record(
    *,
    municipality: Municipality,
    actor: User | None,
    member: Municipality,
    title: str,
    description: str = "",
    amount_eur: Decimal | None = None,
    decided_on: dt.date | None = None,
) -> CompensationMeasure:
    if member.parent_id != municipality.pk:
        raise ValidationError("Die Gemeinde gehört nicht zu diesem Amt.")
    if not title.strip():
        raise ValidationError("Bitte beschreiben Sie die Ausgleichsmaßnahme.")
    measure = CompensationMeasure.objects.create(
        municipality=municipality,
        member=member,
        title=title.strip(),
        description=description,
        amount_eur=amount_eur,
        decided_on=decided_on,
    )
    audit(actor=actor, action="priorities.compensation_record", target=measure)
    return measure


@transaction.atomic
def initiative_beneficiaries_set(
    *, initiative: Initiative, actor: User | None, members: Iterable[Municipality]
) -> list[Municipality]:
    """Which member municipalities of an Amt a Vorhaben benefits; none means Amt-wide."""
    members = list(dict.fromkeys(members))
    if any(member.parent_id != initiative.municipality_id for member in members):
        raise ValidationError("Begünstigt sein können nur Mitgliedsgemeinden dieses Amtes.")
    before = sorted(initiative.affected_municipalities.values_list("pk", flat=True))
    initiative.affected_municipalities.set(members)
    audit(
        actor=actor,
        action="priorities.initiative_beneficiaries_set",
        target=initiative,
        data={"before": before, "after": sorted(m.pk for m in members)},
    )
    return members


@transaction.atomic
def cost_shares_set(
    *, initiative: Initiative, actor: User | None, shares: Mapping[Municipality, Decimal]
) -> list[CostShare]:
    """Who pays for a Vorhaben of an Amt: percentages per member adding up to 100 (or none)."""
    shares = {member: percent for member, percent in shares.items() if percent}
    if any(member.parent_id != initiative.municipality_id for member in shares):
        raise ValidationError("Kosten können nur Mitgliedsgemeinden dieses Amtes tragen.")
    if any(percent < 0 for percent in shares.values()):
        raise ValidationError("Kostenanteile können nicht negativ sein.")
    total = sum(shares.values(), Decimal(0))
    if shares and total != 100:
        raise ValidationError(
            f"Die Kostenanteile ergeben zusammen {total} %; es müssen genau 100 % sein."
        )
    initiative.cost_shares.all().delete()
    rows = CostShare.objects.bulk_create(
        CostShare(
            municipality_id=initiative.municipality_id,
            initiative=initiative,
            member=member,
            share_percent=percent,
        )
        for member, percent in shares.items()
    )
    audit(
        actor=actor,
        action="priorities.cost_shares_set",
        target=initiative,
        data={str(member.pk): str(percent) for member, percent in shares.items()},
    )
    return rows


@transaction.atomic
def member_sign_off(
    *,
    round: PriorityRound,
    actor: User | None,
    member: Municipality,
    council: str,
    signed_on: dt.date,
    reference: str = "",
    note: str = "",
) -> MemberSignOff:
    """A member municipality's council approves its part of the Amt's adopted list."""
    if round.status != RoundStatus.ADOPTED:
        raise ValidationError("Zustimmen können die Gemeinden erst, wenn das Amt beschlossen hat.")
    if member.parent_id != round.municipality_id:
        raise ValidationError("Die Gemeinde gehört nicht zu diesem Amt.")
    if not council.strip():
        raise ValidationError("Bitte nennen Sie das Gremium der Gemeinde.")
    sign_off, _ = MemberSignOff.objects.update_or_create(
        round=round,
        member=member,
        municipality_id=round.municipality_id,
        defaults={
            "municipality_id": round.municipality_id,
            "council": council.strip(),
            "signed_on": signed_on,
            "reference": reference,
            "note": note,
        },
    )
    audit(actor=actor, action="priorities.member_sign_off", target=sign_off)
    return sign_off
