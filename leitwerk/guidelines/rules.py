"""Who may read and edit guideline documents.

Every member reads (the Leitbild is shared); the strategy office and tenant admins edit it,
because a Leitbild is adopted by the council and changed only on its behalf.
"""

from __future__ import annotations

import rules

from leitwerk.municipalities.rules import is_member, is_strategy_or_admin

rules.add_perm("guidelines.view_guideline", is_member)
rules.add_perm("guidelines.change_guideline", is_strategy_or_admin)
