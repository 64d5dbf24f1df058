"""Beteiligungsangebote in the workspace: the strategy office announces, the portal shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leitwerk.core.models import AuditLogEntry
from leitwerk.portal.models import ParticipationOpportunity

from .factories import ParticipationOpportunityFactory


def _form(**overrides: str) -> dict[str, str]:
    start = timezone.localtime() + dt.timedelta(days=10)
    data = {
        "title": "Stadtteilspaziergang Nordviertel",
        "description": "Wir gehen gemeinsam durch das Viertel.",
        "audience": "Anwohnerinnen und Anwohner",
        "starts_at": start.strftime("%Y-%m-%dT18:00"),
        "ends_at": start.strftime("%Y-%m-%dT20:00"),
        "location": "Treffpunkt Marktplatz",
        "how_to_take_part": "Einfach vorbeikommen.",
        "url": "https://example.org/spaziergang",
        "public": "on",
    }
    data.update(overrides)
    return data


def test_a_created_public_opportunity_appears_on_the_portal(strategy_user, client_for, musterstadt):
    client = client_for(strategy_user)
    response = client.post(reverse("portal_workspace:participation_create"), _form())
    assert response.status_code == 302
    row = ParticipationOpportunity.objects.get(title="Stadtteilspaziergang Nordviertel")
    assert row.municipality == musterstadt and row.audience == "Anwohnerinnen und Anwohner"
    assert AuditLogEntry.objects.filter(action="participation_opportunity.create").exists()
    portal = Client().get(reverse("portal:participation", args=[musterstadt.slug]))
    page = portal.content.decode()
    assert "Stadtteilspaziergang Nordviertel" in page and "Anwohnerinnen und Anwohner" in page
    listing = client.get(reverse("portal_workspace:participation")).content.decode()
    assert "Stadtteilspaziergang Nordviertel" in listing and "öffentlich" in listing


def test_an_opportunity_that_is_not_public_stays_off_the_portal(
    admin_user, client_for, musterstadt
):
    data = _form(title="Interne Vorbesprechung")
    del data["public"]
    client_for(admin_user).post(reverse("portal_workspace:participation_create"), data)
    assert ParticipationOpportunity.objects.filter(title="Interne Vorbesprechung").exists()
    page = Client().get(reverse("portal:participation", args=[musterstadt.slug]))
    assert "Interne Vorbesprechung" not in page.content.decode()


def test_an_end_before_the_start_is_refused_with_a_german_message(strategy_user, client_for):
    start = timezone.localtime() + dt.timedelta(days=10)
    data = _form(
        starts_at=start.strftime("%Y-%m-%dT18:00"), ends_at=start.strftime("%Y-%m-%dT17:00")
    )
    response = client_for(strategy_user).post(
        reverse("portal_workspace:participation_create"), data
    )
    assert response.status_code == 422
    assert "Das Ende liegt vor dem Beginn." in response.content.decode()
    assert not ParticipationOpportunity.objects.exists()


def test_editing_and_deleting_an_opportunity(strategy_user, client_for, musterstadt):
    row = ParticipationOpportunityFactory(municipality=musterstadt, title="Alt")
    client = client_for(strategy_user)
    url = reverse("portal_workspace:participation_edit", args=[row.pk])
    assert "Alt" in client.get(url).content.decode()
    response = client.post(url, {**_form(title="Neu"), "expected_version": row.version})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.title == "Neu" and row.version == 2
    client.post(reverse("portal_workspace:participation_delete", args=[row.pk]))
    assert not ParticipationOpportunity.objects.filter(pk=row.pk).exists()


def test_a_stale_edit_is_a_conflict_and_changes_nothing(strategy_user, client_for, musterstadt):
    row = ParticipationOpportunityFactory(municipality=musterstadt, title="Alt")
    ParticipationOpportunity.objects.filter(pk=row.pk).update(version=5, title="Anders")
    response = client_for(strategy_user).post(
        reverse("portal_workspace:participation_edit", args=[row.pk]),
        {**_form(title="Meins"), "expected_version": 1},
    )
    assert response.status_code == 409
    row.refresh_from_db()
    assert row.title == "Anders"


def test_past_opportunities_are_listed_apart(strategy_user, client_for, musterstadt):
    ParticipationOpportunityFactory(
        municipality=musterstadt,
        title="Vorbei",
        starts_at=timezone.now() - dt.timedelta(days=30),
        ends_at=timezone.now() - dt.timedelta(days=30, hours=-2),
    )
    page = client_for(strategy_user).get(reverse("portal_workspace:participation"))
    text = page.content.decode()
    assert text.index("Vergangene Angebote") < text.index("Vorbei")


@pytest.mark.parametrize("persona", ["viewer", "project_lead", "council_member"])
def test_only_the_strategy_office_and_admins_announce(persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("portal_workspace:participation")).status_code == 403
    response = client.post(reverse("portal_workspace:participation_create"), _form())
    assert response.status_code == 403
    assert not ParticipationOpportunity.objects.exists()


def test_another_towns_opportunity_is_not_found(strategy_user, client_for, other_town):
    foreign = ParticipationOpportunityFactory(municipality=other_town)
    client = client_for(strategy_user)
    for name in ("participation_edit", "participation_delete"):
        assert client.get(reverse(f"portal_workspace:{name}", args=[foreign.pk])).status_code == 404
