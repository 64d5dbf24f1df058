"""The portal shows the owner's assessment beside the calculated state, without internal text."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from leitwerk.controlling.tests.factories import StatusReportFactory
from leitwerk.testing.portal import release_plans

pytestmark = pytest.mark.django_db


def test_the_portal_shows_the_owners_gefaehrdet_with_its_date_but_not_the_internal_text(world):
    initiative = world.public_initiative
    StatusReportFactory(
        initiative=initiative,
        reported_on=dt.date(2026, 5, 1),
        health="at_risk",
        text="intern-sachstand",
        off_track_note="",
    )
    release_plans(world.municipality)  # the portal shows what was released
    slug = world.municipality.slug
    page = Client().get(reverse("portal:initiative", args=[slug, initiative.pk])).content.decode()
    facts = page.split("Zustand", 1)[1]
    assert "badge--at_risk" in facts
    assert "Einschätzung der Projektleitung vom 1. Mai 2026" in facts
    assert "Berechnet" in facts
    assert "intern-sachstand" not in page

    data = json.loads(Client().get(reverse("portal:open_data_json", args=[slug])).content)
    records = data["vorhaben"] if isinstance(data, dict) else data
    record = next(r for r in records if r["id"] == initiative.pk)
    assert record["zustand"] == "at_risk"
    assert record["einschaetzung_projektleitung"] == "at_risk"
    assert record["einschaetzung_am"] == "2026-05-01"
    assert record["zustand_berechnet"] in {"on_track", "at_risk", "off_track", "unknown"}
