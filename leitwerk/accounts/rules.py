"""Who may manage the people of a municipality: its admins ("Personen & Rollen")."""

from __future__ import annotations

import rules

from leitwerk.municipalities.rules import is_admin

rules.add_perm("accounts.manage_people", is_admin)
