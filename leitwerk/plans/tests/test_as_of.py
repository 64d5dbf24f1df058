"""'Stand an einem Datum' of a plan: action fields as they were, also renamed or deleted ones."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from leitwerk.plans import services
from leitwerk.plans.tests.factories import ActionFieldFactory, ActionPlanFactory, InitiativeFactory


def _as_of(client, plan, day):
    response = client.get(reverse("plans:as_of", args=[plan.pk]), {"datum": day.isoformat()})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_renamed_action_field_shows_its_old_name_on_an_earlier_date(
    strategy_user, musterstadt, client_for
):
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, 0), tick=False):
        plan = ActionPlanFactory(municipality=musterstadt)
        field = ActionFieldFactory(
            municipality=musterstadt, plan=plan, code="A1", title="Digitale Verwaltung"
        )
        InitiativeFactory(municipality=musterstadt, action_field=field, title="E-Akte")
    with time_machine.travel(dt.datetime(2026, 4, 1, 10, 0), tick=False):
        services.action_field_update(
            action_field=field,
            actor=strategy_user,
            expected_version=field.version,
            changes={"title": "Verwaltung 4.0"},
        )
    client = client_for(strategy_user)
    before = _as_of(client, plan, dt.date(2026, 3, 15))
    assert "Digitale Verwaltung" in before and "Verwaltung 4.0" not in before
    assert "E-Akte" in before
    after = _as_of(client, plan, dt.date(2026, 4, 2))
    assert "Verwaltung 4.0" in after and "Digitale Verwaltung" not in after


@pytest.mark.django_db
def test_a_deleted_action_field_still_shows_on_a_date_before_its_deletion(
    strategy_user, musterstadt, client_for
):
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, 0), tick=False):
        plan = ActionPlanFactory(municipality=musterstadt)
        field = ActionFieldFactory(municipality=musterstadt, plan=plan, title="Bürgerdialog")
        InitiativeFactory(municipality=musterstadt, action_field=field, title="Bürgerpanel")
    with time_machine.travel(dt.datetime(2026, 4, 1, 10, 0), tick=False):
        services.action_field_delete(action_field=field, actor=strategy_user)
    client = client_for(strategy_user)
    before = _as_of(client, plan, dt.date(2026, 3, 15))
    assert "Bürgerdialog" in before and "Bürgerpanel" in before
    assert "Bürgerdialog" not in _as_of(client, plan, dt.date(2026, 4, 2))


@pytest.mark.django_db
def test_a_wrong_date_is_explained_at_the_field(strategy_user, musterstadt, client_for):
    plan = ActionPlanFactory(municipality=musterstadt)
    page = client_for(strategy_user).get(reverse("plans:as_of", args=[plan.pk]), {"datum": "x"})
    html = page.content.decode()
    assert (
        '<p class="field__error" id="id_datum-error">Bitte ein gültiges Datum angeben.</p>' in html
    )
    assert 'aria-describedby="id_datum-error"' in html and 'aria-invalid="true"' in html
