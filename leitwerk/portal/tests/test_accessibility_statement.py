"""The accessibility statement per municipality: the state's bodies from the shipped data
file, the last automated check, known barriers, the feedback form, the JSON-LD version."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from leitwerk.feedback.models import Suggestion, SuggestionCategory
from leitwerk.portal import accessibility_bodies
from leitwerk.portal.models import AccessibilityCheck, PortalSettings
from leitwerk.portal.services import accessibility_check_record


def _url(name: str, **kwargs) -> str:
    return reverse(f"portal:{name}", kwargs={"municipality_slug": "musterstadt", **kwargs})


def test_the_data_file_names_both_bodies_with_an_address_for_all_16_states():
    states = accessibility_bodies.all_states()
    assert [s.code for s in states] == [f"{n:02d}" for n in range(1, 17)]
    for state in states:
        for body in (state.monitoring, state.enforcement):
            assert body.name and len(body.address) >= 2, state.state
            assert re.match(r"^\d{5} ", body.address[-1]), (state.state, body.address)


def test_the_state_comes_from_the_first_two_digits_of_the_ags():
    assert accessibility_bodies.for_ags("09162000").state == "Bayern"
    assert accessibility_bodies.for_ags("05315000").state == "Nordrhein-Westfalen"
    assert accessibility_bodies.for_ags("") is None
    assert accessibility_bodies.for_ags("99") is None


@pytest.mark.django_db
def test_the_statement_names_the_bodies_of_the_municipality_state(musterstadt):
    body = Client().get(_url("accessibility")).content.decode()
    bavaria = accessibility_bodies.for_ags(musterstadt.ags)
    assert "Zuständige Stellen im Land Bayern" in body
    assert bavaria.enforcement.name in body and bavaria.monitoring.name in body
    assert "Für dieses Portal ist noch keine automatische Prüfung eingetragen." in body


@pytest.mark.django_db
def test_the_statement_shows_the_newest_automated_check_and_the_known_barriers(musterstadt):
    accessibility_check_record(
        municipality=musterstadt,
        checked_at=dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC),
        pages=31,
        critical=0,
        serious=0,
        moderate=2,
        minor=5,
    )
    PortalSettings.objects.create(
        municipality=musterstadt, known_limitations="Stadtplan: Die Karte hat keine Textfassung."
    )
    body = Client().get(_url("accessibility")).content.decode()
    assert "30. November 2026" in body and "31 Seiten" in body
    assert '<th scope="row">mittel</th><td class="num">2</td>' in body
    assert "<strong>Stadtplan:</strong> Die Karte hat keine Textfassung." in body


@pytest.mark.django_db
def test_the_machine_readable_statement_carries_the_model_fields(musterstadt):
    response = Client().get(_url("accessibility_jsonld"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    document = json.loads(response.content)
    assert document["@context"] == "https://schema.org"
    properties = {p["propertyID"]: p["value"] for p in document["additionalProperty"]}
    assert properties["conformanceStatus"] == "teilweise vereinbar"
    roles = [m["description"] for m in document["mentions"]]
    assert roles[:2] == [
        "Überwachungsstelle des Landes Bayern",
        "Durchsetzungsstelle des Landes Bayern",
    ]
    assert document["potentialAction"]["target"].endswith(
        "/musterstadt/barrierefreiheit/barriere-melden/"
    )
    assert document["mentions"][1]["address"]["postalCode"].isdigit()


@pytest.mark.django_db
def test_a_reported_barrier_becomes_a_suggestion_with_the_usual_deadline(musterstadt):
    client = Client()
    url = _url("barrier_report")
    started = re.search(r'name="started" value="([^"]+)"', client.get(url).content.decode()).group(
        1
    )
    with time_machine.travel(dt.timedelta(seconds=10)):
        response = client.post(
            url,
            {
                "page": "/musterstadt/termine/",
                "text": "Der Kalender ist mit der Tastatur nicht bedienbar.",
                "contact": "",
                "started": started,
                "website": "",
            },
        )
    assert response.status_code == 200
    suggestion = Suggestion.objects.get(municipality=musterstadt)
    assert suggestion.category == SuggestionCategory.BARRIER
    assert suggestion.text.startswith("Seite: /musterstadt/termine/")
    assert suggestion.due_on == suggestion.received_on + dt.timedelta(days=14)


@pytest.mark.django_db
def test_an_empty_report_names_the_missing_fields_and_stores_nothing(musterstadt):
    response = Client().post(_url("barrier_report"), {"page": "", "text": "", "started": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Was ist die Barriere?" in body and "Bitte prüfen Sie Ihre Angaben" in body
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_the_command_records_the_figures_of_a_test_run(musterstadt, tmp_path):
    summary = tmp_path / "axe.json"
    summary.write_text(
        json.dumps(
            {
                "checked_at": "2026-12-01T08:00:00+00:00",
                "tool": "axe-core 4.10",
                "standard": "WCAG 2.2 AA",
                "municipalities": {
                    "musterstadt": {
                        "pages": 12,
                        "critical": 0,
                        "serious": 1,
                        "moderate": 0,
                        "minor": 3,
                    }
                },
            }
        )
    )
    call_command("accessibility_check_record", str(summary))
    check = AccessibilityCheck.objects.get(municipality=musterstadt)
    assert (check.pages, check.serious, check.minor, check.tool) == (12, 1, 3, "axe-core 4.10")


@pytest.mark.django_db
def test_every_portal_page_links_leichte_sprache_and_the_statement_in_the_footer(world):
    body = Client().get(_url("initiatives")).content.decode()
    footer = body[body.index("<footer") :]
    for href in (
        "/musterstadt/leichte-sprache/",
        "/musterstadt/barrierefreiheit/",
        "/musterstadt/barrierefreiheit/barriere-melden/",
    ):
        assert f'href="{href}"' in footer


@pytest.mark.django_db
def test_the_new_public_pages_read_a_bounded_number_of_queries(
    world, django_assert_max_num_queries
):
    """A fixed number however much is published (13 for the Leichte-Sprache page today)."""
    client = Client()
    for name in ("easy_language", "accessibility", "accessibility_jsonld"):
        with django_assert_max_num_queries(14):
            assert client.get(_url(name)).status_code == 200, name
