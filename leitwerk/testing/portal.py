"""Release plans to the portal in tests: the portal shows released data only (plans/release.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from leitwerk.plans.models import ActionPlan
from leitwerk.plans.services import plan_release


def release_plans(*municipalities: Any, today: dt.date | None = None) -> None:
    """Release every plan of these municipalities, as the strategy office would."""
    for municipality in municipalities:
        for plan in ActionPlan.objects.filter(municipality=municipality).order_by("pk"):
            plan_release(plan=plan, actor=None, today=today)
