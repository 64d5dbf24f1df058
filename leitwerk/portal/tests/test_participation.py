"""Participation opportunities: on the Mitmachen page and in the iCalendar feed, public only."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from .conftest import CANARY
from .factories import ParticipationOpportunityFactory


def _url(name: str, slug: str = "musterstadt") -> str:
    return reverse(f"portal:{name}", kwargs={"municipality_slug": slug})


def _events(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


@pytest.mark.django_db
def test_calendar_feed_has_the_opportunity_with_time_place_and_how(world):
    events = _events(Client().get(_url("calendar_ics")).content)

    event = events["Beteiligung: ÖFFENTLICH-Bürgerwerkstatt"]
    assert event.decoded("dtstart") == dt.datetime(2026, 5, 20, 16, 0, tzinfo=dt.UTC)
    assert event.decoded("dtend") == dt.datetime(2026, 5, 20, 18, 0, tzinfo=dt.UTC)
    assert str(event["location"]) == "ÖFFENTLICH-Ort"
    assert "ÖFFENTLICH-So-geht-es" in str(event["description"])
    assert str(event["url"]).endswith(
        f"/musterstadt/mitmachen/#angebot-{world.public_opportunity.pk}"
    )
    assert not any(CANARY in summary.lower() for summary in events)


@pytest.mark.django_db
def test_participation_page_names_only_public_vorhaben_of_an_opportunity(world):
    page = Client().get(_url("participation")).content.decode()

    assert f'id="angebot-{world.public_opportunity.pk}"' in page
    assert "zum Vorhaben" in page and "ÖFFENTLICH-Vorhaben" in page
    # The walk is public, the Vorhaben it belongs to is not: shown without it.
    assert "ÖFFENTLICH-Ortsbegehung" in page
    assert world.hidden_initiative.title not in page


@pytest.mark.django_db
def test_a_non_public_opportunity_appears_nowhere(world):
    client = Client()
    for name in ("home", "participation", "calendar", "calendar_ics"):
        body = client.get(_url(name)).content.decode().lower()
        assert f"{CANARY}-beteiligung" not in body, name


@pytest.mark.django_db
def test_past_opportunities_are_no_longer_offered(musterstadt, frozen_today):
    ParticipationOpportunityFactory(
        municipality=musterstadt,
        title="Vergangene Werkstatt",
        starts_at=dt.datetime(2026, 4, 1, 16, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 4, 1, 18, 0, tzinfo=dt.UTC),
    )
    ParticipationOpportunityFactory(
        municipality=musterstadt,
        title="Heutige Sprechstunde",
        starts_at=dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC),
        ends_at=None,
    )
    page = Client().get(_url("participation")).content.decode()
    assert "Vergangene Werkstatt" not in page
    assert "Heutige Sprechstunde" in page


@pytest.mark.django_db
def test_an_end_before_the_start_is_refused(musterstadt):
    from django.core.exceptions import ValidationError

    opportunity = ParticipationOpportunityFactory.build(
        municipality=musterstadt,
        starts_at=dt.datetime(2026, 5, 20, 16, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 5, 20, 15, 0, tzinfo=dt.UTC),
    )
    with pytest.raises(ValidationError) as error:
        opportunity.full_clean()
    assert "ends_at" in error.value.message_dict
