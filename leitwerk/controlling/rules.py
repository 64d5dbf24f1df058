"""Who may use the controlling cockpit.

Everyone of the municipality reads the dashboard, the alignment and the search (steering is
transparent inside the administration). Commenting and asking for feedback is open to every
role except plain readers: council members comment, they do not edit. Bulk updates are for
the roles that report on Vorhaben; each row is checked again against the Vorhaben itself.
"""

from __future__ import annotations

import rules

from leitwerk.municipalities.models import Role
from leitwerk.municipalities.rules import has_role, is_member, is_strategy_or_admin

rules.add_perm("controlling.view_dashboard", is_member)
rules.add_perm(
    "controlling.comment",
    has_role(Role.ADMIN, Role.STRATEGY, Role.UNIT_EDITOR, Role.PROJECT_LEAD, Role.COUNCIL),
)
rules.add_perm(
    "controlling.bulk_update",
    has_role(Role.ADMIN, Role.STRATEGY, Role.UNIT_EDITOR, Role.PROJECT_LEAD),
)

# The reporting rhythm and its reminders are set, and their log read, by the office that
# steers the reporting (who was reminded when is about people, not for every member).
rules.add_perm("controlling.manage_reminders", is_strategy_or_admin)
