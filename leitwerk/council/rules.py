"""Who may read decisions, keep their follow-up and set up the RIS sync.

Everyone of the municipality reads the decisions and the Beschlusskontrolle (it is presented
to the council as an information paper anyway). The strategy office and the admin keep it:
enter decisions, put them under follow-up, set up the RIS. The editors of the responsible
unit report the state of their own unit's follow-ups, like they report on their Vorhaben.
"""

from __future__ import annotations

import rules

from leitwerk.municipalities.rules import is_member, is_strategy_or_admin, is_unit_editor_of

rules.add_perm("council.view_decision", is_member)
rules.add_perm("council.add_decision", is_strategy_or_admin)
rules.add_perm("council.manage_ris", is_strategy_or_admin)
# On a DecisionFollowUp (its `unit` is the responsible unit).
rules.add_perm("council.change_followup", is_strategy_or_admin | is_unit_editor_of)
