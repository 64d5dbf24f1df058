"""Every URL × method × role of one municipality against another's objects (A1, A2).

The routes come from the resolver (`all_routes`) and are filled by the FILLERS of
`leitwerk.testing.routes`, so a new page is in this matrix the moment it gets its filler,
and a page without one fails `test_every_route_has_a_name_and_a_filler` (A2).

A person of Musterstadt in each of the six roles requests every parameterised URL with the
ids of Fremdstadt's rows:

- every method answers **404** – missing and foreign look alike, there is no existence
  oracle – or **405** when the view refuses the method before it looks the object up; a 405
  counts only if the requester's *own* object answers 405 as well, so the status says
  nothing about the foreign row. Today that is POST to the two GET-only public pages with an
  id (`portal:initiative`, `feedback_public:detail` where it is GET-only) and PUT, PATCH and
  DELETE everywhere: no HTML view accepts these three methods
  (C10, `test_http_methods.py`); the API (`/api/v1/`, namespace `api`) has its own matrix
  in `leitwerk/api/tests/` because it authenticates with tokens and has no FILLERS here;
- afterwards every row of Fremdstadt, in every table with a foreign key to Municipality
  (history tables and the audit log included), is unchanged (per-table checksum).

POST sends an empty form: the object must be refused before the form is looked at (A4
sends real forms with smuggled ids). The default run takes the tenant admin (the widest
rights) with GET and POST; `test_tenant_isolation.py` covers GET for admin and viewer too. The
slow run (`-m slow`, CI on PostgreSQL) takes all six roles and five methods (~4000 requests).
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from leitwerk.municipalities.models import Role
from leitwerk.testing.matrix import ROLES, Matrix, signed_in_client, table_digests
from leitwerk.testing.routes import CANARY, FILLERS, PUBLIC, all_routes

DEFAULT_ROLES = [Role.ADMIN.value]
SAFE_AND_FORM_METHODS = ["get", "post"]
OTHER_METHODS = ["put", "patch", "delete"]


def _request(client: Client, method: str, url: str):
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    if method == "post":
        return client.post(url, {})
    return getattr(client, method)(url, data="", content_type="application/x-www-form-urlencoded")


def _run(matrix: Matrix, role: str, methods: list[str]) -> list[str]:
    client = signed_in_client(matrix.people[role])
    before = table_digests(matrix.other.municipality.pk)
    problems = []
    for name, own_url, foreign_url in matrix.urls:
        for method in methods:
            response = _request(client, method, foreign_url)
            status = response.status_code
            where = f"{role} {method.upper()} {foreign_url} ({name})"
            if status == 405:
                # A method gate before the lookup: fine only if the own object answers alike.
                own_status = _request(client, method, own_url).status_code
                if own_status != 405:
                    problems.append(f"{where}: 405, but the own object answers {own_status}")
            elif status != 404:
                problems.append(f"{where}: {status}")
            if CANARY in response.content.decode("utf-8", errors="replace"):
                problems.append(f"{where}: shows a row of Fremdstadt")
    after = table_digests(matrix.other.municipality.pk)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        problems.append(f"{role}: rows of Fremdstadt changed in {changed}")
    return problems


def test_matrix_covers_every_parameterised_route(matrix):
    """A2: every route with parameters is in the matrix (or in an excluded namespace)."""
    in_matrix = {name for name, _own, _foreign in matrix.urls}
    with_ids = {r.name for r in all_routes() if r.params and r.name in FILLERS}
    by_slug_only = {
        name
        for name in with_ids - in_matrix
        if set(FILLERS[name](matrix.other, matrix.own)) == {"municipality_slug"}
    }
    # Public routes whose parameter is no tenant's row (a reset token, an identity provider's
    # Kennung for single sign-on) have one URL for both worlds; test_tenant_isolation requests
    # them without and with sign-in.
    public_same_url = {name for name in with_ids - in_matrix if name in PUBLIC}
    assert with_ids - in_matrix - by_slug_only - public_same_url == set()
    assert len(in_matrix) >= 80  # the walk is not vacuous (82 routes today)
    assert {
        "plans:initiative_edit",
        "plans:attachment_download",
        "feedback:survey_codes",
    } <= in_matrix


@pytest.mark.django_db
@pytest.mark.parametrize("role", DEFAULT_ROLES)
def test_foreign_objects_answer_404_to_get_and_post(matrix, role):
    problems = _run(matrix, role, SAFE_AND_FORM_METHODS)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_full_matrix_every_role_and_method(matrix, role):
    problems = _run(matrix, role, SAFE_AND_FORM_METHODS + OTHER_METHODS)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_checksum_notices_a_change(matrix):
    """The 'nothing changed' check can fail: a write to one of Fremdstadt's rows shows."""
    before = table_digests(matrix.other.municipality.pk)
    with transaction.atomic():
        matrix.other.milestone.title = "geändert"
        matrix.other.milestone.save()
        after = table_digests(matrix.other.municipality.pk)
        transaction.set_rollback(True)
    assert {label for label in before if before[label] != after.get(label)} >= {
        "plans.Milestone.municipality"
    }
