"""Who may bring documents into a municipality: the strategy office and tenant admins."""

from __future__ import annotations

import rules

from leitwerk.municipalities.rules import is_strategy_or_admin

rules.add_perm("imports.run_import", is_strategy_or_admin)
