"""Who may read and edit the Produkthaushalt.

Leitwerk has no finance role (municipalities.Role): every member reads the product budget, its
goals and key figures (it is a public document once adopted); the strategy office and tenant
admins import it and edit its links, standing in for the Kämmerei (docs/permissions.yaml).
"""

from __future__ import annotations

import rules

from leitwerk.municipalities.rules import is_member, is_strategy_or_admin

rules.add_perm("budget.view_budget", is_member)
rules.add_perm("budget.change_budget", is_strategy_or_admin)
