"""Obstacles are read by everyone in the municipality and recorded by those who see them:
the strategy office, admins and the editors of units (who meet most obstacles day to day)."""

from __future__ import annotations

import rules

from leitwerk.municipalities.models import Role
from leitwerk.municipalities.rules import has_role, is_member

may_record = has_role(Role.ADMIN, Role.STRATEGY, Role.UNIT_EDITOR)

rules.add_perm("obstacles.view_obstacle", is_member)
rules.add_perm("obstacles.record_obstacle", may_record)
rules.add_perm("obstacles.rate_obstacle", may_record)
