"""Catalogue rows that cut across the stages: A8 (tenant kept by caches and background jobs),
A9 (uploaded files never reachable by a direct URL) and G4 (change history immutable)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse

from leitwerk.testing.routes import CANARY, OWN_TAG, body_text
from leitwerk.testing.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def worlds(musterstadt, other_town):
    return build_world(musterstadt, OWN_TAG), build_world(other_town, CANARY)


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_portal_pages_rendered_in_turn_with_a_cache_never_cross_tenants(worlds, client):
    """Catalogue row A8."""
    own, other = worlds
    cache.clear()
    paths = ["", "vorhaben/", "daten/vorhaben.json", "neuigkeiten.atom", "kalender.ics"]
    for path in paths:
        # The foreign municipality first, so a cache keyed without the tenant would serve it.
        foreign = client.get(f"/{other.municipality.slug}/{path}")
        mine = client.get(f"/{own.municipality.slug}/{path}")
        assert foreign.status_code == mine.status_code == 200, path
        assert CANARY not in body_text(mine), path
        assert OWN_TAG not in body_text(foreign), path
    cache.clear()


def test_a_report_job_for_one_municipality_reads_only_its_rows(worlds, strategy_user):
    """Catalogue row A8."""
    from leitwerk.reports import services
    from leitwerk.reports.models import ReportFormat, ReportStatus

    own, _other = worlds
    # Tests run tasks immediately (ImmediateBackend), the way the worker would run them.
    report = services.report_create(
        plan=own.plan, fmt=ReportFormat.XLSX, as_of=dt.date.today(), actor=strategy_user
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    content = report.file.read()
    from django.http import HttpResponse

    text = body_text(HttpResponse(content))
    assert OWN_TAG in text
    assert CANARY not in text
    assert CANARY not in str(report.snapshot)


def test_uploaded_files_have_no_direct_url(worlds, client_for, viewer, client):
    """Catalogue row A9."""
    from leitwerk.plans.models import Attachment

    own, other = worlds
    stored = Attachment(
        municipality=other.municipality,
        initiative=other.initiative,
        original_name="geheim.txt",
        content_type="text/plain",
        size=len(CANARY),
    )
    stored.file.save("geheim.txt", ContentFile(CANARY.encode()), save=True)
    for who in (client, client_for(viewer)):
        for url in (f"/media/{stored.file.name}", f"/{stored.file.name}"):
            response = who.get(url)
            assert response.status_code in (302, 404), url
            assert CANARY not in body_text(response)


def test_history_shows_who_changed_what_and_cannot_be_edited(worlds, strategy_user, client_for):
    """Catalogue row G4."""
    from leitwerk.plans import services
    from leitwerk.plans.models import Initiative

    own, _other = worlds
    initiative = Initiative.objects.get(pk=own.initiative.pk)
    services.initiative_update(
        initiative=initiative,
        actor=strategy_user,
        expected_version=initiative.version,
        changes={"title": f"{OWN_TAG}-Neuer Titel"},
    )
    page = client_for(strategy_user).get(
        reverse("plans:initiative_history", kwargs={"pk": initiative.pk})
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert str(strategy_user) in text and "Titel" in text

    # No admin, no URL writes history rows: historical models are not registered anywhere.
    historical = [m for m in admin.site._registry if m.__name__.startswith("Historical")]
    assert historical == []
    records = list(Initiative.history.filter(id=initiative.pk).values_list("history_id", "title"))
    superuser_client = client_for(strategy_user)
    for method in ("post", "delete"):
        getattr(superuser_client, method)(
            reverse("plans:initiative_history", kwargs={"pk": initiative.pk})
        )
    after = list(Initiative.history.filter(id=initiative.pk).values_list("history_id", "title"))
    assert after == records
