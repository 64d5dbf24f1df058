"""The declared role matrix (docs/permissions.yaml) against every endpoint (A5).

docs/permissions.yaml says, for every named route of the web UI, which roles may use it with
which HTTP method, and how that changes with the state of the object (an archived plan, an
unpublished Vorhaben, a closed priority round, a closed survey). Deny by default: a role not
listed is refused. The tests

- fail for a route the resolver knows and the file does not declare, and for a declared route
  the resolver no longer has (so a new page needs a deliberate entry);
- sign in as a person of each of the six roles of Musterstadt (and anonymously), request every
  route with Musterstadt's own ids, and compare what happens with the declaration: "allowed"
  is an answer (2xx, a redirect elsewhere than the sign-in page, or a 400/409 refusal of the
  empty form); "refused" is 403, 404 or the redirect to sign in. 405 means the route does not
  take the method and must not be declared for it.

The API routes (`/api/v1/`, signed in by session like the browsable API) are in the same
declaration with the methods their router offers; writes send the bodies of the API isolation
test, so they reach the rules. Every request runs in a savepoint that is rolled back, so an
allowed POST (a publish button, a delete confirmation, a new measurement) does not change the
world for the next request.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.feedback.models import SurveyStatus
from leitwerk.municipalities.models import MunicipalityKind, Role
from leitwerk.municipalities.tests.factories import (
    BodyFactory,
    MembershipFactory,
    MunicipalityFactory,
)
from leitwerk.plans.models import PlanStatus
from leitwerk.priorities.models import RoundStatus
from leitwerk.testing import api_routes
from leitwerk.testing.portal import release_plans
from leitwerk.testing.routes import FILLERS, OWN_TAG, all_routes
from leitwerk.testing.world import World, build_world

DECLARATION = Path(settings.BASE_DIR) / "docs" / "permissions.yaml"
ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, *(role.value for role in Role)]
METHODS = ("GET", "POST")
API_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
REDIRECTS = {301, 302, 303, 307, 308}


def _set(row, **values) -> None:
    # A queryset update, so the world's Python objects keep the base state for the next run.
    type(row).objects.filter(pk=row.pk).update(**values)


def _publish(world: World) -> None:
    for row in (world.plan, world.initiative, world.goal, world.indicator):
        _set(row, public=True)
    _set(world.survey, status=SurveyStatus.OPEN)


def _archive_plan(world: World) -> None:
    _set(world.plan, status=PlanStatus.ARCHIVED)


def _unpublish(world: World) -> None:
    for row in (world.plan, world.initiative, world.goal, world.indicator):
        _set(row, public=False)


def _close_round(world: World) -> None:
    _set(world.priority_round, status=RoundStatus.CLOSED)


def _adopt_round(world: World) -> None:
    _set(world.priority_round, status=RoundStatus.ADOPTED)


def _close_survey(world: World) -> None:
    _set(world.survey, status=SurveyStatus.CLOSED)


# The object states the declaration may name, each a change to the published base world.
STATES: dict[str, Callable[[World], None]] = {
    "plan_archived": _archive_plan,
    "unpublished": _unpublish,
    "round_closed": _close_round,
    "round_adopted": _adopt_round,
    "survey_closed": _close_survey,
}


def load_declaration() -> dict:
    return yaml.safe_load(DECLARATION.read_text(encoding="utf-8"))


MEMBERS = [role.value for role in Role]
ALIASES = {"members": MEMBERS, "public": [ANONYMOUS, *MEMBERS]}


def _roles(names: list[str]) -> set[str]:
    return {role for name in names for role in ALIASES.get(name, [name])}


def expected(entry: dict, state: str | None) -> dict[str, set[str]]:
    """Method → roles allowed, for the base world or one of the STATES."""
    allowed = {method: _roles(entry[method]) for method in API_METHODS if method in entry}
    for method, roles in (entry.get("states", {}).get(state, {}) if state else {}).items():
        allowed[method] = _roles(roles)
    return allowed


@dataclass
class Setting:
    world: World
    people: dict[str, object]
    urls: dict[str, str]
    # API routes: the methods the router offers (the HTML routes are asked GET and POST).
    api_methods: dict[str, list[str]]


@pytest.fixture(scope="module")
def setting(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        town = MunicipalityFactory(
            name="Musterstadt", slug="musterstadt", kind=MunicipalityKind.STADT
        )
        world = build_world(town, OWN_TAG)
        _publish(world)
        release_plans(town)  # the portal shows released content only
        body = BodyFactory(municipality=town, name="Rat der Stadt")
        people: dict[str, object] = {ANONYMOUS: None}
        for role in Role:
            user = UserFactory(email=f"{role.value}@{town.slug}.test")
            MembershipFactory(
                user=user,
                municipality=town,
                role=role.value,
                unit=world.initiative.lead_unit if role == Role.UNIT_EDITOR else None,
                body=body if role == Role.COUNCIL else None,
            )
            people[role.value] = user
        world.initiative.responsible_people.add(people[Role.PROJECT_LEAD.value])
        urls, api_methods = {}, {}
        for route in all_routes():
            kwargs = FILLERS[route.name](world, world) if route.params else {}
            urls[route.name] = reverse(route.name, kwargs=kwargs)
        for name, callback in api_routes.routes():
            methods = api_routes.methods(callback) or ["GET"]
            takes_pk = not name.endswith("-list") and name not in API_WITHOUT_ID
            urls[name] = reverse(
                name, kwargs={"pk": api_routes.row(world, name).pk} if takes_pk else {}
            )
            api_methods[name] = methods
        # The catch-all reverses to the root; ask it for a path that really is unknown.
        urls["api:not_found"] = reverse("api:root") + "gibt-es-nicht/"
        yield Setting(world=world, people=people, urls=urls, api_methods=api_methods)
        transaction.set_rollback(True)


# API routes without an object id besides the lists.
API_WITHOUT_ID = {"api:schema", "api:docs", "api:root", "api:not_found"}


def _ask(client: Client, setting: Setting, name: str, method: str):
    url = setting.urls[name]
    if name in setting.api_methods:
        if method == "GET":
            return client.get(url)
        # The same bodies the API isolation test sends: valid enough to reach the rules.
        body = api_routes.BODIES.get(method, {})
        return getattr(client, method.lower())(url, body, content_type="application/json")
    return client.get(url) if method == "GET" else client.post(url, {})


def _methods_of(setting: Setting, name: str) -> list[str]:
    return setting.api_methods.get(name, list(METHODS))


def outcome(response) -> str:
    status = response.status_code
    if status == 405:
        return "method not taken"
    if status in (401, 403, 404):
        return "refused"
    if status in REDIRECTS:
        location = response.headers.get("Location", "")
        # "Please sign in first" names the page to come back to; signing out does not.
        to_sign_in = location.startswith(reverse("accounts:login")) and "next=" in location
        return "refused" if to_sign_in else "allowed"
    # 400/409/422: the person may use the page, the empty form is refused. 502: the request
    # was taken and the identity provider asked (there is none on loopback here).
    if status < 300 or status in (400, 409, 422, 502):
        return "allowed"
    return f"error {status}"


def _clients(setting: Setting) -> dict[str, Client]:
    clients = {}
    for role, user in setting.people.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        clients[role] = client
    return clients


def observe(setting: Setting, routes: list[str], roles: list[str], state: str | None):
    """(route, method, role) → outcome, with the world put into `state` for the run."""
    seen = {}
    with transaction.atomic():
        if state:
            STATES[state](setting.world)
        cache.clear()  # the portal's page cache knows no direct ORM changes
        clients = _clients(setting)
        for name in routes:
            for method in _methods_of(setting, name):
                for role in roles:
                    client = clients[role]
                    # Signing out (or a new session after re-authentication) must not
                    # carry over to the next request: cookies as well as rows go back.
                    cookies = copy.deepcopy(client.cookies)
                    with transaction.atomic():
                        response = _ask(client, setting, name, method)
                        seen[(name, method, role)] = outcome(response)
                        transaction.set_rollback(True)
                    client.cookies = cookies
        transaction.set_rollback(True)
    return seen


def compare(declaration: dict, seen: dict, state: str | None) -> list[str]:
    problems = []
    by_route: dict[str, dict] = {}
    for (name, method, role), result in seen.items():
        by_route.setdefault(name, {}).setdefault(method, {})[role] = result
    for name, methods in sorted(by_route.items()):
        allowed = expected(declaration["routes"][name], state)
        where = f"{name} [{state or 'base'}]"
        for method, results in methods.items():
            declared = allowed.get(method)
            if all(result == "method not taken" for result in results.values()):
                if declared is not None:
                    problems.append(f"{where} {method}: declared, but the route refuses it (405)")
                continue
            for role, result in sorted(results.items()):
                wanted = "allowed" if declared and role in declared else "refused"
                # A route that signs anonymous people in first and then refuses the method
                # (405) to the signed-in ones is refused to all of them.
                result = "refused" if result == "method not taken" else result
                if result != wanted:
                    problems.append(f"{where} {method} as {role}: {result}, declared {wanted}")
    return problems


def test_every_route_is_declared_and_every_declaration_is_a_route():
    declaration = load_declaration()
    declared = set(declaration["routes"])
    known = {route.name for route in all_routes()} | {name for name, _cb in api_routes.routes()}
    assert sorted(known - declared) == [], "routes without a declared permission"
    assert sorted(declared - known) == [], "declared routes the resolver does not know"
    for name, entry in declaration["routes"].items():
        unknown = set(entry) - {*API_METHODS, "states"}
        assert not unknown, f"{name}: unknown keys {unknown}"
        for state, methods in entry.get("states", {}).items():
            assert state in STATES, f"{name}: unknown state {state}"
            for roles in [*methods.values(), *(entry.get(m, []) for m in API_METHODS)]:
                assert set(roles) <= {*ROLES, *ALIASES}, f"{name}: unknown role in {roles}"


def test_the_comparison_notices_a_role_that_gets_more_than_declared():
    declaration = {"routes": {"x": {"GET": ["admin"]}}}
    seen = {("x", "GET", "admin"): "allowed", ("x", "GET", "viewer"): "allowed"}
    assert compare(declaration, seen, None) == ["x [base] GET as viewer: allowed, declared refused"]
    seen[("x", "GET", "viewer")] = "refused"
    assert compare(declaration, seen, None) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "roles",
    [[ANONYMOUS, "admin"], [ANONYMOUS, "viewer"]],
    ids=["anonymous-admin", "anonymous-viewer"],
)
def test_the_base_world_matches_the_declaration(setting, roles):
    """Fast run: anonymous, the widest and the narrowest role, published world. Two tests, so
    the test workers share the requests; anonymous is in both, since a route that answers 405
    to everybody is only told apart from a refusal with a role that is sent to sign in."""
    declaration = load_declaration()
    seen = observe(setting, sorted(declaration["routes"]), roles, None)
    problems = compare(declaration, seen, None)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("state", [None, *STATES])
def test_every_role_and_state_matches_the_declaration(setting, state):
    declaration = load_declaration()
    seen = observe(setting, sorted(declaration["routes"]), ROLES, state)
    problems = compare(declaration, seen, state)
    assert not problems, "\n".join(problems)
