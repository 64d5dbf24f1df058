"""The shared factories and personas build valid rows that stay inside one tenant."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from leitwerk.accounts.tests.factories import DEFAULT_PASSWORD
from leitwerk.controlling.tests.factories import MeasurementFactory, StatusReportFactory
from leitwerk.core.tests.factories import AuditLogEntryFactory
from leitwerk.feedback.tests.factories import (
    AnswerAggregateFactory,
    AnswerFactory,
    LocationFactory,
    QuestionFactory,
    ResponseFactory,
    ServiceFactory,
    SuggestionFactory,
    SurveyCodeFactory,
    SurveyFactory,
    SurveyIndicatorBindingFactory,
    WaveFactory,
)
from leitwerk.goals.tests.factories import FrameworkConceptFactory, GoalFactory, GoalFieldFactory
from leitwerk.guidelines.tests.factories import (
    GuidelineDocumentFactory,
    GuidelineSectionFactory,
    StatementFactory,
)
from leitwerk.imports.tests.factories import ImportRunFactory
from leitwerk.municipalities.tests.factories import (
    BodyFactory,
    MembershipFactory,
    OrganisationalUnitFactory,
)
from leitwerk.network.tests.factories import NetworkFactory, RegistryMunicipalityFactory
from leitwerk.obstacles.tests.factories import (
    ObstacleFactory,
    ObstacleRatingFactory,
    SolutionConceptFactory,
)
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    IndicatorFactory,
    InitiativeFactory,
    MilestoneFactory,
    ResolutionFactory,
    SubInitiativeFactory,
    TransferCityFactory,
)
from leitwerk.priorities.tests.factories import (
    BallotEntryFactory,
    BallotFactory,
    DecisionFactory,
    ListVersionFactory,
    PriorityChangeFactory,
    PriorityItemFactory,
    PriorityRoundFactory,
    RoundParticipantFactory,
)
from leitwerk.reports.tests.factories import ReportFactory

TENANT_FACTORIES = [
    OrganisationalUnitFactory,
    BodyFactory,
    MembershipFactory,
    GuidelineDocumentFactory,
    GuidelineSectionFactory,
    StatementFactory,
    GoalFieldFactory,
    GoalFactory,
    FrameworkConceptFactory,
    ActionPlanFactory,
    ActionFieldFactory,
    InitiativeFactory,
    SubInitiativeFactory,
    MilestoneFactory,
    IndicatorFactory,
    TransferCityFactory,
    ResolutionFactory,
    MeasurementFactory,
    StatusReportFactory,
    ObstacleFactory,
    SolutionConceptFactory,
    PriorityRoundFactory,
    PriorityItemFactory,
    DecisionFactory,
    ServiceFactory,
    LocationFactory,
    SurveyFactory,
    SuggestionFactory,
    ReportFactory,
    ImportRunFactory,
    ObstacleRatingFactory,
    RoundParticipantFactory,
    BallotFactory,
    BallotEntryFactory,
    ListVersionFactory,
    PriorityChangeFactory,
    QuestionFactory,
    WaveFactory,
    ResponseFactory,
    AnswerFactory,
    AnswerAggregateFactory,
    SurveyCodeFactory,
    SurveyIndicatorBindingFactory,
]


@pytest.mark.parametrize("factory_class", TENANT_FACTORIES, ids=lambda f: f.__name__)
def test_factory_builds_valid_row_in_given_municipality(factory_class, musterstadt):
    row = factory_class(municipality=musterstadt)
    row.full_clean()
    assert row.municipality == musterstadt
    factory_class().full_clean()


def test_deep_subfactories_share_one_municipality(musterstadt):
    measurement = MeasurementFactory(municipality=musterstadt)
    initiative = measurement.indicator.initiative
    assert initiative.action_field.plan.municipality == musterstadt
    item = PriorityItemFactory()
    assert item.initiative.municipality == item.round.municipality == item.municipality


def test_tenant_follows_a_given_parent(musterstadt):
    field = ActionFieldFactory(municipality=musterstadt)
    assert InitiativeFactory(action_field=field).municipality == musterstadt


def test_amt_factories(db):
    from leitwerk.priorities.tests.factories import BalanceSettingsFactory

    settings = BalanceSettingsFactory()
    settings.full_clean()
    assert settings.municipality.kind == "amt"


def test_answer_question_belongs_to_the_wave_survey(db):
    answer = AnswerFactory()
    assert answer.question.survey == answer.response.wave.survey


def test_non_tenant_factories(musterstadt):
    assert NetworkFactory(members=[musterstadt]).members.get() == musterstadt
    assert RegistryMunicipalityFactory().ags
    assert AuditLogEntryFactory(municipality=musterstadt).action


def test_personas_sign_in(
    strategy_user,
    admin_user,
    unit_editor,
    project_lead,
    council_member,
    viewer,
    other_town_admin,
    client_for,
):
    for user in (strategy_user, admin_user, unit_editor, project_lead, council_member, viewer):
        assert user.memberships.get().municipality.slug == "musterstadt"
        # django-axes (first backend) needs the request to count failures per address.
        request = RequestFactory().post("/konto/anmelden/")
        assert authenticate(request, email=user.email, password=DEFAULT_PASSWORD) == user
    assert other_town_admin.memberships.get().municipality.slug == "fremdstadt"
    assert project_lead.initiatives.count() == 1
    assert unit_editor.memberships.get().unit is not None
    assert client_for(viewer).session.get("_auth_user_id") == str(viewer.pk)
