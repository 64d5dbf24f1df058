"""REST API: decisions with their follow-up, and the follow-up's state written through it."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from leitwerk.api.services import api_token_create
from leitwerk.council.models import FollowUpStatus

from .factories import CouncilDecisionFactory, DecisionFollowUpFactory


def _client(user, municipality) -> APIClient:
    _token, raw = api_token_create(user=user, municipality=municipality, name="Test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def follow_up(musterstadt, editor_unit):
    decision = CouncilDecisionFactory(
        municipality=musterstadt, title="Radwegekonzept", result="beschlossen"
    )
    return DecisionFollowUpFactory(
        decision=decision, unit=editor_unit, deadline=dt.date(2026, 9, 30)
    )


def test_decisions_are_listed_with_their_follow_up_state(follow_up, viewer, musterstadt):
    response = _client(viewer, musterstadt).get("/api/v1/council-decisions/")
    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["title"] == "Radwegekonzept" and row["result"] == "beschlossen"
    assert row["follow_up"]["status"] == "open"
    assert row["follow_up"]["unit"].endswith("Fachbereich Bürgerservice")


def test_the_unit_editor_sets_the_state_and_a_stale_version_gets_409(
    follow_up, unit_editor, musterstadt
):
    client = _client(unit_editor, musterstadt)
    url = f"/api/v1/council-decisions/{follow_up.decision_id}/follow-up/"

    refused = client.patch(url, {"version": 1, "status": "delayed"}, format="json")
    assert refused.status_code == 400 and "delay_reason" in refused.json()

    ok = client.patch(
        url, {"version": 1, "status": "delayed", "delay_reason": "Personal fehlt"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == FollowUpStatus.DELAYED

    stale = client.patch(url, {"version": 1, "status": "in_progress"}, format="json")
    assert stale.status_code == 409 and stale.json()["version"] == 2


def test_a_viewer_may_read_but_not_write(follow_up, viewer, musterstadt):
    url = f"/api/v1/council-decisions/{follow_up.decision_id}/follow-up/"
    response = _client(viewer, musterstadt).patch(
        url, {"version": 1, "status": "in_progress"}, format="json"
    )
    assert response.status_code == 403


def test_another_towns_decision_is_not_found(follow_up, other_town_admin, other_town):
    client = _client(other_town_admin, other_town)
    assert client.get(f"/api/v1/council-decisions/{follow_up.decision_id}/").status_code == 404


def test_the_unit_may_not_move_the_deadline_through_the_api(follow_up, unit_editor, musterstadt):
    url = f"/api/v1/council-decisions/{follow_up.decision_id}/follow-up/"
    response = _client(unit_editor, musterstadt).patch(
        url, {"version": 1, "deadline": "2030-01-01"}, format="json"
    )
    assert response.status_code == 403
