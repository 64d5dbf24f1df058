"""Correcting and deleting recorded measurements: who may, conflicts, audit, isolation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from leitwerk.controlling.tests.factories import MeasurementFactory
from leitwerk.core.models import AuditLogEntry
from leitwerk.plans.models import Measurement
from leitwerk.plans.tests.factories import IndicatorFactory


@pytest.fixture
def measurement(musterstadt, led_initiative):
    indicator = IndicatorFactory(
        municipality=musterstadt, initiative=led_initiative, title="Online-Anteil", unit="%"
    )
    return MeasurementFactory(
        municipality=musterstadt, indicator=indicator, measured_on=dt.date(2026, 3, 31), value=20
    )


def _form(**overrides):
    data = {
        "measured_on": "2026-03-31",
        "value": "27,5",
        "note": "korrigiert",
        "expected_version": "1",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_project_lead_corrects_a_value_and_the_profile_shows_it(
    project_lead, measurement, client_for
):
    client = client_for(project_lead)
    profile = reverse("plans:initiative_detail", args=[measurement.indicator.initiative_id])
    edit_url = reverse("plans:measurement_edit", args=[measurement.pk])
    assert f'href="{edit_url}"' in client.get(profile).content.decode()

    response = client.post(edit_url, _form())
    assert response.status_code == 302
    measurement.refresh_from_db()
    assert measurement.value == Decimal("27.5") and measurement.version == 2
    assert "korrigiert" in client.get(profile).content.decode()
    entry = AuditLogEntry.objects.get(action="measurement.update")
    assert entry.actor == project_lead and "value" in entry.data["fields"]
    assert measurement.history.first().history_user == project_lead


@pytest.mark.django_db
def test_a_concurrent_correction_is_a_conflict_not_a_loss(
    project_lead, strategy_user, measurement, client_for
):
    edit_url = reverse("plans:measurement_edit", args=[measurement.pk])
    assert client_for(strategy_user).post(edit_url, _form(value="30")).status_code == 302
    second = client_for(project_lead).post(edit_url, _form(value="25"))
    assert second.status_code == 409
    html = second.content.decode()
    assert 'value="25"' in html  # what the project lead typed is still in the form
    measurement.refresh_from_db()
    assert measurement.value == Decimal("30")


@pytest.mark.django_db
def test_project_lead_deletes_a_value_recorded_by_mistake(project_lead, measurement, client_for):
    client = client_for(project_lead)
    url = reverse("plans:measurement_delete", args=[measurement.pk])
    assert "wirklich löschen" in client.get(url).content.decode()
    assert Measurement.objects.filter(pk=measurement.pk).exists()
    assert client.post(url).status_code == 302
    assert not Measurement.objects.filter(pk=measurement.pk).exists()
    entry = AuditLogEntry.objects.get(action="measurement.delete")
    assert entry.actor == project_lead and entry.target_id == str(measurement.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["council_member", "viewer"])
def test_roles_that_do_not_record_values_cannot_change_them(
    persona, request, measurement, client_for
):
    client = client_for(request.getfixturevalue(persona))
    profile = reverse("plans:initiative_detail", args=[measurement.indicator.initiative_id])
    edit_url = reverse("plans:measurement_edit", args=[measurement.pk])
    delete_url = reverse("plans:measurement_delete", args=[measurement.pk])
    assert edit_url not in client.get(profile).content.decode()
    assert client.get(edit_url).status_code == 403
    assert client.post(edit_url, _form(value="99")).status_code == 403
    assert client.post(delete_url).status_code == 403
    measurement.refresh_from_db()
    assert measurement.value == Decimal("20")


@pytest.mark.django_db
def test_another_municipality_gets_404(other_town_admin, measurement, client_for):
    client = client_for(other_town_admin)
    for name in ("measurement_edit", "measurement_delete"):
        url = reverse(f"plans:{name}", args=[measurement.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, _form(value="99")).status_code == 404
    assert Measurement.objects.get(pk=measurement.pk).value == Decimal("20")
