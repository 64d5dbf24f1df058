"""The REST API as an integration sees it: tokens, rights, the measurement write, conflicts,
pagination, filters, rate limits, German errors (catalogue A1–A4, B1, C8, E1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient

from leitwerk.api.models import ApiToken
from leitwerk.api.services import api_token_create, api_token_revoke
from leitwerk.core.models import AuditLogEntry
from leitwerk.municipalities.models import Membership, Role
from leitwerk.municipalities.tests.factories import MembershipFactory
from leitwerk.plans.models import (
    Initiative,
    Measurement,
    MeasurementSource,
    Milestone,
    PlanStatus,
    StatusReport,
)
from leitwerk.plans.tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _post_value(client, indicator, value="42.5", **extra):
    return client.post(
        f"{API}/indicators/{indicator.pk}/measurements/",
        {"measured_on": "2026-06-30", "value": value, **extra},
        format="json",
    )


# --- tokens ----------------------------------------------------------------------------------


def test_a_token_is_stored_only_as_a_hash(strategy_user, musterstadt):
    token, raw = api_token_create(user=strategy_user, municipality=musterstadt, name="Statistik")
    assert raw.startswith("lw_") and len(raw) > 40
    stored = ApiToken.objects.filter(pk=token.pk).values_list("key_hash", "hint", "name").get()
    assert raw not in "".join(stored)
    assert raw[3:11] == token.hint


def test_requests_without_or_with_a_bad_token_answer_401_in_german(worlds):
    anonymous = APIClient()
    response = anonymous.get(f"{API}/initiatives/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Token" in response.json()["detail"]
    anonymous.credentials(HTTP_AUTHORIZATION="Bearer lw_erfunden")
    response = anonymous.get(f"{API}/initiatives/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Das Token ist ungültig oder widerrufen."


def test_a_revoked_token_and_a_withdrawn_role_end_access(worlds, strategy_user, musterstadt):
    token, raw = api_token_create(user=strategy_user, municipality=musterstadt, name="x")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(f"{API}/initiatives/").status_code == 200
    Membership.objects.filter(user=strategy_user).delete()
    assert client.get(f"{API}/initiatives/").status_code == 401
    MembershipFactory(user=strategy_user, municipality=musterstadt, role=Role.STRATEGY)
    assert client.get(f"{API}/initiatives/").status_code == 200
    api_token_revoke(token=token)
    assert client.get(f"{API}/initiatives/").status_code == 401


def test_a_token_cannot_be_made_for_a_municipality_without_a_role(strategy_user, other_town):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="keine Rolle"):
        api_token_create(user=strategy_user, municipality=other_town, name="x")


def test_a_token_reads_only_its_own_municipality(worlds, token_client, strategy_user, musterstadt):
    own, other = worlds
    client = token_client(strategy_user, musterstadt)
    body = client.get(f"{API}/initiatives/").content.decode()
    assert own.initiative.title in body and other.initiative.title not in body
    assert client.get(f"{API}/initiatives/{other.initiative.pk}/").status_code == 404


def test_a_token_for_the_second_municipality_of_a_person_reads_that_one(
    worlds, token_client, strategy_user, other_town
):
    own, other = worlds
    MembershipFactory(user=strategy_user, municipality=other_town, role=Role.VIEWER)
    client = token_client(strategy_user, other_town)
    body = client.get(f"{API}/initiatives/").content.decode()
    assert other.initiative.title in body and own.initiative.title not in body


# --- session (browser) -----------------------------------------------------------------------


def test_the_browser_session_reads_and_writes_only_with_the_csrf_token(worlds, strategy_user):
    own, _other = worlds
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(strategy_user)
    assert client.get(f"{API}/initiatives/").status_code == 200
    before = Measurement.objects.count()
    response = _post_value(client, own.indicator)
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert Measurement.objects.count() == before


# --- the measurement write -------------------------------------------------------------------


def test_posting_a_measurement_with_a_token_records_it_through_the_service(
    worlds, token_client, strategy_user, musterstadt
):
    own, _other = worlds
    client = token_client(strategy_user, musterstadt)
    response = _post_value(client, own.indicator, note="aus dem Fachverfahren")
    assert response.status_code == 201, response.content
    body = response.json()
    measurement = Measurement.objects.get(pk=body["id"])
    assert measurement.value == Decimal("42.5")
    assert measurement.source == MeasurementSource.API
    assert measurement.recorded_by == strategy_user
    assert measurement.history.first().history_user == strategy_user
    entry = AuditLogEntry.objects.get(action="measurement.record", target_id=str(measurement.pk))
    assert entry.actor == strategy_user and entry.municipality == musterstadt
    # The Vorhaben's "letzte Meldung" moves forward, as with the form.
    assert Initiative.objects.get(pk=own.initiative.pk).last_report_at is not None


def test_a_bad_measurement_answers_400_naming_the_field_in_german(
    worlds, token_client, strategy_user, musterstadt
):
    own, _other = worlds
    client = token_client(strategy_user, musterstadt)
    response = client.post(
        f"{API}/indicators/{own.indicator.pk}/measurements/",
        {"measured_on": "30.06.2026", "value": "viel"},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"measured_on", "value"}
    assert errors["value"] == ["Eine gültige Zahl ist erforderlich."]
    assert "Datum" in errors["measured_on"][0]


def test_every_400_body_has_the_documented_field_errors_shape(
    worlds, token_client, strategy_user, musterstadt
):
    own, _other = worlds
    client = token_client(strategy_user, musterstadt)
    broken = client.post(
        f"{API}/indicators/{own.indicator.pk}/measurements/",
        '{"measured_on": ',
        content_type="application/json",
    )
    assert broken.status_code == 400
    assert list(broken.json()) == ["detail"] and "JSON" in broken.json()["detail"][0]
    nested = client.post(
        f"{API}/indicators/{own.indicator.pk}/measurements/",
        {"measured_on": ["2026-06-30"], "value": {"x": 1}},
        format="json",
    )
    assert nested.status_code == 400
    for messages in nested.json().values():
        assert isinstance(messages, list) and all(isinstance(m, str) for m in messages)


def test_nested_errors_are_named_by_their_path():
    from leitwerk.api.views import flat_field_errors

    nested = {"values": [{}, {"value": ["Zahl fehlt."]}], "title": ["Pflichtfeld."]}
    assert flat_field_errors(nested) == {
        "values.1.value": ["Zahl fehlt."],
        "title": ["Pflichtfeld."],
    }


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.STRATEGY, True),
        (Role.ADMIN, True),
        (Role.UNIT_EDITOR, True),
        (Role.PROJECT_LEAD, True),
        (Role.COUNCIL, False),
        (Role.VIEWER, False),
    ],
)
def test_who_may_post_measurements_and_change_milestones(worlds, token_client, role, allowed):
    """Role × action, as on the pages: the lead unit's editor and the named project lead
    report on their Vorhaben; council members and readers only read."""
    own, _other = worlds
    person = own.person  # named responsible for the world's Vorhaben
    unit = own.initiative.lead_unit if role == Role.UNIT_EDITOR else None
    MembershipFactory(user=person, municipality=own.municipality, role=role, unit=unit)
    client = token_client(person, own.municipality)
    before = Measurement.objects.count()
    response = _post_value(client, own.indicator)
    assert response.status_code == (201 if allowed else 403)
    assert Measurement.objects.count() == before + (1 if allowed else 0)
    milestone = own.milestone
    response = client.post(
        f"{API}/milestones/{milestone.pk}/complete/",
        {"version": milestone.version, "done_on": "2026-01-30"},
        format="json",
    )
    assert response.status_code == (200 if allowed else 403)
    milestone.refresh_from_db()
    assert (milestone.done_on is not None) == allowed
    response = client.patch(
        f"{API}/initiatives/{own.initiative.pk}/",
        {"version": own.initiative.version, "status": "paused"},
        format="json",
    )
    assert response.status_code == (200 if allowed else 403)
    assert (Initiative.objects.get(pk=own.initiative.pk).status == "paused") == allowed
    # Reading is open to every role.
    assert client.get(f"{API}/measurements/").status_code == 200


def test_a_unit_editor_cannot_change_a_vorhaben_of_another_unit_or_an_archived_plan(
    worlds, token_client, unit_editor, musterstadt, editor_unit
):
    own, _other = worlds
    client = token_client(unit_editor, musterstadt)
    assert _post_value(client, own.indicator).status_code == 403  # led by another unit
    led = InitiativeFactory(municipality=musterstadt, lead_unit=editor_unit)
    indicator = led.indicators.create(
        municipality=musterstadt, title="Wartezeit", kind="quantitative"
    )
    assert _post_value(client, indicator).status_code == 201
    plan = led.action_field.plan
    plan.status = PlanStatus.ARCHIVED
    plan.save()
    assert _post_value(client, indicator).status_code == 403


def test_goal_indicators_take_values_from_those_who_edit_goals(
    worlds, token_client, strategy_user, viewer, musterstadt
):
    own, _other = worlds
    goal_indicator = own.goal.indicators.get()
    assert _post_value(token_client(strategy_user, musterstadt), goal_indicator).status_code == 201
    assert _post_value(token_client(viewer, musterstadt), goal_indicator).status_code == 403


# --- optimistic locking ----------------------------------------------------------------------


def test_a_stale_version_answers_409_with_the_stored_state_and_changes_nothing(
    worlds, token_client, strategy_user, musterstadt
):
    own, _other = worlds
    client = token_client(strategy_user, musterstadt)
    milestone = own.milestone
    first = client.patch(
        f"{API}/milestones/{milestone.pk}/",
        {"version": milestone.version, "title": "Neu geplant"},
        format="json",
    )
    assert first.status_code == 200 and first.json()["version"] == milestone.version + 1
    second = client.patch(
        f"{API}/milestones/{milestone.pk}/",
        {"version": milestone.version, "title": "Meine alte Fassung"},
        format="json",
    )
    assert second.status_code == 409
    body = second.json()
    assert body["version"] == milestone.version + 1
    assert body["current"]["title"] == "Neu geplant"
    assert body["changed_fields"] == ["title"]
    assert "inzwischen geändert" in body["detail"]
    assert Milestone.objects.get(pk=milestone.pk).title == "Neu geplant"


def test_completing_a_milestone_in_the_future_is_refused_naming_the_field(
    worlds, token_client, strategy_user, musterstadt
):
    own, _other = worlds
    client = token_client(strategy_user, musterstadt)
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = client.post(
        f"{API}/milestones/{own.milestone.pk}/complete/",
        {"version": own.milestone.version, "done_on": future},
        format="json",
    )
    assert response.status_code == 400
    assert "Zukunft" in response.json()["done_on"][0]


def test_a_status_report_goes_through_the_service_with_its_rule(
    worlds, token_client, strategy_user, musterstadt
):
    own, _other = worlds
    client = token_client(strategy_user, musterstadt)
    url = f"{API}/initiatives/{own.initiative.pk}/status-reports/"
    refused = client.post(url, {"health": "off_track", "text": "Verzug"}, format="json")
    assert refused.status_code == 400 and "off_track_note" in refused.json()
    done = client.post(
        url,
        {
            "health": "off_track",
            "text": "Verzug",
            "off_track_note": "Lieferant",
        },
        format="json",
    )
    assert done.status_code == 201
    assert AuditLogEntry.objects.filter(action="status_report.submit").exists()


def test_a_vorhaben_shows_the_worse_of_calculated_health_and_the_owners_assessment(
    worlds, token_client, strategy_user, musterstadt
):
    own, _other = worlds
    today = dt.date.today()
    initiative = own.initiative
    Initiative.objects.filter(pk=initiative.pk).update(
        status="active",
        start_date=today - dt.timedelta(days=10),
        end_date=today + dt.timedelta(days=3000),
    )
    Milestone.objects.filter(initiative=initiative).update(done_on=today, due_date=None)
    StatusReport.objects.filter(initiative=initiative).delete()
    client = token_client(strategy_user, musterstadt)
    url = f"{API}/initiatives/{initiative.pk}/"
    before = client.get(url).json()["progress"]
    assert before["owner_health"] is None and before["owner_reported_on"] is None
    assert before["health"] == before["calculated_health"]

    client.post(
        f"{url}status-reports/",
        {"health": "off_track", "text": "Verzug", "off_track_note": "Lieferant insolvent"},
        format="json",
    )
    after = client.get(url).json()["progress"]
    assert after["owner_health"] == "off_track"
    assert after["owner_reported_on"] == today.isoformat()
    assert after["health"] == "off_track"
    assert after["calculated_health"] == before["calculated_health"] != "off_track"


# --- pagination, filters, rate limits --------------------------------------------------------


def test_lists_are_paginated_with_a_bounded_page_size(
    worlds, token_client, strategy_user, musterstadt
):
    own, _other = worlds
    for day in range(1, 6):
        Measurement.objects.create(
            municipality=musterstadt,
            indicator=own.indicator,
            measured_on=dt.date(2026, 1, day),
            value=day,
        )
    client = token_client(strategy_user, musterstadt)
    page = client.get(f"{API}/measurements/?page_size=2").json()
    assert page["count"] == 6 and len(page["results"]) == 2
    assert "page=2" in page["next"]
    last = client.get(f"{API}/measurements/?page_size=2&page=3").json()
    assert len(last["results"]) == 2 and last["next"] is None
    assert client.get(f"{API}/measurements/?page=9").status_code == 404
    too_big = client.get(f"{API}/measurements/?page_size=5000")
    assert too_big.status_code == 400
    assert "page_size" in too_big.json()
    # Empty or repeated is a mistake, not "page 1": the client would get a page it did not ask for.
    for query, name in (("page=", "page"), ("page=1&page=2", "page"), ("page_size=", "page_size")):
        answer = client.get(f"{API}/measurements/?{query}")
        assert answer.status_code == 400, query
        assert list(answer.json()) == [name] and "genau" in answer.json()[name][0]


def test_filters_narrow_lists_and_bad_values_name_the_filter(
    worlds, token_client, strategy_user, musterstadt
):
    own, other = worlds
    second = InitiativeFactory(
        municipality=musterstadt, action_field=own.action_field, status="paused"
    )
    client = token_client(strategy_user, musterstadt)
    ids = {row["id"] for row in client.get(f"{API}/initiatives/?status=paused").json()["results"]}
    assert ids == {second.pk}
    by_field = client.get(f"{API}/initiatives/?action_field={own.action_field.pk}").json()
    assert by_field["count"] == 2
    # Another municipality's id finds nothing, it does not reveal anything either.
    assert (
        client.get(f"{API}/initiatives/?action_field={other.action_field.pk}").json()["count"] == 0
    )
    values = client.get(f"{API}/measurements/?indicator={own.indicator.pk}").json()
    assert {row["indicator"] for row in values["results"]} == {own.indicator.pk}
    bad = client.get(f"{API}/initiatives/?status=fertig")
    assert bad.status_code == 400
    assert "status" in bad.json() and "gültige" in bad.json()["status"][0]
    assert client.get(f"{API}/milestones/?done=vielleicht").status_code == 400
    # An empty value is a mistake, not "no filter": the whole list would look filtered.
    empty = client.get(f"{API}/initiatives/?status=&public=true")
    assert empty.status_code == 400
    assert list(empty.json()) == ["status"] and "Leerer Wert" in empty.json()["status"][0]


def test_too_many_requests_answer_429(worlds, token_client, strategy_user, musterstadt):
    rates = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "3/min"},
    }
    client = token_client(strategy_user, musterstadt)
    with override_settings(REST_FRAMEWORK=rates):
        codes = [client.get(f"{API}/goals/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = client.get(f"{API}/goals/")
        assert "Retry-After" in limited
        assert "gedrosselt" in limited.json()["detail"]
        anonymous = APIClient()
        codes = [anonymous.get(f"{API}/schema/").status_code for _ in range(3)]
        assert codes == [200, 200, 429]


# --- root, schema and documentation ----------------------------------------------------------


def test_the_root_lists_every_resource(worlds, token_client, strategy_user, musterstadt):
    root = token_client(strategy_user, musterstadt).get(f"{API}/").json()
    assert {
        "guideline-documents",
        "statements",
        "goal-fields",
        "goals",
        "action-plans",
        "action-fields",
        "initiatives",
        "milestones",
        "indicators",
        "measurements",
        "obstacles",
        "priority-rounds",
        "priority-items",
        "surveys",
        "status-reports",
    } <= set(root)


def test_the_schema_generates_without_warnings(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "/api/v1/indicators/{id}/measurements/" in text
    assert "bearer" in text


def test_swagger_ui_is_served_from_local_assets_with_its_own_csp_exception(client):
    page = client.get(f"{API}/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "https://" not in html.replace("https://www.w3.org", "")
    csp = page.get("Content-Security-Policy", "")
    if csp:  # django-csp active: only this page may use inline styles
        assert "'unsafe-inline'" in csp
        assert "'unsafe-inline'" not in client.get("/konto/login/").get(
            "Content-Security-Policy", ""
        )
    script = client.get(f"{API}/docs/?script")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_unknown_api_paths_answer_404_in_json(worlds, token_client, strategy_user, musterstadt):
    client = token_client(strategy_user, musterstadt)
    for path in ("/gibtsnicht/", "/initiatives/1.5/", "/initiatives/abc/"):
        response = client.get(f"{API}{path}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Nicht gefunden."}
