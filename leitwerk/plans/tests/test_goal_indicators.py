"""Goals own indicators through the one indicator owner: added, edited, deleted and measured
on the same pages and services as a Vorhaben's, by the roles that may edit the goal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from leitwerk.controlling.tests.factories import MeasurementFactory
from leitwerk.core.models import AuditLogEntry
from leitwerk.goals.tests.factories import GoalFactory
from leitwerk.plans import services
from leitwerk.plans.models import Indicator, Measurement
from leitwerk.plans.tests.factories import IndicatorFactory


@pytest.fixture
def goal(musterstadt):
    return GoalFactory(municipality=musterstadt, title="Wartezeit im Bürgeramt halbieren")


@pytest.fixture
def goal_indicator(musterstadt, goal):
    return IndicatorFactory(
        municipality=musterstadt,
        initiative=None,
        goal=goal,
        title="Mittlere Wartezeit",
        unit="Minuten",
        baseline=40,
        target=20,
        direction="decrease",
    )


def _indicator_form(**overrides):
    data = {
        "title": "Mittlere Wartezeit",
        "kind": "quantitative",
        "unit": "Minuten",
        "baseline": "40",
        "baseline_date": "2026-01-01",
        "target": "20",
        "target_date": "2027-12-31",
        "direction": "decrease",
        "weight": "1",
        "order": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_strategy_office_adds_a_kennzahl_to_a_goal_and_lands_on_the_goal_page(
    strategy_user, goal, client_for
):
    client = client_for(strategy_user)
    goal_page = client.get(reverse("goals:goal_detail", args=[goal.pk])).content.decode()
    assert reverse("plans:goal_indicator_create", args=[goal.pk]) in goal_page
    response = client.post(
        reverse("plans:goal_indicator_create", args=[goal.pk]), _indicator_form()
    )
    indicator = Indicator.objects.get(goal=goal)
    assert indicator.initiative is None and indicator.target == 20
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("goals:goal_detail", args=[goal.pk]))
    assert AuditLogEntry.objects.filter(action="indicator.create").exists()
    html = client.get(reverse("goals:goal_detail", args=[goal.pk])).content.decode()
    assert "Mittlere Wartezeit" in html


@pytest.mark.django_db
def test_a_value_recorded_for_a_goal_kennzahl_shows_on_the_goal_page(
    strategy_user, goal_indicator, client_for
):
    client = client_for(strategy_user)
    response = client.post(
        reverse("plans:measurement_create", args=[goal_indicator.pk]),
        {"measured_on": "2026-06-30", "value": "32", "note": "Zählung Juni"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("goals:goal_detail", args=[goal_indicator.goal_id])
        + f"#indicator-{goal_indicator.pk}"
    )
    value = Measurement.objects.get(indicator=goal_indicator)
    assert value.value == 32 and value.period_label  # the period comes from the date
    html = client.get(reverse("goals:goal_detail", args=[goal_indicator.goal_id])).content.decode()
    assert "Zählung Juni" in html and "32 Minuten" in html


@pytest.mark.django_db
def test_a_wrong_value_for_a_goal_kennzahl_is_refused_in_german_and_changes_nothing(
    strategy_user, goal_indicator, client_for
):
    response = client_for(strategy_user).post(
        reverse("plans:measurement_create", args=[goal_indicator.pk]),
        {"measured_on": "2026-06-30", "value": "viel"},
    )
    assert response.status_code == 422
    assert "Bitte eine Zahl eingeben" in response.content.decode()
    assert not Measurement.objects.filter(indicator=goal_indicator).exists()


@pytest.mark.django_db
def test_goal_kennzahl_edit_and_delete_return_to_the_goal_page(
    strategy_user, goal_indicator, client_for
):
    client = client_for(strategy_user)
    goal_url = reverse("goals:goal_detail", args=[goal_indicator.goal_id])
    response = client.post(
        reverse("plans:indicator_edit", args=[goal_indicator.pk]),
        _indicator_form(title="Wartezeit in Minuten", expected_version="1"),
    )
    assert response.status_code == 302 and response["Location"].startswith(goal_url)
    goal_indicator.refresh_from_db()
    assert goal_indicator.title == "Wartezeit in Minuten"
    MeasurementFactory(municipality=goal_indicator.municipality, indicator=goal_indicator)
    response = client.post(reverse("plans:indicator_delete", args=[goal_indicator.pk]))
    assert response.status_code == 302 and response["Location"].startswith(goal_url)
    assert not Indicator.objects.filter(pk=goal_indicator.pk).exists()
    assert not Measurement.objects.filter(indicator_id=goal_indicator.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["unit_editor", "project_lead", "council_member", "viewer"], ids=str
)
def test_only_who_edits_the_goal_changes_or_measures_its_kennzahlen(
    role, request, goal_indicator, client_for
):
    client = client_for(request.getfixturevalue(role))
    value = MeasurementFactory(municipality=goal_indicator.municipality, indicator=goal_indicator)
    for name, pk in (
        ("plans:goal_indicator_create", goal_indicator.goal_id),
        ("plans:indicator_edit", goal_indicator.pk),
        ("plans:indicator_delete", goal_indicator.pk),
        ("plans:measurement_create", goal_indicator.pk),
        ("plans:measurement_edit", value.pk),
        ("plans:measurement_delete", value.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 403, name
        assert client.post(reverse(name, args=[pk]), {}).status_code == 403, name
    assert Indicator.objects.filter(pk=goal_indicator.pk).exists()
    assert Measurement.objects.filter(pk=value.pk).exists()


@pytest.mark.django_db
def test_rules_for_goal_kennzahlen_follow_the_goal_and_for_vorhaben_the_vorhaben(
    admin_user, strategy_user, unit_editor, project_lead, led_initiative, goal_indicator
):
    own = IndicatorFactory(municipality=led_initiative.municipality, initiative=led_initiative)
    for user, on_goal, on_vorhaben in (
        (admin_user, True, True),
        (strategy_user, True, True),
        (unit_editor, False, True),
        (project_lead, False, True),
    ):
        for perm in ("plans.change_indicator", "plans.record_measurement"):
            assert user.has_perm(perm, goal_indicator) is on_goal, (user, perm)
            assert user.has_perm(perm, own) is on_vorhaben, (user, perm)


@pytest.mark.django_db
def test_a_foreign_goal_and_its_kennzahl_answer_404(other_town_admin, goal_indicator, client_for):
    client = client_for(other_town_admin)
    assert (
        client.get(
            reverse("plans:goal_indicator_create", args=[goal_indicator.goal_id])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("plans:measurement_create", args=[goal_indicator.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_the_indicator_service_takes_exactly_one_owner(musterstadt, goal, led_initiative):
    with pytest.raises(ValueError):
        services.indicator_create(actor=None, title="Quote")
    with pytest.raises(ValueError):
        services.indicator_create(initiative=led_initiative, goal=goal, actor=None, title="Quote")
    made = services.indicator_create(
        goal=goal, actor=None, title="Quote", values={"target": Decimal(5)}
    )
    assert made.goal == goal and made.municipality == musterstadt
    assert services.measurement_record(
        indicator=made, actor=None, measured_on=dt.date(2026, 3, 1), value=Decimal(2)
    ).period_label
