"""Demo data for Leitwerk: Musterstadt, Amt Musterland and a small network.

`demo_load()` writes everything in one transaction. All content is invented for the demo.
Dates are computed from `today`, so milestones are overdue, current or in the future and
one Vorhaben is without a current status report whenever the demo is loaded.

One module per story, each with its texts and specs as data beside it:

- base.py – logins, password, the row helpers (`make`, `Tenant`), municipalities and users
- musterstadt.py (+ musterstadt_data.py, musterstadt_feedback.py) – the Stadt
- amt.py (+ amt_data.py) – Amt Musterland and its three member municipalities
- network.py – the peers Beispielhausen and Probstadt and the network with its corpus
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from leitwerk.accounts.models import User
from leitwerk.api.services import api_token_create
from leitwerk.core.audit import audit
from leitwerk.municipalities.models import Municipality
from leitwerk.network.models import Network
from leitwerk.plans.models import ActionPlan
from leitwerk.plans.services import plan_release

from ..demo_budget import build_budget
from ..demo_council import build_council
from ..demo_portal import build_portal_extras
from ..demo_reports import build_report_extras
from .amt import build_amt
from .base import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEMO_SLUGS,
    NETWORK_SLUG,
    SUPERUSER_EMAIL,
    DemoAlreadyLoaded,
    DemoLogin,
    DemoSummary,
    create_municipalities,
    create_users,
    demo_totp,
)
from .musterstadt import build_musterstadt
from .network import build_network, build_peers

# The name the account tests import (leitwerk/accounts/tests/test_b5_second_factor.py).
_demo_totp = demo_totp

__all__ = [
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "DEMO_SLUGS",
    "NETWORK_SLUG",
    "SUPERUSER_EMAIL",
    "DemoAlreadyLoaded",
    "DemoLogin",
    "DemoSummary",
    "demo_already_loaded",
    "demo_load",
    "demo_totp",
]


def demo_already_loaded() -> bool:
    return (
        Municipality.objects.filter(slug__in=DEMO_SLUGS).exists()
        or Network.objects.filter(slug=NETWORK_SLUG).exists()
        or User.objects.filter(email__in=[login.email for login in DEMO_LOGINS]).exists()
    )


@transaction.atomic
def demo_load(*, today: dt.date | None = None) -> DemoSummary:
    """Write the whole demo, or nothing: raises DemoAlreadyLoaded if any part exists."""
    today = today or dt.date.today()  # noqa: DTZ011 - demo dates follow the local calendar
    if demo_already_loaded():
        raise DemoAlreadyLoaded
    municipalities = create_municipalities()
    users = create_users()
    members = {slug: municipalities[slug] for slug in ("seedorf", "lindenau", "birkenfelde")}
    build_musterstadt(municipalities["musterstadt"], today, users)
    build_budget(municipalities["musterstadt"], today)
    build_peers(municipalities, today)
    build_amt(municipalities["amt-musterland"], today, users, members)
    build_network(municipalities, users, today)
    build_portal_extras(municipalities["musterstadt"], today)
    build_report_extras(municipalities["musterstadt"], today)
    build_council(municipalities["musterstadt"], today)
    # The portal shows released content only: release what the demo publishes.
    for plan in ActionPlan.objects.filter(municipality__in=list(municipalities.values())).order_by(
        "pk"
    ):
        plan_release(plan=plan, actor=None, today=today)
    # One API token (leitwerk/api): its plaintext is not kept; `leitwerk token create` makes
    # a usable one (docs/API.md).

    api_token_create(
        user=users["strategie@musterstadt.example"],
        municipality=municipalities["musterstadt"],
        name="Demo: Fachverfahren Statistik",
    )
    for slug in ("musterstadt", "amt-musterland"):
        audit(
            actor=None,
            action="demo.loaded",
            municipality=municipalities[slug],
            data={"today": today.isoformat()},
        )
    return DemoSummary(
        municipalities=[municipalities[slug].name for slug in ("musterstadt", "amt-musterland")],
        logins=[login.email for login in DEMO_LOGINS],
    )
