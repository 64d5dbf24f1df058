"""Two worlds, six roles and every parameterised URL: the isolation matrix (A1, A2, A4).

`built_matrix()` builds Musterstadt's world (tagged OWN_TAG) with a person in every role and
Fremdstadt's (tagged CANARY), and lists, for every route with an id in the path, the own and
the foreign URL. The module-scoped `matrix` fixture (leitwerk/core/tests/conftest.py) builds it
once per test module inside a transaction that is rolled back afterwards.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.test import Client
from django.urls import reverse

from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.municipalities.models import MunicipalityKind, Role
from leitwerk.municipalities.offboarding import municipality_fields
from leitwerk.municipalities.tests.factories import (
    BodyFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationalUnitFactory,
)
from leitwerk.testing.routes import CANARY, FILLERS, OWN_TAG, all_routes
from leitwerk.testing.world import World, build_world

ROLES = [role.value for role in Role]


@dataclass
class Matrix:
    own: World
    other: World
    people: dict[str, object]
    # (route name, own url, foreign url) for every parameterised route with a foreign id.
    urls: list[tuple[str, str, str]]


def table_digests(municipality_pk: int) -> dict[str, str]:
    """One digest per table over the rows that point at the municipality."""
    digests = {}
    for model, field in municipality_fields():
        rows = list(
            model._default_manager.filter(**{field.attname: municipality_pk})
            .order_by("pk")
            .values()
        )
        if rows:
            text = json.dumps(rows, cls=DjangoJSONEncoder, sort_keys=True, default=str)
            digests[f"{model._meta.label}.{field.name}"] = hashlib.sha256(text.encode()).hexdigest()
    return digests


def _people(world: World) -> dict[str, object]:
    m = world.municipality
    unit = world.initiative.lead_unit
    body = BodyFactory(municipality=m, name="Rat der Stadt")
    people = {}
    for role in ROLES:
        user = UserFactory(email=f"{role}@{m.slug}.test")
        MembershipFactory(
            user=user,
            municipality=m,
            role=role,
            unit=unit if role == Role.UNIT_EDITOR else None,
            body=body if role == Role.COUNCIL else None,
        )
        people[role] = user
    # The project lead leads the own Vorhaben, so "lead of a Vorhaben" rights are in play.
    world.initiative.responsible_people.add(people[Role.PROJECT_LEAD])
    return people


@contextmanager
def built_matrix() -> Iterator[Matrix]:
    """Both worlds, built inside a transaction that is rolled back when the block ends."""
    with transaction.atomic():
        musterstadt = MunicipalityFactory(
            name="Musterstadt", slug="musterstadt", kind=MunicipalityKind.STADT
        )
        fremdstadt = MunicipalityFactory(
            name="Fremdstadt", slug="fremdstadt", kind=MunicipalityKind.STADT
        )
        OrganisationalUnitFactory(municipality=musterstadt, name="Stabsstelle Strategie")
        own, other = build_world(musterstadt, OWN_TAG), build_world(fremdstadt, CANARY)
        for world in (own, other):
            for row in (world.plan, world.initiative, world.goal, world.indicator):
                row.public = True
                row.save()
        people = _people(own)
        urls = []
        for route in all_routes():
            if not route.params or route.name not in FILLERS:
                continue  # no foreign id in the path; unfilled routes fail the A2 test
            own_url = reverse(route.name, kwargs=FILLERS[route.name](own, own))
            foreign_url = reverse(route.name, kwargs=FILLERS[route.name](other, own))
            if foreign_url != own_url:
                urls.append((route.name, own_url, foreign_url))
        yield Matrix(own=own, other=other, people=people, urls=urls)
        transaction.set_rollback(True)


def signed_in_client(user) -> Client:
    """A client signed in as `user` that answers server errors with their status code."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client
