"""A priority round scene in Musterstadt: four Vorhaben, three bodies, a council member each."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.municipalities.models import BodyKind, Role
from leitwerk.municipalities.tests.factories import BodyFactory, MembershipFactory
from leitwerk.plans.tests.factories import ActionFieldFactory, InitiativeFactory


@dataclass
class Scene:
    initiatives: dict[str, object]  # "A".."D", in action-plan order
    bodies: list[object]  # Rat, Hauptausschuss, Verwaltungsvorstand
    voters: list[object]  # one council member per body


@pytest.fixture
def scene(musterstadt, council_body, council_member):
    field = ActionFieldFactory(municipality=musterstadt, order=1)
    initiatives = {
        letter: InitiativeFactory(
            municipality=musterstadt,
            action_field=field,
            number=f"1.{i}",
            title=f"Vorhaben {letter}",
            order=i,
        )
        for i, letter in enumerate("ABCD", start=1)
    }
    committee = BodyFactory(
        municipality=musterstadt, name="Hauptausschuss", kind=BodyKind.AUSSCHUSS
    )
    board = BodyFactory(
        municipality=musterstadt, name="Verwaltungsvorstand", kind=BodyKind.VERWALTUNGSVORSTAND
    )
    voters = [council_member]
    for body, email in ((committee, "ausschuss@musterstadt.test"), (board, "vv@musterstadt.test")):
        user = UserFactory(email=email)
        MembershipFactory(user=user, municipality=musterstadt, role=Role.COUNCIL, body=body)
        voters.append(user)
    return Scene(initiatives=initiatives, bodies=[council_body, committee, board], voters=voters)


# The three ballots of the end-to-end scenario, by letter (missing letters are unranked):
#   Rat:                 A 1, B 2, C 3, D 4            (complete)
#   Hauptausschuss:      A 1, B 2, C 3, D 3            (C and D tied)
#   Verwaltungsvorstand: B 1, C 2, D 3                 (A not ranked: shares the bottom)
# Borda (n = 4): Rat A3 B2 C1 D0; Ausschuss A3 B2 C½ D½; Vorstand B3 C2 D1 A0
#   → A 6, B 7, C 3½, D 1½: order B, A, C, D.
# Schulze: A beats B 2:1, C 2:1, D 2:1 (Condorcet winner); B beats C and D 3:0; C beats D 2:0
#   → order A, B, C, D. The two methods differ on purpose: the page must say so.
BALLOTS = [
    {"A": 1, "B": 2, "C": 3, "D": 4},
    {"A": 1, "B": 2, "C": 3, "D": 3},
    {"B": 1, "C": 2, "D": 3},
]
EXPECTED = {"borda": ["B", "A", "C", "D"], "schulze": ["A", "B", "C", "D"]}
