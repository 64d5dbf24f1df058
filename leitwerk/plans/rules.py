"""Who may read action plans and Vorhaben: every member of the municipality.

Reading is deliberately broad inside the administration (transparency is the point of the
plan); editing rules arrive with the forms and build on the same predicates.
"""

from __future__ import annotations

import rules

from leitwerk.core.rules import (
    is_member,
    is_project_lead_of,
    is_strategy_or_admin,
    is_unit_editor_of,
)

rules.add_perm("plans.view_plan", is_member)
rules.add_perm("plans.view_initiative", is_member)
rules.add_perm(
    "plans.report_on_initiative", is_strategy_or_admin | is_unit_editor_of | is_project_lead_of
)
