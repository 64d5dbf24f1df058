"""Who may review the plain language of the texts the municipality shows the public.

Everyone who writes such texts: the strategy office and admins (Leitbild, decisions, all
Vorhaben), unit editors and project leads (their Vorhaben). Council members and viewers
only read, so the page is not for them. Reading all public texts is fine for editors:
they are public, or about to be.
"""

from __future__ import annotations

import rules

from leitwerk.municipalities.models import Role
from leitwerk.municipalities.rules import has_role, is_strategy_or_admin

rules.add_perm(
    "portal.review_readability",
    is_strategy_or_admin | has_role(Role.UNIT_EDITOR, Role.PROJECT_LEAD),
)

# The licence on the municipality's open data is a decision of the office that publishes.
rules.add_perm("portal.change_open_data", is_strategy_or_admin)

# The Leichte-Sprache text, the sign-language video, the known barriers of the accessibility
# statement and whether citizens may comment: decisions of the office that publishes.
rules.add_perm("portal.change_portal_settings", is_strategy_or_admin)

# Comments appear only after someone of that office released them.
rules.add_perm("portal.moderate_comments", is_strategy_or_admin)
# Participation opportunities are announced by the office that publishes (as the portal is).
rules.add_perm("portal.change_participation", is_strategy_or_admin)
