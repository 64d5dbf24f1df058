"""`leitwerk demo` fills every table, varies health states and refuses to run twice.

The demo takes seconds to write, so it is loaded once per module (and xdist worker) inside a
transaction that is rolled back at the end; each test runs in a savepoint within it, so what a
test writes is undone before the next one. Tests that load the demo themselves (with another
date, or through the command) are in test_demo_command.py, on an empty database.
"""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, RequestFactory

from leitwerk.devdata.demo import DEMO_LOGINS, DEMO_PASSWORD, DemoAlreadyLoaded, demo_load
from leitwerk.municipalities.models import Membership, Municipality, MunicipalityKind
from leitwerk.plans.models import Initiative, Milestone, StatusReport

TODAY = dt.date(2026, 11, 22)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_load(today=TODAY)
        transaction.set_rollback(True)


def _leitwerk_models():
    for config in apps.get_app_configs():
        if not config.name.startswith("leitwerk."):
            continue
        for model in config.get_models():
            # simple_history's shadow tables fill themselves; they are not demo content.
            if model.__name__.startswith("Historical"):
                continue
            yield model


def _counts():
    return {model._meta.label: model._default_manager.count() for model in _leitwerk_models()}


def test_both_municipalities_and_the_amt_members(demo):
    stadt = Municipality.objects.get(slug="musterstadt")
    assert stadt.kind == MunicipalityKind.STADT
    assert re.fullmatch(r"\d{8}", stadt.ags)
    amt = Municipality.objects.get(slug="amt-musterland", kind=MunicipalityKind.AMT)
    members = amt.members.all()
    assert members.count() == 3
    assert {m.kind for m in members} == {MunicipalityKind.GEMEINDE}
    assert len({m.population for m in members}) == 3


def test_every_model_has_rows(demo):
    # No exclusions: the demo also writes an ImportRun and audit entries on purpose.
    empty = [label for label, count in _counts().items() if count == 0]
    assert empty == [], empty


def test_every_row_passes_full_clean(demo):
    for model in _leitwerk_models():
        for row in model._default_manager.all():
            row.full_clean()


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda login: login.email)
def test_every_demo_login_authenticates(demo, login):
    # django-axes (first backend) needs the request to count failures per address.
    request = RequestFactory().post("/konto/anmelden/")
    user = authenticate(request, email=login.email, password=DEMO_PASSWORD)
    assert user is not None
    if login.role == "superuser":
        assert user.is_superuser
    else:
        assert Membership.objects.filter(
            user=user, municipality__slug=login.municipality, role=login.role
        ).exists()


def test_logins_table_lists_every_login():
    text = (Path(__file__).resolve().parents[1] / "LOGINS.md").read_text(encoding="utf-8")
    assert DEMO_PASSWORD in text
    for login in DEMO_LOGINS:
        assert f"`{login.email}`" in text


def test_roles_are_bound_where_they_need_to_be(demo):
    editor = Membership.objects.get(user__email="fb-leitung@musterstadt.example")
    assert editor.unit is not None
    council = Membership.objects.get(user__email="rat@musterstadt.example")
    assert council.body.kind == "rat"
    lead = Initiative.objects.get(responsible_people__email="projekt@musterstadt.example")
    assert lead.municipality.slug == "musterstadt"


def test_health_states_are_varied(demo):
    stadt = Municipality.objects.get(slug="musterstadt")
    overdue = [m for m in Milestone.objects.filter(municipality=stadt) if m.is_overdue(TODAY)]
    assert len({m.initiative_id for m in overdue}) >= 2
    assert Milestone.objects.filter(municipality=stadt, done_on__isnull=False).exists()
    assert Milestone.objects.filter(municipality=stadt, due_date__gt=TODAY).exists()

    interval = dt.timedelta(days=90)
    active = Initiative.objects.filter(municipality=stadt, status="active")
    stale = [
        i for i in active if max(r.reported_on for r in i.status_reports.all()) < TODAY - interval
    ]
    assert stale, "one active Vorhaben should be without a current status report"
    healths = set(StatusReport.objects.filter(municipality=stadt).values_list("health", flat=True))
    assert {"on_track", "at_risk", "off_track", "done"} <= healths
    assert Initiative.objects.filter(municipality=stadt, status_reports__isnull=True).exists()


def test_amt_initiatives_name_affected_members(demo):
    amt = Municipality.objects.get(slug="amt-musterland")
    initiatives = Initiative.objects.filter(municipality=amt)
    assert initiatives.exists()
    for initiative in initiatives:
        affected = initiative.affected_municipalities.all()
        assert affected.exists()
        assert all(m.parent_id == amt.pk for m in affected)


def test_second_run_fails_and_changes_nothing(demo):
    before = _counts()
    with pytest.raises(DemoAlreadyLoaded):
        demo_load(today=TODAY)
    err = StringIO()
    with pytest.raises(CommandError, match="bereits geladen"):
        call_command("demo", stderr=err)
    assert _counts() == before


def test_demo_user_can_sign_in_with_a_client(demo):
    client = Client()
    request = RequestFactory().post("/konto/anmelden/")
    assert client.login(
        request=request, email="strategie@musterstadt.example", password=DEMO_PASSWORD
    )


def test_amt_round_is_adopted_as_the_services_would_leave_it(demo):
    from leitwerk.priorities.models import Decision, PriorityRound, RoundStatus

    round = PriorityRound.objects.get(municipality__slug="amt-musterland")
    assert round.status == RoundStatus.ADOPTED and round.decision_reference
    items = list(round.items.order_by("rank").values_list("initiative_id", "rank"))
    version = round.versions.get()
    assert version.number == 1
    assert [(e["initiative"], e["rank"]) for e in version.entries] == items
    decision = Decision.objects.get(priority_round=round)
    assert decision.reference == round.decision_reference
    assert decision.decided_on == round.adopted_on
    # The stored list is what the ballots give by the round's method.
    assert round.ballots.count() == 3
    assert sorted(round.candidates.values_list("pk", flat=True)) == sorted(i for i, _ in items)


def test_amt_vorhaben_carry_budgets_and_cost_shares_add_up(demo):
    from decimal import Decimal

    amt = Municipality.objects.get(slug="amt-musterland")
    initiatives = Initiative.objects.filter(municipality=amt)
    assert all(i.budget_eur for i in initiatives)
    charged = [i for i in initiatives if i.cost_shares.exists()]
    assert charged
    for initiative in charged:
        assert sum(c.share_percent for c in initiative.cost_shares.all()) == Decimal(100)
