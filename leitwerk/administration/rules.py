"""Who sets up a municipality: its admins (people, organisation, the first-run checklist)."""

from __future__ import annotations

import rules

from leitwerk.municipalities.rules import is_admin

rules.add_perm("administration.set_up", is_admin)
