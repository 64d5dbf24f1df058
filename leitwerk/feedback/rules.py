"""Who may do what with surveys and suggestions.

Results are readable by every member: they only ever show figures that passed the minimum
group size. Free text, the survey builder, codes and the suggestion inbox are for the
strategy office and admins; unit editors handle the suggestions routed to their unit.
Nobody may see who took part: there is no permission for it because there is no such data.
"""

from __future__ import annotations

import rules

from leitwerk.municipalities.models import Role
from leitwerk.municipalities.rules import (
    has_role,
    is_member,
    is_strategy_or_admin,
    is_unit_editor_of,
)

rules.add_perm("feedback.view_surveys", is_member)
rules.add_perm("feedback.view_results", is_member)
rules.add_perm("feedback.view_free_text", is_strategy_or_admin)
rules.add_perm("feedback.manage_surveys", is_strategy_or_admin)
rules.add_perm("feedback.view_suggestions", is_member)
rules.add_perm("feedback.view_all_suggestions", is_strategy_or_admin)
rules.add_perm("feedback.handle_suggestion", is_strategy_or_admin | is_unit_editor_of)
rules.add_perm("feedback.manage_suggestion_indicator", is_strategy_or_admin)
# Team dialogue: the strategy office, or the editor of the unit the item belongs to.
rules.add_perm("feedback.view_discussion_items", is_strategy_or_admin | has_role(Role.UNIT_EDITOR))
rules.add_perm("feedback.handle_discussion_item", is_strategy_or_admin | is_unit_editor_of)
