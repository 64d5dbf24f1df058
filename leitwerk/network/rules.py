"""Who may do what in the network stage.

Reading shared content is open to every member of a municipality in the network (that is the
point of sharing). Sharing a Vorhaben is up to whoever may report on it; benchmark opt-ins and
values speak for the whole municipality, so only strategy and admin give them. Contacting
another municipality or recording a transfer is work, not reading: not for viewers or council.
"""

from __future__ import annotations

import rules

from leitwerk.municipalities.models import Role
from leitwerk.municipalities.rules import (
    has_role,
    is_member,
    is_project_lead_of,
    is_strategy_or_admin,
    is_unit_editor_of,
)

is_staff_worker = has_role(Role.ADMIN, Role.STRATEGY, Role.UNIT_EDITOR, Role.PROJECT_LEAD)

rules.add_perm("network.view_network", is_member)
rules.add_perm(
    "network.share_initiative", is_strategy_or_admin | is_unit_editor_of | is_project_lead_of
)
rules.add_perm("network.manage_benchmarks", is_strategy_or_admin)
rules.add_perm("network.request_transfer", is_staff_worker)
rules.add_perm("network.record_transfer", is_staff_worker)
