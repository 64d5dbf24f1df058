"""Who may do what in priority rounds.

Strategy office and admins run rounds (create, aggregate, adopt, change, record decisions).
A ballot is submitted by the participant itself: a council member for the body they sit in,
a unit editor for their unit. The strategy office may also enter a ballot on a participant's
behalf, because bodies often decide in a meeting and the office transcribes the result; the
ballot records who entered it. Everybody in the municipality reads.
"""

from __future__ import annotations

from typing import Any

import rules

from leitwerk.municipalities.models import Membership, Role
from leitwerk.municipalities.rules import (
    is_member,
    is_strategy_or_admin,
    memberships_of,
    municipality_id_of,
)

from .models import RoundStatus

_BODY_CACHE_ATTR = "_leitwerk_council_bodies"


def council_body_ids(user: Any, municipality_id: int | None) -> set[int]:
    """Bodies the person sits in as council member, cached on the user like memberships."""
    if not getattr(user, "is_authenticated", False) or municipality_id is None:
        return set()
    cache: dict[int, set[int]] = getattr(user, _BODY_CACHE_ATTR, None) or {}
    if municipality_id not in cache:
        cache[municipality_id] = set(
            Membership.objects.filter(
                user=user, municipality_id=municipality_id, role=Role.COUNCIL, body__isnull=False
            ).values_list("body_id", flat=True)
        )
        setattr(user, _BODY_CACHE_ATTR, cache)
    return cache[municipality_id]


def _round_of(obj: Any) -> Any:
    return getattr(obj, "round", obj)


@rules.predicate
def round_is_open(user: Any, obj: Any) -> bool:
    return getattr(_round_of(obj), "status", None) == RoundStatus.OPEN


@rules.predicate
def round_is_closed(user: Any, obj: Any) -> bool:
    return getattr(_round_of(obj), "status", None) == RoundStatus.CLOSED


@rules.predicate
def round_is_adopted(user: Any, obj: Any) -> bool:
    return getattr(_round_of(obj), "status", None) == RoundStatus.ADOPTED


@rules.predicate
def speaks_for_participant(user: Any, participant: Any) -> bool:
    """Council member of the participant body, or unit editor of the participant unit."""
    municipality_id = municipality_id_of(participant)
    body_id = getattr(participant, "body_id", None)
    unit_id = getattr(participant, "unit_id", None)
    if body_id is not None:
        return body_id in council_body_ids(user, municipality_id)
    if unit_id is not None:
        return any(
            m_id == municipality_id and role == Role.UNIT_EDITOR and unit == unit_id
            for m_id, role, unit in memberships_of(user)
        )
    return False


rules.add_perm("priorities.view_round", is_member)
rules.add_perm("priorities.manage_round", is_strategy_or_admin)
# obj: RoundParticipant
rules.add_perm(
    "priorities.submit_ballot", round_is_open & (speaks_for_participant | is_strategy_or_admin)
)
# obj: PriorityRound
rules.add_perm(
    "priorities.aggregate_round", is_strategy_or_admin & (round_is_open | round_is_closed)
)
rules.add_perm("priorities.adopt_round", is_strategy_or_admin & round_is_closed)
rules.add_perm("priorities.change_priority", is_strategy_or_admin & round_is_adopted)
# obj: Municipality
rules.add_perm("priorities.view_decisions", is_member)
rules.add_perm("priorities.record_decision", is_strategy_or_admin)
# obj: Municipality or Decision
rules.add_perm("priorities.publish_decision", is_strategy_or_admin)
rules.add_perm("priorities.view_balance", is_member)
rules.add_perm("priorities.manage_balance", is_strategy_or_admin)
# obj: Initiative of an Amt
rules.add_perm("priorities.set_beneficiaries", is_strategy_or_admin)
rules.add_perm("priorities.view_resources", is_member)
