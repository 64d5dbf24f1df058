"""Freigabe: the portal shows what the strategy office released, and only they publish (L3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import import_module
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from leitwerk.controlling.tests.factories import MeasurementFactory
from leitwerk.core.models import AuditLogEntry
from leitwerk.municipalities.models import Role
from leitwerk.plans import services
from leitwerk.plans.models import Initiative, PortalRelease
from leitwerk.plans.release import complete_pending_releases
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    IndicatorFactory,
    InitiativeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_initiative(led_initiative):
    """The project lead's Vorhaben, public in a public adopted plan."""
    plan = led_initiative.action_field.plan
    plan.public = True
    plan.save()
    led_initiative.public = True
    led_initiative.title = "Online-Terminvergabe"
    led_initiative.save()
    return led_initiative


def _portal(path: str = "vorhaben/") -> str:
    return Client().get(f"/musterstadt/{path}").content.decode()


def _edit(initiative: Initiative, actor, **changes) -> Initiative:
    initiative.refresh_from_db()
    return services.initiative_update(
        initiative=initiative, actor=actor, expected_version=initiative.version, changes=changes
    )


def _edit_form(initiative: Initiative, **overrides) -> dict:
    data = {
        "number": initiative.number,
        "title": initiative.title,
        "objective": initiative.objective,
        "description": initiative.description,
        "status": initiative.status,
        "lead_unit": initiative.lead_unit_id or "",
        "start_date": initiative.start_date or "",
        "end_date": initiative.end_date or "",
        "period_text": initiative.period_text,
        "weight": str(initiative.weight),
        "public": "on" if initiative.public else "",
        "expected_version": initiative.version,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


# --- the portal shows released content only ---------------------------------------------------


def test_an_edited_title_reaches_the_portal_only_with_the_release(public_initiative, strategy_user):
    services.plan_release(plan=public_initiative.action_field.plan, actor=strategy_user)
    _edit(public_initiative, strategy_user, title="Termine online buchen")
    page = _portal()
    assert "Online-Terminvergabe" in page and "Termine online buchen" not in page
    detail = _portal(f"vorhaben/{public_initiative.pk}/")
    assert "Online-Terminvergabe" in detail and "Termine online buchen" not in detail
    assert public_initiative.action_field.plan.title in detail

    services.plan_release(plan=public_initiative.action_field.plan, actor=strategy_user)
    page = _portal()
    assert "Termine online buchen" in page and "Online-Terminvergabe" not in page


def test_a_never_released_plan_is_not_in_the_portal(public_initiative):
    assert "Online-Terminvergabe" not in _portal()
    assert Client().get(f"/musterstadt/vorhaben/{public_initiative.pk}/").status_code == 404


def test_a_new_measurement_changes_the_portals_figures_only_with_the_release(
    public_initiative, strategy_user
):
    indicator = IndicatorFactory(
        initiative=public_initiative, public=True, title="Wartezeit", baseline=40, target=10
    )
    MeasurementFactory(indicator=indicator, value=30, measured_on=dt.date(2026, 3, 31))
    services.plan_release(plan=public_initiative.action_field.plan, actor=strategy_user)
    MeasurementFactory(indicator=indicator, value=12, measured_on=dt.date(2026, 4, 30))

    assert _portal("daten/vorhaben.json").count('"letzter_wert": 30') == 1
    services.plan_release(plan=public_initiative.action_field.plan, actor=strategy_user)
    assert _portal("daten/vorhaben.json").count('"letzter_wert": 12') == 1


def test_releasing_one_vorhaben_leaves_the_others_as_released(public_initiative, strategy_user):
    other = InitiativeFactory(
        action_field=public_initiative.action_field, public=True, title="Bürgerbüro mobil"
    )
    services.plan_release(plan=public_initiative.action_field.plan, actor=strategy_user)
    _edit(public_initiative, strategy_user, title="Termine online buchen")
    _edit(other, strategy_user, title="Bürgerbüro auf Rädern")

    services.initiative_release(initiative=public_initiative, actor=strategy_user)
    page = _portal()
    assert "Termine online buchen" in page
    assert "Bürgerbüro mobil" in page and "Bürgerbüro auf Rädern" not in page


def test_withdrawing_a_vorhaben_takes_it_off_the_portal_at_once(public_initiative, strategy_user):
    services.plan_release(plan=public_initiative.action_field.plan, actor=strategy_user)
    _edit(public_initiative, strategy_user, public=False)
    assert "Online-Terminvergabe" not in _portal()
    assert Client().get(f"/musterstadt/vorhaben/{public_initiative.pk}/").status_code == 404


def test_internal_fields_never_enter_a_release(public_initiative, strategy_user):
    _edit(public_initiative, strategy_user, budget_eur=Decimal("987654.32"))
    public_initiative.responsible_text = ["Frau Intern"]
    public_initiative.save()
    row = services.plan_release(plan=public_initiative.action_field.plan, actor=strategy_user)
    text = str(row.data)
    assert "987654" not in text and "Frau Intern" not in text
    assert "budget" not in text


def test_a_release_is_audited_with_the_person(public_initiative, strategy_user):
    row = services.plan_release(plan=public_initiative.action_field.plan, actor=strategy_user)
    entry = AuditLogEntry.objects.filter(action="plan.release").get()
    assert entry.actor == strategy_user
    assert entry.data["initiatives"] == [public_initiative.pk]
    assert row.released_by == strategy_user


def test_the_migration_releases_what_the_portal_showed_before(public_initiative, musterstadt):
    ActionPlanFactory(municipality=musterstadt, public=False, title="Intern")
    migration = import_module("leitwerk.plans.migrations.0007_initial_portal_release")
    migration.release_published(apps, None)
    assert PortalRelease.objects.filter(plan=public_initiative.action_field.plan).count() == 1
    assert PortalRelease.objects.count() == 1  # the internal plan gets none
    # Marked during the migration, built right after it (post_migrate), then shown.
    assert "Online-Terminvergabe" not in _portal()
    assert complete_pending_releases() == 1
    assert "Online-Terminvergabe" in _portal()
    # Run again (a replay), it releases nothing twice.
    migration.release_published(apps, None)
    assert complete_pending_releases() == 0
    assert PortalRelease.objects.count() == 1


def test_a_marked_first_release_does_not_break_the_workspace(
    public_initiative, strategy_user, client_for
):
    migration = import_module("leitwerk.plans.migrations.0007_initial_portal_release")
    migration.release_published(apps, None)
    client = client_for(strategy_user)
    plan = public_initiative.action_field.plan
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200
    url = reverse("plans:initiative_detail", args=[public_initiative.pk])
    assert client.get(url).status_code == 200
    services.initiative_release(initiative=public_initiative, actor=strategy_user)
    assert "Online-Terminvergabe" in _portal()


# --- the workspace says what is released and what changed -------------------------------------


def test_the_vorhaben_page_names_the_release_and_the_changes_since(
    public_initiative, strategy_user, client_for
):
    client = client_for(strategy_user)
    url = reverse("plans:initiative_detail", args=[public_initiative.pk])
    page = client.get(url).content.decode()
    assert "Noch nicht für das Portal freigegeben" in page
    assert "Für das Portal freigeben" in page

    services.plan_release(plan=public_initiative.action_field.plan, actor=strategy_user)
    page = client.get(url).content.decode()
    assert "Freigegeben am" in page and "von Sina Strateg" in page
    assert "Keine Änderungen seit der letzten Freigabe" in page

    _edit(public_initiative, strategy_user, title="Termine online buchen")
    page = client.get(url).content.decode()
    assert "Änderungen seit der letzten Freigabe" in page
    assert "<li>Titel</li>" in page


def test_the_release_button_posts_without_javascript(public_initiative, strategy_user, client_for):
    client = client_for(strategy_user)
    _edit(public_initiative, strategy_user, title="Termine online buchen")
    url = reverse("plans:initiative_release", args=[public_initiative.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0].endswith("#freigabe")
    assert "Das Portal zeigt jetzt diesen Stand des Vorhabens" in response.content.decode()
    assert "Termine online buchen" in _portal()


def test_the_plan_page_lists_the_changed_vorhaben(public_initiative, strategy_user, client_for):
    plan = public_initiative.action_field.plan
    services.plan_release(plan=plan, actor=strategy_user)
    _edit(public_initiative, strategy_user, title="Termine online buchen")
    client = client_for(strategy_user)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Änderungen seit der letzten Freigabe" in page
    assert f"{public_initiative.number} Termine online buchen: Titel" in page
    response = client.post(reverse("plans:release", args=[plan.pk]), follow=True)
    assert "Das Portal zeigt jetzt diesen Stand des Plans (1 Vorhaben)" in response.content.decode()


def test_a_project_lead_sees_the_release_state_but_may_not_release(
    public_initiative, project_lead, client_for
):
    client = client_for(project_lead)
    page = client.get(reverse("plans:initiative_detail", args=[public_initiative.pk]))
    html = page.content.decode()
    assert "Bürgerportal" in html and "Für das Portal freigeben kann das Strategiebüro" in html
    assert "Für das Portal freigeben</button>" not in html
    refused = client.post(reverse("plans:initiative_release", args=[public_initiative.pk]))
    assert refused.status_code == 403
    assert not PortalRelease.objects.exists()
    with pytest.raises(PermissionDenied):
        services.initiative_release(initiative=public_initiative, actor=project_lead)


# --- L3: publishing, weight and budget belong to the strategy office -------------------------


def test_l3_a_project_lead_can_no_longer_unpublish_or_reweight_through_the_form(
    public_initiative, project_lead, client_for
):
    """Security audit 2, L3: POST weight=50, budget=99999999 and no `public` → all stored."""
    client = client_for(project_lead)
    url = reverse("plans:initiative_edit", args=[public_initiative.pk])
    data = _edit_form(public_initiative, weight="50", budget_eur="99999999", public="")
    data["title"] = "Online-Termine"
    response = client.post(url, data)
    assert response.status_code == 302
    public_initiative.refresh_from_db()
    # The other fields are saved; the steered ones are ignored.
    assert public_initiative.title == "Online-Termine"
    assert public_initiative.public is True
    assert public_initiative.weight == Decimal(1)
    assert public_initiative.budget_eur is None


def test_l3_a_unit_editor_sees_no_publish_weight_or_budget_fields(
    public_initiative, unit_editor, strategy_user, client_for
):
    html = client_for(unit_editor).get(
        reverse("plans:initiative_edit", args=[public_initiative.pk])
    )
    assert html.status_code == 200
    for name in ("id_public", "id_weight", "id_budget_eur"):
        assert f'id="{name}"' not in html.content.decode()
    html = client_for(strategy_user).get(
        reverse("plans:initiative_edit", args=[public_initiative.pk])
    )
    for name in ("id_public", "id_weight", "id_budget_eur"):
        assert f'id="{name}"' in html.content.decode()


def test_l3_the_service_refuses_a_project_lead_changing_weight(public_initiative, project_lead):
    with pytest.raises(PermissionDenied, match="Strategiebüro"):
        _edit(public_initiative, project_lead, weight=Decimal(50))
    # Unchanged values pass (an API or form sending them back as they are).
    _edit(public_initiative, project_lead, weight=Decimal(1), title="Neu")


def _declared_field_roles() -> dict[str, set[str]]:
    path = Path(settings.BASE_DIR) / "docs" / "permissions.yaml"
    declared = yaml.safe_load(path.read_text(encoding="utf-8"))["fields"]["plans:initiative_edit"]
    return {name: set(roles) for name, roles in declared.items()}


def test_the_steered_fields_match_the_declared_role_matrix(
    public_initiative,
    admin_user,
    strategy_user,
    unit_editor,
    project_lead,
    council_member,
    viewer,
    client_for,
):
    people = {
        Role.ADMIN: admin_user,
        Role.STRATEGY: strategy_user,
        Role.UNIT_EDITOR: unit_editor,
        Role.PROJECT_LEAD: project_lead,
        Role.COUNCIL: council_member,
        Role.VIEWER: viewer,
    }
    declared = _declared_field_roles()
    assert set(declared) == {"public", "weight", "budget_eur"}
    url = reverse("plans:initiative_edit", args=[public_initiative.pk])
    for role, person in people.items():
        may_steer = person.has_perm("plans.steer_initiative", public_initiative)
        for name, roles in declared.items():
            assert may_steer == (role.value in roles), (role, name)
        may_edit = person.has_perm("plans.change_initiative", public_initiative)
        if may_edit:
            html = client_for(person).get(url).content.decode()
            for name in declared:
                assert (f'id="id_{name}"' in html) == may_steer, (role, name)
        assert person.has_perm("plans.release_plan", public_initiative.action_field.plan) == (
            role in (Role.ADMIN, Role.STRATEGY)
        )


def test_a_plan_that_is_not_public_releases_empty_and_leaves_the_portal(musterstadt, strategy_user):
    plan = ActionPlanFactory(municipality=musterstadt, public=True, title="Plan A")
    InitiativeFactory(action_field=ActionFieldFactory(plan=plan), public=True, title="Sichtbar")
    services.plan_release(plan=plan, actor=strategy_user)
    assert "Sichtbar" in _portal()
    plan.public = False
    plan.save()
    row = services.plan_release(plan=plan, actor=strategy_user)
    assert row.data["initiatives"] == []
    assert "Sichtbar" not in _portal()
