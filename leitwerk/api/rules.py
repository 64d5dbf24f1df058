"""Who may hold API tokens: every member, acting with their own roles (never more)."""

from __future__ import annotations

import rules

from leitwerk.municipalities.rules import is_member

rules.add_perm("api.manage_own_tokens", is_member)
