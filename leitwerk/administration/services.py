"""Onboarding a municipality (the operator): the tenant from the registry and its first admin."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from leitwerk.accounts.services import person_invite
from leitwerk.core.scoping import tenant_guard
from leitwerk.municipalities.models import Municipality, Role
from leitwerk.municipalities.services import municipality_create
from leitwerk.network.services import registry_load_sample


@transaction.atomic
def municipality_onboard(
    *,
    name: str,
    slug: str,
    ags: str,
    kind: str,
    parent: Municipality | None,
    population: int | None,
    state: str,
    admin_email: str,
    actor: Any,
) -> Municipality:
    """Creates the municipality and invites its first admin (the e-mail goes after the commit).

    All or nothing: a refused invitation (a bad address) leaves no municipality behind.
    """
    municipality = municipality_create(
        slug=slug,
        name=name,
        ags=ags,
        kind=kind,
        parent_slug=parent.slug if parent else None,
        population=population,
        state=state,
        actor=actor,
    )
    person_invite(municipality=municipality, email=admin_email, roles=[Role.ADMIN], actor=actor)
    return municipality


def registry_load(*, actor: Any) -> Any:
    """Loads the bundled Gemeindeverzeichnis, as `leitwerk registry load-sample` does.

    An operator's action across the installation: it links every town's transfer cities to the
    registry, so it runs without the tenant guard, like the command it mirrors.
    """
    with tenant_guard(on=False):
        return registry_load_sample(actor=actor)
