import pytest
from django.contrib.auth.models import AnonymousUser

from leitwerk.municipalities import rules as core_rules
from leitwerk.plans.tests.factories import InitiativeFactory


@pytest.mark.django_db
def test_is_member_checks_the_objects_municipality(viewer, musterstadt, other_town):
    assert core_rules.is_member(viewer, musterstadt)
    assert core_rules.is_member(viewer, InitiativeFactory(municipality=musterstadt))
    assert not core_rules.is_member(viewer, other_town)
    assert not core_rules.is_member(viewer, None)
    assert not core_rules.is_member(AnonymousUser(), musterstadt)


@pytest.mark.django_db
def test_has_role_and_strategy_or_admin(strategy_user, viewer, musterstadt):
    assert core_rules.is_strategy_or_admin(strategy_user, musterstadt)
    assert not core_rules.is_strategy_or_admin(viewer, musterstadt)
    assert core_rules.has_role("viewer")(viewer, musterstadt)


@pytest.mark.django_db
def test_unit_editor_only_of_own_unit(unit_editor, led_initiative, musterstadt):
    assert core_rules.is_unit_editor_of(unit_editor, led_initiative)
    assert not core_rules.is_unit_editor_of(
        unit_editor, InitiativeFactory(municipality=musterstadt)
    )


@pytest.mark.django_db
def test_project_lead_only_of_named_initiative(project_lead, led_initiative, musterstadt):
    assert core_rules.is_project_lead_of(project_lead, led_initiative)
    assert not core_rules.is_project_lead_of(
        project_lead, InitiativeFactory(municipality=musterstadt)
    )


@pytest.mark.django_db
def test_memberships_are_read_once_per_user(viewer, musterstadt, django_assert_num_queries):
    core_rules.forget_memberships(viewer)
    with django_assert_num_queries(1):
        for _ in range(5):
            core_rules.is_member(viewer, musterstadt)


@pytest.mark.django_db
def test_a_role_needs_an_object_of_a_municipality(strategy_user):
    # Rows without a municipality (e.g. the person's own account) grant no role.
    assert not core_rules.has_role("strategy")(strategy_user, None)
    assert not core_rules.has_role("strategy")(strategy_user, object())


@pytest.mark.django_db
def test_project_lead_needs_sign_in_and_a_vorhaben(project_lead, musterstadt):
    initiative = InitiativeFactory(municipality=musterstadt)
    initiative.responsible_people.add(project_lead)
    assert core_rules.is_project_lead_of(project_lead, initiative)
    assert not core_rules.is_project_lead_of(AnonymousUser(), initiative)
    # A municipality has no responsible people: leading "it" means nothing.
    assert not core_rules.is_project_lead_of(project_lead, musterstadt)


@pytest.mark.django_db
def test_an_audit_entry_reads_as_when_what_and_which(musterstadt):
    from leitwerk.core.models import AuditLogEntry

    entry = AuditLogEntry.objects.create(
        municipality=musterstadt, action="plan.update", target_repr="Aktionsplan 2030"
    )
    assert str(entry).endswith(" plan.update Aktionsplan 2030")
    assert str(entry)[:4].isdigit()
