"""Who may read and edit goal fields and goals.

Every member reads; the strategy office and tenant admins edit goals and their links to
Leitbild statements (goals are the strategy office's translation of the Leitbild).
"""

from __future__ import annotations

import rules

from leitwerk.municipalities.rules import is_member, is_strategy_or_admin

rules.add_perm("goals.view_goal", is_member)
rules.add_perm("goals.change_goal", is_strategy_or_admin)
