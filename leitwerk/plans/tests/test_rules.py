import pytest
from django.contrib.auth.models import AnonymousUser

from leitwerk.plans.tests.factories import InitiativeFactory

PERSONAS = [
    "admin_user",
    "strategy_user",
    "unit_editor",
    "project_lead",
    "council_member",
    "viewer",
]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_member_may_view_plans_and_initiatives(request, persona, musterstadt):
    user = request.getfixturevalue(persona)
    assert user.has_perm("plans.view_plan", musterstadt)
    assert user.has_perm("plans.view_initiative", musterstadt)


@pytest.mark.django_db
def test_other_town_and_anonymous_may_not_view_plans(other_town_admin, musterstadt):
    for user in (other_town_admin, AnonymousUser()):
        assert not user.has_perm("plans.view_plan", musterstadt)
        assert not user.has_perm("plans.view_initiative", musterstadt)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("admin_user", True),
        ("strategy_user", True),
        ("unit_editor", True),  # FB 3 leads `led_initiative`
        ("project_lead", True),  # named responsible for `led_initiative`
        ("council_member", False),
        ("viewer", False),
        ("other_town_admin", False),
    ],
)
def test_who_may_report_on_a_led_initiative(request, persona, allowed, led_initiative):
    user = request.getfixturevalue(persona)
    assert user.has_perm("plans.report_on_initiative", led_initiative) is allowed


@pytest.mark.django_db
def test_unit_editor_and_project_lead_may_not_report_on_other_initiatives(
    unit_editor, project_lead, musterstadt
):
    other = InitiativeFactory(municipality=musterstadt)
    assert not unit_editor.has_perm("plans.report_on_initiative", other)
    assert not project_lead.has_perm("plans.report_on_initiative", other)
