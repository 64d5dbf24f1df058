"""The start page rolls up every Vorhaben of the town (audit 2, L2: 30,000 Vorhaben took 4.2 s):
its queries do not grow with the number of Vorhaben, and the roll-up is kept until the next
change instead of being computed on every visit."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leitwerk.core.audit import audit
from leitwerk.core.tests.querycount import assert_constant_queries
from leitwerk.plans.models import PlanStatus
from leitwerk.plans.tests.factories import ActionFieldFactory, ActionPlanFactory, InitiativeFactory


def _adopted_plan(municipality):
    plan = ActionPlanFactory(municipality=municipality, status=PlanStatus.ADOPTED, title="Klima")
    return ActionFieldFactory(municipality=municipality, plan=plan, code="A", order=1)


def _add(field, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        InitiativeFactory(municipality=field.municipality, action_field=field, number=str(n))


def test_the_start_page_queries_do_not_grow_with_the_number_of_vorhaben(
    viewer, musterstadt, client_for
):
    field = _adopted_plan(musterstadt)
    _add(field, 3)
    client = client_for(viewer)
    assert_constant_queries(lambda: client.get(reverse("home")), lambda: _add(field, 60, 3))
    assert "63 Vorhaben" in client.get(reverse("home")).content.decode()


def test_the_roll_up_is_kept_until_something_changes(viewer, musterstadt, client_for):
    field = _adopted_plan(musterstadt)
    _add(field, 3)
    audit(actor=None, action="test.setup", municipality=musterstadt)
    client = client_for(viewer)
    first = client.get(reverse("home")).content.decode()
    assert "3 Vorhaben" in first
    with CaptureQueriesContext(connection) as kept:
        again = client.get(reverse("home")).content.decode()
    assert again.count("3 Vorhaben") == first.count("3 Vorhaben")
    assert not any("plans_initiative" in q["sql"] for q in kept.captured_queries)
    # An audited change (every service writes one) shows at once.
    _add(field, 2, 3)
    audit(actor=None, action="test.change", municipality=musterstadt)
    assert "5 Vorhaben" in client.get(reverse("home")).content.decode()
