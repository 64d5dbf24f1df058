"""The run-time tenant guard (A6): during a request, a query without a municipality raises."""

from __future__ import annotations

import pytest
from django.db.models import Exists, Q
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.test import RequestFactory

from leitwerk.core.middleware import TenantGuardMiddleware
from leitwerk.core.scoping import UnscopedTenantQuery, guard_is_on, tenant_guard
from leitwerk.municipalities.tests.factories import MunicipalityFactory
from leitwerk.plans.models import ActionField, ActionPlan, Initiative
from leitwerk.plans.tests.factories import InitiativeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.refuses_unscoped_queries]


@pytest.fixture
def initiative():
    return InitiativeFactory()


@pytest.fixture
def guarded():
    with tenant_guard(on=True):
        yield


@pytest.mark.usefixtures("guarded")
@pytest.mark.parametrize(
    "query",
    [
        lambda m: list(Initiative.objects.all()),
        lambda m: Initiative.objects.filter(pk=1).first(),
        lambda m: Initiative.objects.count(),
        lambda m: Initiative.objects.exists(),
        lambda m: list(Initiative.objects.values_list("pk", flat=True)),
        lambda m: list(Initiative.objects.iterator()),
        lambda m: Initiative.objects.aggregate(n=__import__("django").db.models.Count("pk")),
        lambda m: Initiative.objects.filter(title="x").update(title="y"),
        lambda m: Initiative.objects.filter(title="x").delete(),
        # Not pinned: an OR with an unscoped branch, an exclusion, a filter on ids only.
        lambda m: list(Initiative.objects.filter(Q(municipality=m) | Q(title="x"))),
        lambda m: list(Initiative.objects.exclude(municipality=m)),
        lambda m: list(Initiative.objects.filter(action_field_id__in=[1, 2])),
        # Neither "is" nor "is one of": a range of towns pins nothing.
        lambda m: list(Initiative.objects.filter(municipality_id__gte=m.pk)),
        # A filter on a computed value names no column.
        lambda m: list(Initiative.objects.annotate(t=Lower("title")).filter(t="x")),
        lambda m: list(Initiative.objects.filter(Exists(ActionPlan.objects.filter(pk=1)))),
        lambda m: list(Initiative.objects.filter(Q(municipality=m) ^ Q(title="x"))),
        lambda m: list(
            Initiative.objects.filter(municipality=m)
            .order_by()
            .union(Initiative.objects.filter(pk=1).order_by())
        ),
        # The unit is optional: through a LEFT JOIN rows without a unit are not pinned.
        lambda m: list(Initiative.objects.filter(Q(lead_unit__municipality=m) | Q(title="x"))),
    ],
    ids=[
        "all",
        "get-by-pk",
        "count",
        "exists",
        "values",
        "iterator",
        "aggregate",
        "update",
        "delete",
        "or-branch",
        "exclude",
        "ids-only",
        "range",
        "computed",
        "exists-only",
        "xor",
        "union-with-unscoped",
        "outer-join",
    ],
)
def test_an_unscoped_query_raises_while_the_guard_is_on(initiative, query):
    with pytest.raises(UnscopedTenantQuery, match="plans.Initiative"):
        query(initiative.municipality)


@pytest.mark.usefixtures("guarded")
def test_queries_that_name_the_municipality_pass(initiative):
    m = initiative.municipality
    other = MunicipalityFactory()
    assert list(Initiative.objects.filter(municipality=m)) == [initiative]
    assert Initiative.objects.filter(municipality_id__in=[m.pk, other.pk]).count() == 1
    assert Initiative.objects.filter(municipality__slug=m.slug).exists()
    assert Initiative.objects.filter(action_field__plan__municipality=m).count() == 1
    assert Initiative.objects.filter(Q(municipality=m) & Q(title=initiative.title)).count() == 1
    assert Initiative.objects.filter(Q(municipality=m, status="x") | Q(municipality=m)).count() == 1
    assert Initiative.objects.filter(municipality=other).update(title="y") == 0
    assert Initiative.objects.filter(municipality=other).delete() == (0, {})
    assert list(Initiative.objects.none()) == []
    both = (
        Initiative.objects.filter(municipality=m)
        .order_by()
        .union(Initiative.objects.filter(municipality=m).order_by())
    )
    assert list(both) == [initiative]


@pytest.mark.usefixtures("guarded")
def test_bulk_updates_of_loaded_rows_pass(initiative):
    initiative.title = "Neuer Titel"
    Initiative.objects.bulk_update([initiative], ["title"])
    assert Initiative.objects.filter(municipality=initiative.municipality).get().title == (
        "Neuer Titel"
    )


@pytest.mark.usefixtures("guarded")
def test_rows_reached_from_a_loaded_row_pass(initiative):
    plan = ActionPlan.objects.get(municipality=initiative.municipality)
    assert list(plan.action_fields.all()) == [initiative.action_field]
    fields = list(
        ActionField.objects.filter(municipality=plan.municipality).prefetch_related("initiatives")
    )
    assert list(fields[0].initiatives.all()) == [initiative]
    assert list(Initiative.objects.belonging_to(fields, via="action_field")) == [initiative]
    assert list(Initiative.objects.belonging_to(fields[0], via="action_field")) == [initiative]


@pytest.mark.usefixtures("guarded")
def test_a_deliberate_cross_town_read_says_so(initiative):
    other = InitiativeFactory()
    assert Initiative.objects.across_municipalities().count() == 2
    # The waiver survives chaining, but belongs to that queryset only.
    assert Initiative.objects.across_municipalities().filter(pk=other.pk).exists()
    with pytest.raises(UnscopedTenantQuery):
        Initiative.objects.count()


def test_outside_a_request_the_guard_is_off(initiative):
    assert not guard_is_on()
    assert Initiative.objects.count() == 1


def test_the_middleware_turns_the_guard_on_for_the_request_only(initiative):
    seen = {}

    def view(request):
        seen["on"] = guard_is_on()
        try:
            Initiative.objects.count()
        except UnscopedTenantQuery:
            seen["raised"] = True
        return HttpResponse("ok")

    middleware = TenantGuardMiddleware(view)
    assert middleware(RequestFactory().get("/")).status_code == 200
    assert seen == {"on": True, "raised": True}
    assert not guard_is_on()


def test_an_unscoped_query_in_a_page_is_an_error_page_not_a_leak(client, admin_user, monkeypatch):
    """Through the whole stack: the forgotten filter ends in the plain 500 page."""
    from django.urls import get_resolver

    from leitwerk.plans import selectors

    # Load every view module first: one that imports the selector by name while the patch is
    # active would keep the forgetful version for the rest of the test run.
    assert get_resolver().url_patterns

    def forgetful(**kwargs):
        return list(ActionPlan.objects.all())

    monkeypatch.setattr(selectors, "plan_list_for_user", forgetful)
    client.raise_request_exception = False
    client.force_login(admin_user)
    response = client.get("/arbeitsbereich/plaene/")
    assert response.status_code == 500
    assert b"UnscopedTenantQuery" not in response.content


def test_the_operators_admin_runs_without_the_guard(client, initiative, django_user_model):
    boss = django_user_model.objects.create_superuser(email="root@example.org", password="x-1")
    client.force_login(boss)
    response = client.get("/admin/plans/initiative/")
    assert response.status_code in (200, 302)  # 302: the admin asks for the second factor
    assert response.status_code != 500
