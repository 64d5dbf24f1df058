import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from leitwerk.goals.tests.factories import GoalFactory
from leitwerk.plans.models import Indicator
from leitwerk.plans.tests.factories import InitiativeFactory


@pytest.mark.django_db
def test_an_indicator_belongs_to_a_vorhaben_or_a_goal_never_both_or_neither(musterstadt):
    initiative = InitiativeFactory(municipality=musterstadt)
    goal = GoalFactory(municipality=musterstadt)
    for owners in ({"initiative": initiative, "goal": goal}, {}):
        indicator = Indicator(municipality=musterstadt, title="Quote", **owners)
        with pytest.raises(ValidationError, match="entweder zu einem Vorhaben oder zu einem Ziel"):
            indicator.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            indicator.save()
    Indicator(municipality=musterstadt, title="Quote", goal=goal).full_clean()
