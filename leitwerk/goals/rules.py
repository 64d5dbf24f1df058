"""Who may read goal fields and goals: every member of the municipality."""

from __future__ import annotations

import rules

from leitwerk.core.rules import is_member

rules.add_perm("goals.view_goal", is_member)
