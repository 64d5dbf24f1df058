"""Who may read guideline documents: every member of the municipality (the Leitbild is shared)."""

from __future__ import annotations

import rules

from leitwerk.core.rules import is_member

rules.add_perm("guidelines.view_guideline", is_member)
