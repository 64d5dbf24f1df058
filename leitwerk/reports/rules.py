"""Who may read and create reports.

Reports are council papers: the strategy office and tenant admins prepare them; council
members and read-only staff read them. Unit editors and project leads see their Vorhaben in
the workspace but not the assembled council papers before they are released by the strategy
office, so they are left out on purpose.
"""

from __future__ import annotations

import rules

from leitwerk.municipalities.models import Role
from leitwerk.municipalities.rules import has_role, is_strategy_or_admin

may_read_reports = has_role(Role.ADMIN, Role.STRATEGY, Role.COUNCIL, Role.VIEWER)

rules.add_perm("reports.view_report", may_read_reports)
rules.add_perm("reports.add_report", is_strategy_or_admin)
