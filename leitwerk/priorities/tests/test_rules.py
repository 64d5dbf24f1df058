"""Who may do what in a priority round: every role × every round state."""

from __future__ import annotations

import pytest

from leitwerk.municipalities.rules import forget_memberships
from leitwerk.priorities.models import RoundStatus
from leitwerk.priorities.tests.factories import PriorityRoundFactory, RoundParticipantFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "strategy_user",
    "admin_user",
    "unit_editor",
    "project_lead",
    "council_member",
    "viewer",
    "other_town_admin",
]
MANAGERS = {"strategy_user", "admin_user"}
MEMBERS = set(PERSONAS) - {"other_town_admin"}


def allowed(request, persona, perm, obj):
    user = request.getfixturevalue(persona)
    forget_memberships(user)
    return user.has_perm(perm, obj)


@pytest.mark.parametrize("status", list(RoundStatus))
@pytest.mark.parametrize("persona", PERSONAS)
def test_round_permissions(request, musterstadt, council_body, editor_unit, persona, status):
    round = PriorityRoundFactory(municipality=musterstadt, status=status)
    body_participant = RoundParticipantFactory(round=round, body=council_body)
    unit_participant = RoundParticipantFactory(round=round, body=None, unit=editor_unit)
    manager = persona in MANAGERS
    is_open = status == RoundStatus.OPEN

    assert allowed(request, persona, "priorities.view_round", round) is (persona in MEMBERS)
    assert allowed(request, persona, "priorities.manage_round", round) is manager
    assert allowed(request, persona, "priorities.aggregate_round", round) is (
        manager and status != RoundStatus.ADOPTED
    )
    assert allowed(request, persona, "priorities.adopt_round", round) is (
        manager and status == RoundStatus.CLOSED
    )
    assert allowed(request, persona, "priorities.change_priority", round) is (
        manager and status == RoundStatus.ADOPTED
    )
    # Council members vote for their body, unit editors for their unit; the strategy office
    # may transcribe a ballot. Nobody votes once the round is closed.
    assert allowed(request, persona, "priorities.submit_ballot", body_participant) is (
        is_open and (manager or persona == "council_member")
    )
    assert allowed(request, persona, "priorities.submit_ballot", unit_participant) is (
        is_open and (manager or persona == "unit_editor")
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_municipality_level_permissions(request, musterstadt, persona):
    manager = persona in MANAGERS
    member = persona in MEMBERS
    for perm in ("view_decisions", "view_balance", "view_resources"):
        assert allowed(request, persona, f"priorities.{perm}", musterstadt) is member
    for perm in ("record_decision", "manage_balance"):
        assert allowed(request, persona, f"priorities.{perm}", musterstadt) is manager


@pytest.mark.parametrize("persona", PERSONAS)
def test_obstacle_permissions(request, musterstadt, persona):
    recorder = persona in {"strategy_user", "admin_user", "unit_editor"}
    assert allowed(request, persona, "obstacles.view_obstacle", musterstadt) is (persona in MEMBERS)
    assert allowed(request, persona, "obstacles.record_obstacle", musterstadt) is recorder
    assert allowed(request, persona, "obstacles.rate_obstacle", musterstadt) is recorder


def test_a_council_member_of_another_body_may_not_vote(musterstadt, council_member):
    round = PriorityRoundFactory(municipality=musterstadt, status=RoundStatus.OPEN)
    other_body = RoundParticipantFactory(round=round)  # a fresh body of Musterstadt
    assert not council_member.has_perm("priorities.submit_ballot", other_body)


def test_anonymous_people_speak_for_no_body(musterstadt, council_body):
    from django.contrib.auth.models import AnonymousUser

    from leitwerk.priorities.rules import speaks_for_participant

    round = PriorityRoundFactory(municipality=musterstadt, status=RoundStatus.OPEN)
    participant = RoundParticipantFactory(round=round, body=council_body)
    assert not speaks_for_participant(AnonymousUser(), participant)


def test_a_participant_without_body_or_unit_has_nobody_speaking_for_it(
    request, musterstadt, council_member
):
    from leitwerk.priorities.models import RoundParticipant

    round = PriorityRoundFactory(municipality=musterstadt, status=RoundStatus.OPEN)
    # Not storable (a participant is a body or a unit); the rule must still say no.
    orphan = RoundParticipant(municipality=musterstadt, round=round)
    assert not allowed(request, "council_member", "priorities.submit_ballot", orphan)
