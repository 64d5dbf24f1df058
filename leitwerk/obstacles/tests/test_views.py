"""Obstacle pages: list with the record form, detail with rating and solutions, isolation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leitwerk.obstacles.models import Obstacle
from leitwerk.obstacles.tests.factories import ObstacleFactory, SolutionConceptFactory
from leitwerk.plans.tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

CANARY = "KANARIE-Fremdstadt"


def test_unit_editor_records_and_rates_an_obstacle(musterstadt, unit_editor, client_for):
    initiative = InitiativeFactory(municipality=musterstadt, title="E-Akte")
    client = client_for(unit_editor)
    response = client.post(
        reverse("obstacles:list"),
        {
            "title": "Akten liegen nur auf Papier vor",
            "category": "Digitalisierung",
            "impact": "4",
            "frequency": "5",
            "initiatives": [initiative.pk],
        },
    )
    obstacle = Obstacle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("obstacles:detail", args=[obstacle.pk])
    detail_url = reverse("obstacles:detail", args=[obstacle.pk])
    response = client.post(detail_url, {"form": "rating", "impact": "2", "frequency": "3"})
    assert response.status_code == 302
    obstacle.refresh_from_db()
    assert (obstacle.impact, obstacle.frequency) == (2, 3)
    response = client.post(
        detail_url,
        {"form": "solution", "title": "Scannen beim Posteingang", "initiatives": [initiative.pk]},
    )
    assert response.status_code == 302
    text = client.get(detail_url).content.decode()
    assert "Scannen beim Posteingang" in text and "E-Akte" in text


def test_invalid_obstacle_shows_an_error_summary(musterstadt, strategy_user, client_for):
    response = client_for(strategy_user).post(reverse("obstacles:list"), {"title": ""})
    assert response.status_code == 422
    assert 'class="error-summary"' in response.content.decode()


def test_list_is_ordered_by_severity(musterstadt, viewer, client_for):
    ObstacleFactory(municipality=musterstadt, title="Selten", impact=2, frequency=1)
    ObstacleFactory(municipality=musterstadt, title="Häufig", impact=3, frequency=5)
    response = client_for(viewer).get(reverse("obstacles:list"))
    assert [o.title for o in response.context["obstacles"]] == ["Häufig", "Selten"]
    assert "Hemmnis erfassen" not in response.content.decode()


def test_viewer_and_council_cannot_write(musterstadt, viewer, council_member, client_for):
    obstacle = ObstacleFactory(municipality=musterstadt)
    for user in (viewer, council_member):
        client = client_for(user)
        assert client.post(reverse("obstacles:list"), {"title": "X"}).status_code == 404
        detail = reverse("obstacles:detail", args=[obstacle.pk])
        assert (
            client.post(detail, {"form": "rating", "impact": "1", "frequency": "1"}).status_code
            == 404
        )
    assert not Obstacle.objects.filter(title="X").exists()


def test_another_municipalitys_obstacle_is_a_404_without_canary(
    other_town, viewer, strategy_user, client_for
):
    obstacle = ObstacleFactory(municipality=other_town, title=f"{CANARY} Hemmnis")
    SolutionConceptFactory(obstacle=obstacle, title=f"{CANARY} Lösung")
    for user in (viewer, strategy_user):
        client = client_for(user)
        response = client.get(reverse("obstacles:detail", args=[obstacle.pk]))
        assert response.status_code == 404 and CANARY not in response.content.decode()
        assert CANARY not in client.get(reverse("obstacles:list")).content.decode()
        response = client.post(
            reverse("obstacles:detail", args=[obstacle.pk]),
            {"form": "rating", "impact": "1", "frequency": "1"},
        )
        assert response.status_code == 404
