"""Who may read and edit action plans and Vorhaben.

Reading is deliberately broad inside the administration (transparency is the point of the
plan). Editing:
- the strategy office and tenant admins edit everything, also in archived plans (corrections);
- unit editors edit the Vorhaben their unit leads, with all its parts;
- project leads edit the Vorhaben they are named responsible for, with all its parts, and
  record measurements and status reports;
- council members and viewers read.
Publishing belongs to the strategy office and admins (security audit 2, L3): whether a
Vorhaben is public, its weight in the roll-up and its budget, and the release of a plan or
Vorhaben to the portal (Freigabe). Project leads and unit editors propose changes to the
other fields; the portal shows them only after a release.
A Vorhaben of an archived plan is closed: only the strategy office and admins change it.
Rules for parts of a Vorhaben (milestones, indicators, attachments) are checked against
the Vorhaben itself. An indicator of a goal (the one indicator owner: Vorhaben or goal) is
edited and measured by the roles that may edit the goal (`goals.change_goal`).
"""

from __future__ import annotations

from typing import Any

import rules

from leitwerk.municipalities.rules import (
    is_member,
    is_project_lead_of,
    is_strategy_or_admin,
    is_unit_editor_of,
)

from .models import PlanStatus


@rules.predicate
def in_archived_plan(user: Any, obj: Any) -> bool:
    """The Vorhaben belongs to an archived plan (uses a select_related plan when present)."""
    action_field = getattr(obj, "action_field", None)
    plan = getattr(action_field, "plan", None)
    return plan is not None and plan.status == PlanStatus.ARCHIVED


is_initiative_owner = is_unit_editor_of | is_project_lead_of

rules.add_perm("plans.view_plan", is_member)
rules.add_perm("plans.view_initiative", is_member)
rules.add_perm(
    "plans.report_on_initiative", is_strategy_or_admin | is_unit_editor_of | is_project_lead_of
)
# Plans, action fields, creating and deleting Vorhaben: the strategy office steers the plan.
rules.add_perm("plans.change_plan", is_strategy_or_admin)
rules.add_perm("plans.add_initiative", is_strategy_or_admin)
rules.add_perm("plans.delete_initiative", is_strategy_or_admin)
rules.add_perm(
    "plans.change_initiative", is_strategy_or_admin | (~in_archived_plan & is_initiative_owner)
)
rules.add_perm(
    "plans.record_progress", is_strategy_or_admin | (~in_archived_plan & is_initiative_owner)
)
rules.add_perm("plans.view_attachment", is_member)


# Indicators belong to a Vorhaben or to a goal; the owner's rule decides.
@rules.predicate
def may_change_indicator(user: Any, indicator: Any) -> bool:
    """Edit or delete the indicator: as for its Vorhaben, or as for its goal."""
    if indicator.initiative_id is not None:
        return bool(user.has_perm("plans.change_initiative", indicator.initiative))
    return bool(user.has_perm("goals.change_goal", indicator.goal))


@rules.predicate
def may_measure_indicator(user: Any, indicator: Any) -> bool:
    """Record, correct or delete values: who reports on the Vorhaben, or edits the goal."""
    if indicator.initiative_id is not None:
        return bool(user.has_perm("plans.record_progress", indicator.initiative))
    return bool(user.has_perm("goals.change_goal", indicator.goal))


rules.add_perm("plans.change_indicator", may_change_indicator)
rules.add_perm("plans.record_measurement", may_measure_indicator)


# Public or not, weight and budget of a Vorhaben; releasing to the portal (L3).
rules.add_perm("plans.steer_initiative", is_strategy_or_admin)
rules.add_perm("plans.release_plan", is_strategy_or_admin)
rules.add_perm("plans.release_initiative", is_strategy_or_admin)
