"""Obstacles: record, rate (mean of ratings), solution concepts linked to Vorhaben."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from leitwerk.core.models import AuditLogEntry
from leitwerk.obstacles import services
from leitwerk.obstacles.tests.factories import ObstacleFactory
from leitwerk.plans.tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def test_obstacle_create_links_vorhaben_and_audits(musterstadt, strategy_user):
    initiative = InitiativeFactory(municipality=musterstadt)
    obstacle = services.obstacle_create(
        municipality=musterstadt,
        actor=strategy_user,
        title="Medienbrüche bei Anträgen",
        category="Digitalisierung",
        impact=4,
        frequency=5,
        initiatives=[initiative],
    )
    assert obstacle.severity == 20
    assert list(initiative.obstacles.all()) == [obstacle]
    assert AuditLogEntry.objects.filter(action="obstacles.obstacle_create").exists()


def test_obstacle_create_validates(musterstadt, other_town, strategy_user):
    with pytest.raises(ValidationError, match="1 \\(gering\\) bis 5"):
        services.obstacle_create(municipality=musterstadt, actor=strategy_user, title="X", impact=6)
    with pytest.raises(ValidationError, match="anderen Kommune"):
        services.obstacle_create(
            municipality=musterstadt,
            actor=strategy_user,
            title="X",
            initiatives=[InitiativeFactory(municipality=other_town)],
        )


def test_ratings_average_half_up(musterstadt, strategy_user, unit_editor):
    obstacle = ObstacleFactory(municipality=musterstadt, impact=1, frequency=1)
    services.obstacle_rate(obstacle=obstacle, actor=strategy_user, impact=2, frequency=5)
    services.obstacle_rate(obstacle=obstacle, actor=unit_editor, impact=3, frequency=4)
    obstacle.refresh_from_db()
    # Means 2.5 and 4.5 round half up to 3 and 5.
    assert (obstacle.impact, obstacle.frequency) == (3, 5)
    assert obstacle.ratings.count() == 2


def test_solution_concept_links_its_vorhaben_to_the_obstacle(musterstadt, strategy_user):
    obstacle = ObstacleFactory(municipality=musterstadt)
    initiative = InitiativeFactory(municipality=musterstadt)
    concept = services.solution_concept_create(
        obstacle=obstacle, actor=strategy_user, title="Online-Antrag", initiatives=[initiative]
    )
    assert list(initiative.solution_concepts.all()) == [concept]
    assert list(obstacle.initiatives.all()) == [initiative]
