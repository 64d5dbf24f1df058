"""„Kommune einrichten“: the checklist, the unit tree and the bodies, in the admin's hands."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leitwerk.core.models import AuditLogEntry
from leitwerk.municipalities.models import Body, Membership, OrganisationalUnit, Role
from leitwerk.municipalities.tests.factories import OrganisationalUnitFactory
from leitwerk.plans.models import Initiative
from leitwerk.plans.tests.factories import ActionPlanFactory


def test_the_header_links_the_setup_for_admins_only(admin_user, viewer, client_for):
    url = reverse("administration:checklist")
    assert url in client_for(admin_user).get(reverse("home")).content.decode()
    assert url not in client_for(viewer).get(reverse("home")).content.decode()


def test_a_new_municipality_sees_every_step_open_with_its_links(admin_user, client_for):
    page = client_for(admin_user).get(reverse("administration:checklist")).content.decode()
    assert "0 von 7 Schritten erledigt" in page
    assert reverse("imports:upload") in page and reverse("people:list") in page
    assert reverse("administration:units") in page


def test_steps_turn_done_as_the_municipality_is_set_up(
    admin_user, viewer, editor_unit, council_body, client_for, musterstadt
):
    ActionPlanFactory(municipality=musterstadt, public=True, reporting_interval_days=30)
    page = client_for(admin_user).get(reverse("administration:checklist")).content.decode()
    # Plan, units and bodies, people, interval, portal.
    assert "5 von 7 Schritten erledigt" in page


@pytest.mark.parametrize("persona", ["strategy_user", "viewer", "project_lead"])
def test_only_the_admin_sets_up(persona, request, client_for, editor_unit):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("administration:checklist")).status_code == 403
    assert client.post(reverse("administration:unit_create"), {"name": "X"}).status_code == 403
    assert client.get(reverse("administration:unit_edit", args=[editor_unit.pk])).status_code == 403
    assert not OrganisationalUnit.objects.filter(name="X").exists()


def test_the_admin_builds_a_tree_of_units(admin_user, client_for, musterstadt):
    client = client_for(admin_user)
    response = client.post(
        reverse("administration:unit_create"), {"name": "Dezernat II", "kind": "dezernat"}
    )
    assert response.status_code == 302
    top = OrganisationalUnit.objects.get(name="Dezernat II")
    client.post(
        reverse("administration:unit_create"),
        {"name": "Fachbereich Bildung", "kind": "fachbereich", "parent": top.pk},
    )
    child = OrganisationalUnit.objects.get(name="Fachbereich Bildung")
    assert child.parent == top and child.municipality == musterstadt
    page = client.get(reverse("administration:units")).content.decode()
    assert page.index("Dezernat II") < page.index("Fachbereich Bildung")
    assert "unit-indent--1" in page


def test_a_unit_is_renamed_and_moved_but_never_below_itself(admin_user, client_for, musterstadt):
    top = OrganisationalUnitFactory(municipality=musterstadt, name="Dezernat I", code="")
    child = OrganisationalUnitFactory(municipality=musterstadt, name="Amt 10", parent=top)
    client = client_for(admin_user)
    refused = client.post(
        reverse("administration:unit_edit", args=[top.pk]),
        {"name": "Dezernat I", "kind": "dezernat", "parent": child.pk, "expected_version": 1},
    )
    assert refused.status_code == 422
    assert "unter sich selbst" in refused.content.decode()
    done = client.post(
        reverse("administration:unit_edit", args=[child.pk]),
        {"name": "Amt für Bildung", "kind": "amt", "parent": "", "expected_version": 1},
    )
    assert done.status_code == 302
    child.refresh_from_db()
    assert child.name == "Amt für Bildung" and child.parent is None


def test_merging_moves_vorhaben_and_people_to_the_other_unit(
    admin_user, unit_editor, led_initiative, editor_unit, client_for, musterstadt
):
    target = OrganisationalUnitFactory(municipality=musterstadt, name="Bürgerdienste")
    response = client_for(admin_user).post(
        reverse("administration:unit_merge", args=[editor_unit.pk]), {"into": target.pk}
    )
    assert response.status_code == 302
    assert not OrganisationalUnit.objects.filter(pk=editor_unit.pk).exists()
    assert Initiative.objects.get(pk=led_initiative.pk).lead_unit == target
    assert Membership.objects.get(user=unit_editor).unit == target
    entry = AuditLogEntry.objects.get(action="unit.merge")
    assert entry.data["moved"]["plans.Initiative.lead_unit"] == 1


def test_the_admin_creates_a_body_and_sees_its_members(
    admin_user, council_member, council_body, client_for
):
    client = client_for(admin_user)
    response = client.post(
        reverse("administration:body_create"), {"name": "Ortsbeirat Nord", "kind": "other"}
    )
    assert response.status_code == 302
    assert Body.objects.filter(name="Ortsbeirat Nord").exists()
    page = client.get(reverse("administration:bodies")).content.decode()
    assert "Ortsbeirat Nord" in page and "Ralf Rat" in page
    assert str(Role.COUNCIL.label) in page


def test_units_of_another_town_are_not_found(admin_user, other_town, client_for):
    foreign = OrganisationalUnitFactory(municipality=other_town, name="Fremdamt")
    client = client_for(admin_user)
    assert client.get(reverse("administration:unit_edit", args=[foreign.pk])).status_code == 404
    response = client.post(reverse("administration:unit_merge", args=[foreign.pk]), {})
    assert response.status_code == 404


def test_the_leitbild_and_plan_lists_offer_the_import(strategy_user, client_for):
    client = client_for(strategy_user)
    for name in ("guidelines:list", "plans:list"):
        page = client.get(reverse(name)).content.decode()
        assert reverse("imports:upload") in page and "Importieren" in page


def test_merging_keeps_the_teams_of_a_staff_survey(
    admin_user, editor_unit, client_for, musterstadt
):
    from leitwerk.feedback.tests.factories import SurveyFactory

    target = OrganisationalUnitFactory(municipality=musterstadt, name="Bürgerdienste")
    survey = SurveyFactory(municipality=musterstadt)
    survey.units.add(editor_unit)
    client_for(admin_user).post(
        reverse("administration:unit_merge", args=[editor_unit.pk]), {"into": target.pk}
    )
    assert list(survey.units.all()) == [target]


def test_a_council_member_is_advisory_in_a_body_and_the_body_says_so(
    admin_user, viewer, council_body, client_for, musterstadt
):
    client = client_for(admin_user)
    response = client.post(
        reverse("people:edit", args=[viewer.pk]),
        {"roles": [Role.COUNCIL], "body": council_body.pk, "body_role": "advisory"},
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=viewer, municipality=musterstadt).body_role == "advisory"
    page = client.get(reverse("administration:bodies")).content.decode()
    assert "Vera Viewer – Ratsmitglied, beratend" in page
