"""Services of the priorities stage: the round workflow, changes and their counter, decisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from leitwerk.core.models import AuditLogEntry
from leitwerk.municipalities.tests.factories import (
    AmtFactory,
    BodyFactory,
    MemberMunicipalityFactory,
    OrganisationalUnitFactory,
)
from leitwerk.plans.tests.factories import InitiativeFactory
from leitwerk.priorities import services
from leitwerk.priorities.models import (
    BallotMode,
    Decision,
    DecisionKind,
    PriorityChange,
    PriorityRound,
    RoundStatus,
)
from leitwerk.priorities.selectors import change_count_for_round

from .conftest import BALLOTS, EXPECTED

pytestmark = pytest.mark.django_db


def make_round(musterstadt, scene, actor, **kwargs):
    return services.round_create(
        municipality=musterstadt,
        actor=actor,
        title="Prioritäten 2027",
        year=2027,
        candidates=list(scene.initiatives.values()),
        bodies=scene.bodies,
        **kwargs,
    )


def vote_all(round, scene, actor):
    participants = list(round.participants.order_by("pk"))
    for participant, ballot in zip(participants, BALLOTS, strict=True):
        ranks = {scene.initiatives[letter].pk: rank for letter, rank in ballot.items()}
        services.ballot_submit(participant=participant, actor=actor, ranks=ranks)


def letters(round, scene):
    by_pk = {i.pk: letter for letter, i in scene.initiatives.items()}
    return [by_pk[item.initiative_id] for item in round.items.order_by("rank")]


def adopted_round(musterstadt, scene, strategy_user, method="schulze"):
    round = make_round(musterstadt, scene, strategy_user)
    vote_all(round, scene, strategy_user)
    services.round_aggregate(round=round, actor=strategy_user, method=method)
    return services.round_adopt(
        round=round,
        actor=strategy_user,
        body=scene.bodies[0],
        adopted_on=dt.date(2026, 12, 10),
        decision_reference="Vorlage 2026/114",
    )


def test_round_create_needs_candidates_and_participants(musterstadt, scene, strategy_user):
    with pytest.raises(ValidationError, match="mindestens zwei Vorhaben"):
        services.round_create(
            municipality=musterstadt,
            actor=strategy_user,
            title="Runde",
            candidates=[scene.initiatives["A"]],
            bodies=scene.bodies,
        )
    with pytest.raises(ValidationError, match="Gremium oder eine Organisationseinheit"):
        services.round_create(
            municipality=musterstadt,
            actor=strategy_user,
            title="Runde",
            candidates=list(scene.initiatives.values()),
        )


def test_round_create_refuses_rows_of_another_municipality(
    musterstadt, other_town, scene, strategy_user
):
    foreign = InitiativeFactory(municipality=other_town)
    with pytest.raises(ValidationError, match="anderen Kommune"):
        services.round_create(
            municipality=musterstadt,
            actor=strategy_user,
            title="Runde",
            candidates=[scene.initiatives["A"], foreign],
            bodies=scene.bodies,
        )


@pytest.mark.parametrize("method", ["borda", "schulze"])
def test_round_aggregate_reproduces_the_hand_computed_order(
    musterstadt, scene, strategy_user, method
):
    round = make_round(musterstadt, scene, strategy_user)
    vote_all(round, scene, strategy_user)
    items = services.round_aggregate(round=round, actor=strategy_user, method=method)
    round.refresh_from_db()
    assert letters(round, scene) == EXPECTED[method]
    assert round.status == RoundStatus.CLOSED and round.method == method
    if method == "borda":
        assert [item.score for item in items] == [
            Decimal(7),
            Decimal(6),
            Decimal("3.5"),
            Decimal("1.5"),
        ]
    assert AuditLogEntry.objects.filter(action="priorities.round_aggregate").count() == 1


def test_a_ballot_can_be_replaced_while_open_but_not_after_aggregation(
    musterstadt, scene, strategy_user
):
    round = make_round(musterstadt, scene, strategy_user)
    participant = round.participants.first()
    a, b = scene.initiatives["A"].pk, scene.initiatives["B"].pk
    services.ballot_submit(participant=participant, actor=strategy_user, ranks={a: 1})
    ballot = services.ballot_submit(participant=participant, actor=strategy_user, ranks={b: 1})
    assert [e.initiative_id for e in ballot.entries.all()] == [b]
    services.round_aggregate(round=round, actor=strategy_user, method="borda")
    with pytest.raises(ValidationError, match="abgeschlossen"):
        services.ballot_submit(participant=participant, actor=strategy_user, ranks={a: 1})


def test_ballot_submit_checks_ranks_and_candidates(musterstadt, scene, strategy_user):
    round = make_round(musterstadt, scene, strategy_user)
    participant = round.participants.first()
    with pytest.raises(ValidationError, match="zwischen 1 und 4"):
        services.ballot_submit(
            participant=participant, actor=strategy_user, ranks={scene.initiatives["A"].pk: 5}
        )
    stranger = InitiativeFactory(municipality=musterstadt)
    with pytest.raises(ValidationError, match="nicht zur Wahl"):
        services.ballot_submit(participant=participant, actor=strategy_user, ranks={stranger.pk: 1})
    with pytest.raises(ValidationError, match="mindestens einen Rang"):
        services.ballot_submit(participant=participant, actor=strategy_user, ranks={})


def test_score_ballots_rank_by_benefit_plus_urgency_minus_effort(musterstadt, scene, strategy_user):
    round = make_round(musterstadt, scene, strategy_user, ballot_mode=BallotMode.SCORE)
    participant = round.participants.first()
    i = scene.initiatives
    # Combined: A 4+4+(6-5)=9, B 3+3+(6-1)=11, C 2+2+(6-3)=7; D not scored (bottom).
    services.ballot_submit(
        participant=participant,
        actor=strategy_user,
        scores={i["A"].pk: (4, 4, 5), i["B"].pk: (3, 3, 1), i["C"].pk: (2, 2, 3)},
    )
    assert services.ballots_as_ranks(round) == [{i["B"].pk: 1, i["A"].pk: 2, i["C"].pk: 3}]
    with pytest.raises(ValidationError, match="1 bis 5"):
        services.ballot_submit(
            participant=participant, actor=strategy_user, scores={i["A"].pk: (6, 1, 1)}
        )


def test_round_adopt_stores_version_one_and_a_decision(musterstadt, scene, strategy_user):
    round = adopted_round(musterstadt, scene, strategy_user)
    assert round.status == RoundStatus.ADOPTED
    version = round.versions.get()
    assert version.number == 1
    assert [e["title"] for e in version.entries] == [
        str(scene.initiatives[x]) for x in EXPECTED["schulze"]
    ]
    decision = Decision.objects.get(priority_round=round)
    assert decision.kind == DecisionKind.PRIORITY and decision.reference == "Vorlage 2026/114"


def test_round_adopt_needs_an_aggregated_list_and_a_reference(musterstadt, scene, strategy_user):
    round = make_round(musterstadt, scene, strategy_user)
    with pytest.raises(ValidationError, match="zusammengeführte Liste"):
        services.round_adopt(
            round=round,
            actor=strategy_user,
            body=scene.bodies[0],
            adopted_on=dt.date(2026, 12, 10),
            decision_reference="X",
        )
    vote_all(round, scene, strategy_user)
    services.round_aggregate(round=round, actor=strategy_user, method="borda")
    with pytest.raises(ValidationError, match="Beschlussnummer"):
        services.round_adopt(
            round=round,
            actor=strategy_user,
            body=scene.bodies[0],
            adopted_on=dt.date(2026, 12, 10),
            decision_reference="  ",
        )


@pytest.mark.parametrize("justification", ["", "   ", "weil"])
def test_a_change_after_adoption_without_justification_is_rejected(
    musterstadt, scene, strategy_user, justification
):
    round = adopted_round(musterstadt, scene, strategy_user)
    with pytest.raises(ValidationError, match="braucht eine Begründung"):
        services.priority_change(
            round=round,
            actor=strategy_user,
            initiative=scene.initiatives["D"],
            new_rank=1,
            justification=justification,
            changed_on=dt.date(2027, 3, 1),
        )
    assert change_count_for_round(round=round) == 0
    assert letters(round, scene) == EXPECTED["schulze"]


def test_justified_changes_reorder_version_and_count(musterstadt, scene, strategy_user):
    round = adopted_round(musterstadt, scene, strategy_user)
    services.priority_change(
        round=round,
        actor=strategy_user,
        initiative=scene.initiatives["D"],
        new_rank=2,
        justification="Fördermittel laufen Ende März aus; der Antrag muss vorher gestellt sein.",
        changed_on=dt.date(2027, 3, 1),
        body=scene.bodies[1],
        reference="HA/2027/03",
    )
    assert letters(round, scene) == ["A", "D", "B", "C"]
    services.priority_change(
        round=round,
        actor=strategy_user,
        initiative=scene.initiatives["A"],
        new_rank=4,
        justification="Das Land übernimmt die Aufgabe ab Mai; wir warten dessen Lösung ab.",
        changed_on=dt.date(2027, 4, 1),
    )
    assert letters(round, scene) == ["D", "B", "C", "A"]
    assert change_count_for_round(round=round) == 2
    assert list(round.versions.values_list("number", flat=True)) == [1, 2, 3]
    change = PriorityChange.objects.filter(round=round).first()
    assert (change.old_rank, change.new_rank, change.list_version.number) == (4, 2, 2)
    assert Decision.objects.filter(priority_round=round, kind=DecisionKind.PRIORITY).count() == 3


def test_changes_are_refused_before_adoption(musterstadt, scene, strategy_user):
    round = make_round(musterstadt, scene, strategy_user)
    with pytest.raises(ValidationError, match="beschlossene Prioritätenliste"):
        services.priority_change(
            round=round,
            actor=strategy_user,
            initiative=scene.initiatives["A"],
            new_rank=2,
            justification="Eine ausreichend lange Begründung.",
            changed_on=dt.date(2027, 3, 1),
        )


def test_decision_record_needs_a_plain_justification(musterstadt, scene, strategy_user):
    with pytest.raises(ValidationError, match="begründen"):
        services.decision_record(
            municipality=musterstadt,
            actor=strategy_user,
            kind=DecisionKind.STOP,
            title="Vorhaben C gestoppt",
            justification="",
            decided_on=dt.date(2027, 1, 15),
        )
    decision = services.decision_record(
        municipality=musterstadt,
        actor=strategy_user,
        kind=DecisionKind.STOP,
        title="Vorhaben C gestoppt",
        justification="Der Bund stellt ab 2027 ein fertiges Verfahren bereit.",
        decided_on=dt.date(2027, 1, 15),
        initiative=scene.initiatives["C"],
        public=True,
    )
    assert decision.public and decision.initiative == scene.initiatives["C"]


def test_compensation_only_for_members_of_the_amt(db):
    amt = AmtFactory()
    member = MemberMunicipalityFactory(parent=amt)
    outsider = MemberMunicipalityFactory()
    services.compensation_record(municipality=amt, actor=None, member=member, title="Ausgleich")
    with pytest.raises(ValidationError, match="nicht zu diesem Amt"):
        services.compensation_record(
            municipality=amt, actor=None, member=outsider, title="Ausgleich"
        )
    settings = services.balance_threshold_set(
        municipality=amt, actor=None, threshold_points=Decimal("7.5")
    )
    assert settings.threshold_points == Decimal("7.5")


def test_unit_participants_are_possible(musterstadt, scene, strategy_user):
    unit = OrganisationalUnitFactory(municipality=musterstadt)
    round = services.round_create(
        municipality=musterstadt,
        actor=strategy_user,
        title="Fachbereiche",
        candidates=list(scene.initiatives.values()),
        units=[unit],
        bodies=[BodyFactory(municipality=musterstadt)],
    )
    assert round.participants.filter(unit=unit).exists()


def test_cost_shares_must_add_up_to_100_and_name_members(db):
    amt = AmtFactory()
    nord = MemberMunicipalityFactory(parent=amt)
    sued = MemberMunicipalityFactory(parent=amt)
    outsider = MemberMunicipalityFactory()
    initiative = InitiativeFactory(municipality=amt, budget_eur=1000)
    with pytest.raises(ValidationError, match="genau 100 %"):
        services.cost_shares_set(
            initiative=initiative, actor=None, shares={nord: Decimal(60), sued: Decimal(30)}
        )
    with pytest.raises(ValidationError, match="Mitgliedsgemeinden dieses Amtes"):
        services.cost_shares_set(initiative=initiative, actor=None, shares={outsider: Decimal(100)})
    services.cost_shares_set(
        initiative=initiative, actor=None, shares={nord: Decimal(60), sued: Decimal(40)}
    )
    assert sorted(initiative.cost_shares.values_list("share_percent", flat=True)) == [40, 60]
    services.cost_shares_set(initiative=initiative, actor=None, shares={nord: None, sued: None})
    assert not initiative.cost_shares.exists()


def test_member_sign_off_after_adoption_only(db):
    amt = AmtFactory()
    member = MemberMunicipalityFactory(parent=amt)
    round = PriorityRound.objects.create(municipality=amt, title="Amtsliste")
    with pytest.raises(ValidationError, match="erst, wenn das Amt beschlossen hat"):
        services.member_sign_off(
            round=round,
            actor=None,
            member=member,
            council="Gemeindevertretung",
            signed_on=dt.date(2027, 1, 1),
        )
    round.status = RoundStatus.ADOPTED
    round.save()
    sign_off = services.member_sign_off(
        round=round,
        actor=None,
        member=member,
        council="Gemeindevertretung",
        signed_on=dt.date(2027, 1, 1),
    )
    again = services.member_sign_off(
        round=round,
        actor=None,
        member=member,
        council="Gemeindevertretung",
        signed_on=dt.date(2027, 2, 1),
    )
    assert again.pk == sign_off.pk and again.signed_on == dt.date(2027, 2, 1)


def test_each_list_version_carries_the_decision_date_and_the_decision(
    musterstadt, scene, strategy_user
):
    round = adopted_round(musterstadt, scene, strategy_user)
    services.priority_change(
        round=round,
        actor=strategy_user,
        initiative=scene.initiatives["D"],
        new_rank=2,
        justification="Fördermittel laufen Ende März aus; der Antrag muss vorher gestellt sein.",
        changed_on=dt.date(2027, 3, 1),
        body=scene.bodies[1],
        reference="HA/2027/03",
    )
    first, second = round.versions.order_by("number")
    assert first.decided_on == dt.date(2026, 12, 10)
    assert first.decision.reference == "Vorlage 2026/114"
    assert first.decision.body == scene.bodies[0]
    assert second.decided_on == dt.date(2027, 3, 1)
    assert (second.decision.reference, second.decision.body) == ("HA/2027/03", scene.bodies[1])


def test_versions_written_before_get_their_decision_date_from_adoption_and_change(
    musterstadt, scene, strategy_user
):
    from importlib import import_module

    from django.apps import apps

    from leitwerk.priorities.models import ListVersion

    round = adopted_round(musterstadt, scene, strategy_user)
    services.priority_change(
        round=round,
        actor=strategy_user,
        initiative=scene.initiatives["D"],
        new_rank=2,
        justification="Fördermittel laufen Ende März aus; der Antrag muss vorher gestellt sein.",
        changed_on=dt.date(2027, 3, 1),
    )
    ListVersion.objects.filter(round=round).update(decided_on=None, decision=None)
    migration = import_module("leitwerk.priorities.migrations.0002_list_version_decision")
    migration.versions_carry_their_decision(apps, None)
    first, second = round.versions.order_by("number")
    assert first.decided_on == dt.date(2026, 12, 10) and first.decision.initiative is None
    assert second.decided_on == dt.date(2027, 3, 1)
    assert second.decision.initiative == scene.initiatives["D"]
