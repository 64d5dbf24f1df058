"""Read replica routing (config/routers.py): public pages read from the replica, nothing else.

The test settings define `replica` as a TEST MIRROR of `default` (the same database through a
second connection), so each connection's queries show where the router sent them.
"""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext, override_settings

from config.routers import ReplicaRouter, portal_reads
from leitwerk.municipalities.models import Municipality

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

with_replica = override_settings(LEITWERK_READ_REPLICA="replica")


def _sql(ctx: CaptureQueriesContext) -> str:
    return "\n".join(q["sql"] for q in ctx.captured_queries)


def _get(client, url):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get(url)
    return response, _sql(primary), _sql(replica)


@with_replica
def test_a_public_portal_page_reads_from_the_replica(client, musterstadt):
    response, primary, replica = _get(client, "/musterstadt/vorhaben/")
    assert response.status_code == 200
    assert "municipalities_municipality" in replica
    assert "plans_portalrelease" in replica
    assert "municipalities_municipality" not in primary
    assert "plans_portalrelease" not in primary


@with_replica
def test_the_public_survey_list_reads_from_the_replica(client, musterstadt):
    response, primary, replica = _get(client, "/musterstadt/umfragen/")
    assert response.status_code == 200
    assert "feedback_survey" in replica
    assert "feedback_survey" not in primary


@with_replica
@override_settings(
    # Sessions and the person read from the database, as without a shared cache: where they
    # are read is the point here (with the sign-in cache they come from the cache).
    LEITWERK_SIGNIN_CACHE=False,
    SESSION_ENGINE="django.contrib.sessions.backends.db",
)
def test_sign_in_state_stays_on_the_primary_on_portal_pages(client_for, viewer, musterstadt):
    client = client_for(viewer)
    response, primary, replica = _get(client, "/musterstadt/vorhaben/")
    assert response.status_code == 200
    assert "django_session" in primary
    assert "django_session" not in replica
    assert "accounts_user" not in replica
    assert "plans_portalrelease" in replica


@with_replica
def test_workspace_pages_read_from_the_primary(client_for, strategy_user):
    client = client_for(strategy_user)
    response, primary, replica = _get(client, "/arbeitsbereich/plaene/")
    assert response.status_code == 200
    assert replica == ""
    assert "plans_actionplan" in primary


@with_replica
def test_a_posted_form_on_a_public_page_writes_and_reads_on_the_primary(client, musterstadt):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.post("/musterstadt/anregungen/", {"text": "x"})
    assert response.status_code == 400  # no form token: refused, but only after reading
    assert _sql(replica) == ""
    assert "municipalities_municipality" in _sql(primary)


@with_replica
def test_writes_go_to_the_primary_even_inside_portal_reads(musterstadt):
    with (
        portal_reads(),
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        town = Municipality.objects.get(slug="musterstadt")
        town.name = "Musterstadt (neu)"
        town.save(update_fields=["name"])
    assert "UPDATE" in _sql(primary) and "UPDATE" not in _sql(replica)
    assert "SELECT" in _sql(replica) and "SELECT" not in _sql(primary)
    assert Municipality.objects.using("default").get(pk=town.pk).name == "Musterstadt (neu)"


def test_without_a_replica_every_query_uses_the_primary(client, musterstadt):
    response, primary, replica = _get(client, "/musterstadt/vorhaben/")
    assert response.status_code == 200
    assert replica == ""
    assert "plans_portalrelease" in primary
    with portal_reads():
        assert ReplicaRouter().db_for_read(Municipality) is None
