"""Feeds and open data validate with the tools their consumers use."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import feedparser
import jsonschema
import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from leitwerk.core.spreadsheet import is_formula_like, neutralise
from leitwerk.plans.models import Milestone
from leitwerk.plans.services import initiative_update
from leitwerk.portal import opendata
from leitwerk.testing.portal import release_plans


def _url(name: str, slug: str = "musterstadt") -> str:
    return reverse(f"portal:{name}", kwargs={"municipality_slug": slug})


@pytest.mark.django_db
def test_calendar_parses_with_icalendar(world):
    response = Client().get(_url("calendar_ics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    summaries = {str(e["SUMMARY"]) for e in events}
    assert any(s.startswith("Meilenstein: ÖFFENTLICH-Meilenstein-offen") for s in summaries)
    assert any(s.startswith("Beginn: ") for s in summaries)
    assert any(s.startswith("Umfrage endet: ") for s in summaries)
    # A reached milestone is news, not an upcoming date.
    assert not any("Meilenstein-erreicht" in s for s in summaries)
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    dates = {e.decoded("DTSTART") for e in events}
    assert dt.date(2026, 9, 30) in dates
    # Dates of Vorhaben and surveys are all-day; participation opportunities have a time.
    all_day = {
        e.decoded("DTSTART") for e in events if not str(e["SUMMARY"]).startswith("Beteiligung: ")
    }
    assert all(isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in all_day)


@pytest.mark.django_db
def test_calendar_is_stable_between_requests(world):
    # Same data, same bytes: ETags and calendar clients rely on it.
    client = Client()
    assert client.get(_url("calendar_ics")).content == client.get(_url("calendar_ics")).content


@pytest.mark.django_db
def test_atom_feed_parses_with_feedparser(world):
    response = Client().get(_url("news_feed"))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "Musterstadt: Neuigkeiten aus den Vorhaben"
    assert [e.title for e in feed.entries] == [
        "Meilenstein erreicht: ÖFFENTLICH-Meilenstein-erreicht"
    ]
    entry = feed.entries[0]
    assert entry.link.endswith(f"/musterstadt/vorhaben/{world.public_initiative.pk}/#meilensteine")
    assert entry.id.startswith("tag:leitwerk,2026-03-20:musterstadt/")


@pytest.mark.django_db
def test_atom_feed_survives_control_characters_pasted_into_a_title(world):
    # XML 1.0 cannot carry them; the feed drops them instead of failing for every reader.
    milestone = Milestone.objects.get(title="ÖFFENTLICH-Meilenstein-erreicht")
    milestone.title = "Radweg\x0b fertig\x1b"
    milestone.save()
    release_plans(world.municipality)
    response = Client().get(_url("news_feed"))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert [e.title for e in feed.entries] == ["Meilenstein erreicht: Radweg fertig"]


@pytest.mark.django_db
def test_open_data_json_validates_against_the_shipped_schema(world):
    client = Client()
    schema_response = client.get(_url("open_data_schema"))
    assert schema_response["Content-Type"] == "application/schema+json"
    schema = json.loads(schema_response.content)
    jsonschema.Draft202012Validator.check_schema(schema)

    response = client.get(_url("open_data_json"))
    assert response["Content-Type"].startswith("application/json")
    document = json.loads(response.content)
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(document)

    assert document["kommune"] == {
        "name": "Musterstadt",
        "kurzname": "musterstadt",
        "ags": "09999001",
    }
    assert document["schema"].endswith("/musterstadt/daten/vorhaben.schema.json")
    [record] = document["vorhaben"]
    assert record["titel"] == "ÖFFENTLICH-Vorhaben"
    assert record["federfuehrung"] == "Fachbereich ÖFFENTLICH-Bau"
    assert [i["titel"] for i in record["indikatoren"]] == ["ÖFFENTLICH-Indikator"]
    assert record["indikatoren"][0]["letzter_wert"] == 30
    assert [g["titel"] for g in record["ziele"]] == ["ÖFFENTLICH-Ziel"]
    assert record["zustand"] in {"on_track", "at_risk", "off_track", "done", "stale", "unknown"}


@pytest.mark.django_db
def test_open_data_json_keeps_its_etag_until_the_next_release(world):
    import time_machine

    from leitwerk.municipalities.models import Municipality

    # The municipality fixture was written before the clock was frozen; align it with the rest.
    Municipality.objects.filter(pk=world.municipality.pk).update(
        updated_at=dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
    )
    client = Client()
    first = client.get(_url("open_data_json"))
    # Later the same day (the fixture froze 10:00): nothing changed, so the same file and a 304.
    with time_machine.travel(dt.datetime(2026, 5, 4, 15, 30, 7, tzinfo=dt.UTC), tick=False):
        again = client.get(_url("open_data_json"))
        assert again.content == first.content
        assert (
            client.get(_url("open_data_json"), headers={"if-none-match": first["ETag"]}).status_code
            == 304
        )
        # "erstellt_am" names the last data change (the fixture wrote everything at 10:00).
        assert json.loads(again.content)["erstellt_am"].startswith("2026-05-04T12:00:00")
        initiative = world.public_initiative
        initiative_update(
            initiative=initiative,
            actor=None,
            expected_version=initiative.version,
            changes={"objective": "Neue Zielsetzung"},
        )
        # Not released yet: the portal's data has not changed.
        assert client.get(_url("open_data_json")).content == first.content
        release_plans(world.municipality)
        changed = client.get(_url("open_data_json"))
    assert changed["ETag"] != first["ETag"]
    assert json.loads(changed.content)["erstellt_am"].startswith("2026-05-04T17:30:07")


@pytest.mark.django_db
def test_empty_municipality_gives_valid_empty_data(musterstadt):
    document = json.loads(Client().get(_url("open_data_json")).content)
    jsonschema.validate(document, json.loads(opendata.schema_text()))
    assert document["vorhaben"] == []


@pytest.mark.django_db
def test_csv_neutralises_formula_looking_cells(world):
    initiative = world.public_initiative
    initiative.title = '=HYPERLINK("http://evil.example","klick")'
    initiative.objective = "+49 30 1234"
    initiative.save()
    initiative.lead_unit.name = "@SUMME(A1)"
    initiative.lead_unit.save()
    release_plans(world.municipality)
    response = Client().get(_url("open_data_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    [row] = rows
    assert row["titel"] == "'" + '=HYPERLINK("http://evil.example","klick")'
    assert row["zielsetzung"] == "'+49 30 1234"
    assert row["federfuehrung"] == "'@SUMME(A1)"
    assert row["fortschritt_prozent"].isdigit()  # our own numbers stay numbers


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-1+2", "@A1", "\t=1", "\r=1", "=cmd|' /C calc'!A0", "-", "\0=1+1", "\n=1"],
)
def test_neutralise_prefixes_every_risky_start(value):
    result = neutralise(value)
    assert result == "'" + value
    # openpyxl treats a leading "=" as a formula; the neutralised text must stay text.
    if not ILLEGAL_CHARACTERS_RE.search(result):  # NUL cannot go into XLSX at all
        sheet = Workbook().active
        sheet["A1"] = result
        assert sheet["A1"].data_type == "s"


@pytest.mark.parametrize("value", ["", "Bürgeramt", "1. Meilenstein", "'=schon geschützt", "a=b"])
def test_neutralise_leaves_harmless_text_alone(value):
    assert neutralise(value) == value


@pytest.mark.django_db
def test_sitemap_lists_portal_pages_and_public_vorhaben_only(world):
    response = Client().get(_url("sitemap"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<urlset" in body
    assert f"/musterstadt/vorhaben/{world.public_initiative.pk}/" in body
    assert f"/vorhaben/{world.hidden_initiative.pk}/" not in body
    assert "/musterstadt/barrierefreiheit/" in body
    assert "fremdstadt" not in body


def _record(text: str) -> dict:
    return {
        "id": 1,
        "nummer": text,
        "titel": text,
        "zielsetzung": text,
        "status_text": "in Umsetzung",
        "aktionsplan": {"id": 1, "titel": text},
        "aktionsfeld": {"kuerzel": "", "titel": text},
        "federfuehrung": text,
        "beginn": None,
        "ende": None,
        "fortschritt_prozent": 50,
        "erwartet_prozent": None,
        "zustand_text": "im Plan",
        "zustand_berechnet": "on_track",
        "einschaetzung_projektleitung": None,
        "einschaetzung_am": None,
        "meilensteine": [{"titel": text, "faellig_am": "2026-05-01", "erreicht_am": None}],
        "adresse": "http://example.org/",
    }


_RISKY_TEXT = st.one_of(
    st.text(),
    st.builds(
        lambda p, t: p + t,
        st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", "\0", "\x01"]),
        st.text(),
    ),
)


def _check_csv_round_trip(text: str) -> None:
    rows = list(csv.reader(io.StringIO(opendata.as_csv([_record(text)]), newline="")))
    header, row = rows
    for column in ("nummer", "titel", "zielsetzung", "aktionsplan", "aktionsfeld", "federfuehrung"):
        cell = row[header.index(column)]
        if is_formula_like(text):
            assert cell == "'" + text
        else:
            assert cell == text
        if not ILLEGAL_CHARACTERS_RE.search(cell):  # control characters openpyxl refuses
            sheet = Workbook().active
            sheet["A1"] = cell
            assert sheet["A1"].data_type != "f"


@settings(max_examples=100, deadline=None)
@given(_RISKY_TEXT)
def test_csv_round_trip_is_exact_except_for_the_neutralising_apostrophe(text):
    _check_csv_round_trip(text)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None)
@given(_RISKY_TEXT)
def test_csv_round_trip_holds_for_a_thousand_examples(text):
    _check_csv_round_trip(text)
