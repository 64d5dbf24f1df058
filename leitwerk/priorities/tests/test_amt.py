"""Amt mode on the pages: whom a Vorhaben benefits, and each member's part of the adopted list."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from leitwerk.core.models import AuditLogEntry
from leitwerk.municipalities.models import Role
from leitwerk.municipalities.tests.factories import (
    AmtFactory,
    MemberMunicipalityFactory,
    MembershipFactory,
)
from leitwerk.plans.tests.factories import InitiativeFactory
from leitwerk.priorities import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def amt():
    amt = AmtFactory(name="Amt Probe", slug="amt-probe")
    nord = MemberMunicipalityFactory(parent=amt, name="Nord", slug="nord", population=3000)
    sued = MemberMunicipalityFactory(parent=amt, name="Süd", slug="sued", population=1000)
    return amt, nord, sued


def _rows(response):
    return {row["b"].name: row["b"] for row in response.context["rows"]}


def test_strategy_office_sets_whom_a_vorhaben_benefits(amt, client_for):
    amt, nord, sued = amt
    initiative = InitiativeFactory(municipality=amt, budget_eur=80000, title="Dorfladen")
    client = client_for(MembershipFactory(municipality=amt, role=Role.STRATEGY).user)
    url = reverse("priorities:balance")
    page = client.get(url)
    assert "Festlegen, wem ein Vorhaben nützt" in page.content.decode()
    assert _rows(page)["Süd"].initiatives == 0

    response = client.post(
        reverse("priorities:balance_beneficiaries"),
        {"initiative": initiative.pk, "members": [sued.pk]},
    )
    assert response.status_code == 302
    rows = _rows(client.get(url))
    assert rows["Süd"].initiatives == 1 and rows["Süd"].budget == 80000
    assert rows["Nord"].initiatives == 0 and rows["Nord"].disadvantaged
    assert AuditLogEntry.objects.filter(action="priorities.initiative_beneficiaries_set").exists()

    # No box ticked: the Vorhaben is Amt-wide again and counts for nobody.
    client.post(reverse("priorities:balance_beneficiaries"), {"initiative": initiative.pk})
    assert list(initiative.affected_municipalities.all()) == []


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PROJECT_LEAD, Role.COUNCIL])
def test_only_the_strategy_office_sets_beneficiaries(amt, client_for, role):
    amt, nord, _sued = amt
    initiative = InitiativeFactory(municipality=amt)
    client = client_for(MembershipFactory(municipality=amt, role=role).user)
    page = client.get(reverse("priorities:balance")).content.decode()
    assert "Festlegen, wem ein Vorhaben nützt" not in page
    response = client.post(
        reverse("priorities:balance_beneficiaries"),
        {"initiative": initiative.pk, "members": [nord.pk]},
    )
    # The balance is visible to them, saving is not allowed: 403 (no longer 404).
    assert response.status_code == 403
    assert not initiative.affected_municipalities.exists()


def test_a_municipality_outside_the_amt_cannot_benefit(amt, musterstadt):
    amt, nord, _sued = amt
    stranger = MemberMunicipalityFactory(name="Anderswo", slug="anderswo")
    initiative = InitiativeFactory(municipality=amt)
    with pytest.raises(ValidationError, match="nur Mitgliedsgemeinden"):
        services.initiative_beneficiaries_set(
            initiative=initiative, actor=None, members=[nord, stranger]
        )
    assert not initiative.affected_municipalities.exists()


def _adopted_round_with(amt, nord, sued):
    from leitwerk.priorities.models import CostShare, RoundStatus
    from leitwerk.priorities.tests.factories import PriorityItemFactory, PriorityRoundFactory

    hall = InitiativeFactory(municipality=amt, title="Feuerwehrhaus Nord", budget_eur=100000)
    hall.affected_municipalities.set([nord])
    for member, percent in ((nord, 60), (sued, 40)):
        CostShare.objects.create(
            municipality=amt, initiative=hall, member=member, share_percent=percent
        )
    path = InitiativeFactory(municipality=amt, title="Radweg Süd")
    path.affected_municipalities.set([sued])
    amt_wide = InitiativeFactory(municipality=amt, title="Amtsweite Website")
    round = PriorityRoundFactory(municipality=amt, status=RoundStatus.ADOPTED)
    for rank, initiative in enumerate((hall, path, amt_wide), 1):
        PriorityItemFactory(municipality=amt, round=round, initiative=initiative, rank=rank)
    return round


def test_each_member_sees_its_part_of_the_list_next_to_its_sign_off(amt, client_for):
    from decimal import Decimal

    amt, nord, sued = amt
    round = _adopted_round_with(amt, nord, sued)
    client = client_for(MembershipFactory(municipality=amt, role=Role.VIEWER).user)
    response = client.get(reverse("priorities:detail", args=[round.pk]))
    parts = {p.member.name: p for p in response.context["sign_offs"]}
    assert [(r.item.initiative.title, r.benefits, r.pays) for r in parts["Nord"].items] == [
        ("Feuerwehrhaus Nord", True, Decimal(60000))
    ]
    # Süd pays a share of the fire station it does not benefit from: that is part of its part.
    assert [(r.item.initiative.title, r.benefits, r.pays) for r in parts["Süd"].items] == [
        ("Feuerwehrhaus Nord", False, Decimal(40000)),
        ("Radweg Süd", True, None),
    ]
    page = response.content.decode()
    assert "Der Teil von Süd" in page and "Amtsweite Website" in page
    section = page.split(f'id="part-{sued.pk}"')[1]
    assert "Radweg Süd" in section and "40.000" in section


def test_member_parts_take_a_constant_number_of_queries(amt):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from leitwerk.priorities import selectors

    amt, nord, sued = amt
    round = _adopted_round_with(amt, nord, sued)
    with CaptureQueriesContext(connection) as small:
        selectors.sign_offs_for_round(round=round)
    MemberMunicipalityFactory(parent=amt, name="Ost", slug="ost")
    more = _adopted_round_with(amt, nord, sued)
    with CaptureQueriesContext(connection) as large:
        selectors.sign_offs_for_round(round=more)
    assert len(large) == len(small)


def test_each_balance_form_saves_through_its_own_address_and_the_page_reads_only(
    amt, musterstadt, strategy_user, client_for
):
    amt, nord, _sued = amt
    client = client_for(MembershipFactory(municipality=amt, role=Role.STRATEGY).user)
    response = client.post(reverse("priorities:balance_threshold"), {"threshold_points": "abc"})
    assert response.status_code == 422 and 'id="id_threshold_points-error"' in (
        response.content.decode()
    )
    assert client.post(reverse("priorities:balance"), {"threshold_points": "5"}).status_code == 405
    assert client.get(reverse("priorities:balance_threshold")).status_code == 405
    # Outside an Amt there is no balance to save to: 404 even for the strategy office.
    outside = client_for(strategy_user).post(
        reverse("priorities:balance_compensation"), {"member": nord.pk, "title": "X"}
    )
    assert outside.status_code == 404
