"""Every API route × method, asked by a Musterstadt token for Fremdstadt's rows: 404, nothing
changes, no canary in any answer (catalogue A1, A2). Routes come from the resolver, so a new
endpoint is covered the moment it is registered."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leitwerk.core.models import AuditLogEntry
from leitwerk.municipalities.models import Role
from leitwerk.municipalities.tests.factories import MembershipFactory
from leitwerk.plans.models import Initiative, Measurement, Milestone, StatusReport
from leitwerk.testing import api_routes
from leitwerk.testing.routes import CANARY, OWN_TAG

pytestmark = pytest.mark.django_db

# Not data endpoints: the schema and its documentation are public by design, the root lists
# links only, `not_found` answers 404 to everything.
NOT_DATA = {"api:schema", "api:docs", "api:root", "api:not_found"}


def _state():
    return (
        Measurement.objects.count(),
        StatusReport.objects.count(),
        AuditLogEntry.objects.exclude(action="api_token.create").count(),
        sorted(
            (type(row).__name__, row.pk, row.version, getattr(row, "status", ""))
            for model in (Initiative, Milestone)
            for row in model.objects.all()
        ),
    )


def test_the_walk_finds_the_api(worlds):
    names = {name for name, _callback in api_routes.routes()}
    assert {"api:initiative-list", "api:initiative-detail", "api:indicator-measurements"} <= names


def test_foreign_rows_answer_404_for_every_route_and_method_and_nothing_changes(
    worlds, token_client, strategy_user, musterstadt
):
    own, other = worlds
    # A strategy-office token: the widest rights inside its own municipality.
    MembershipFactory(user=strategy_user, municipality=musterstadt, role=Role.ADMIN)
    client = token_client(strategy_user, musterstadt)
    problems = []
    checked = 0
    for name, callback in api_routes.routes():
        if name in NOT_DATA:
            continue
        methods = api_routes.methods(callback)
        if name.endswith("-list"):
            response = client.get(reverse(name))
            checked += 1
            text = response.content.decode()
            if response.status_code != 200 or OWN_TAG not in text and "results" not in text:
                problems.append(f"{name}: own list answered {response.status_code}")
            if CANARY in text:
                problems.append(f"{name}: list shows a row of Fremdstadt")
            continue
        foreign = reverse(name, kwargs={"pk": api_routes.row(other, name).pk})
        own_url = reverse(name, kwargs={"pk": api_routes.row(own, name).pk})
        if "GET" in methods and client.get(own_url).status_code != 200:
            problems.append(f"{own_url}: own row not readable")
        for method in methods:
            before = _state()
            response = getattr(client, method.lower())(
                foreign, api_routes.BODIES.get(method), format="json"
            )
            checked += 1
            if response.status_code != 404:
                problems.append(f"{method} {foreign}: answered {response.status_code}")
            if CANARY in response.content.decode():
                problems.append(f"{method} {foreign}: shows a row of Fremdstadt")
            if _state() != before:
                problems.append(f"{method} {foreign}: changed data")
    assert checked >= 35  # 15 lists, 15 detail reads, 5 writes
    assert not problems, "\n".join(problems)


def test_without_a_token_every_data_route_answers_401(worlds, client):
    own, _other = worlds
    problems = []
    for name, callback in api_routes.routes():
        if name in NOT_DATA:
            continue
        kwargs = {} if name.endswith("-list") else {"pk": api_routes.row(own, name).pk}
        for method in api_routes.methods(callback):
            response = getattr(client, method.lower())(
                reverse(name, kwargs=kwargs),
                api_routes.BODIES.get(method),
                content_type="application/json",
            )
            if response.status_code != 401 or OWN_TAG in response.content.decode():
                problems.append(f"{method} {name}: answered {response.status_code}")
    assert not problems, "\n".join(problems)
