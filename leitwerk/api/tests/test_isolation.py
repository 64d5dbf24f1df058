"""Every API route × method, asked by a Musterstadt token for Fremdstadt's rows: 404, nothing
changes, no canary in any answer (catalogue A1, A2). Routes come from the resolver, so a new
endpoint is covered the moment it is registered."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from leitwerk.api.tests.conftest import CANARY, OWN_TAG
from leitwerk.core.models import AuditLogEntry
from leitwerk.municipalities.models import Role
from leitwerk.municipalities.tests.factories import MembershipFactory
from leitwerk.plans.models import Initiative, Measurement, Milestone, StatusReport

pytestmark = pytest.mark.django_db

# Not data endpoints: the schema and its documentation are public by design, the root lists
# links only, `not_found` answers 404 to everything.
NOT_DATA = {"api:schema", "api:docs", "api:root", "api:not_found"}

# Which row of a world a detail route addresses (basename → world attribute).
ROWS = {
    "guideline-document": "guideline",
    "statement": "statement",
    "goal-field": "goal_field",
    "goal": "goal",
    "obstacle": "obstacle",
    "priority-round": "priority_round",
    "action-plan": "plan",
    "action-field": "action_field",
    "initiative": "initiative",
    "milestone": "milestone",
    "indicator": "indicator",
    "measurement": "measurement",
    "survey": "survey",
}


def _api_routes():
    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or namespace
                yield from walk(entry.url_patterns, ns)
            elif isinstance(entry, URLPattern) and namespace == "api":
                yield f"api:{entry.name}", entry.callback

    return sorted(set(walk(get_resolver().url_patterns)), key=lambda r: r[0])


def _methods(callback) -> list[str]:
    actions = getattr(callback, "actions", None) or {}
    return sorted(m.upper() for m in actions)


def _row(world, name: str):
    basename = name.removeprefix("api:")
    for suffix in ("-detail", "-complete", "-measurements", "-status-reports"):
        basename = basename.removesuffix(suffix)
    if basename == "priority-item":
        return world.priority_round.items.get()
    if basename == "status-report":
        return StatusReport.objects.get(initiative=world.initiative)
    return getattr(world, ROWS[basename])


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


BODIES = {
    "PATCH": {"version": 1, "status": "paused", "title": "übernommen"},
    "POST": {
        "version": 1,
        "measured_on": "2026-01-15",
        "value": "1",
        "health": "on_track",
        "text": "übernommen",
        "done_on": "2026-01-15",
    },
}


def test_the_walk_finds_the_api(worlds):
    names = {name for name, _callback in _api_routes()}
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
    for name, callback in _api_routes():
        if name in NOT_DATA:
            continue
        methods = _methods(callback)
        if name.endswith("-list"):
            response = client.get(reverse(name))
            checked += 1
            text = response.content.decode()
            if response.status_code != 200 or OWN_TAG not in text and "results" not in text:
                problems.append(f"{name}: own list answered {response.status_code}")
            if CANARY in text:
                problems.append(f"{name}: list shows a row of Fremdstadt")
            continue
        foreign = reverse(name, kwargs={"pk": _row(other, name).pk})
        own_url = reverse(name, kwargs={"pk": _row(own, name).pk})
        if "GET" in methods and client.get(own_url).status_code != 200:
            problems.append(f"{own_url}: own row not readable")
        for method in methods:
            before = _state()
            response = getattr(client, method.lower())(foreign, BODIES.get(method), format="json")
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
    for name, callback in _api_routes():
        if name in NOT_DATA:
            continue
        kwargs = {} if name.endswith("-list") else {"pk": _row(own, name).pk}
        for method in _methods(callback):
            response = getattr(client, method.lower())(
                reverse(name, kwargs=kwargs), BODIES.get(method), content_type="application/json"
            )
            if response.status_code != 401 or OWN_TAG in response.content.decode():
                problems.append(f"{method} {name}: answered {response.status_code}")
    assert not problems, "\n".join(problems)
