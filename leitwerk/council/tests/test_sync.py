"""The RIS sync against a local OParl server built from the specification's examples."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from leitwerk.council import services
from leitwerk.council.models import AgendaItem, CouncilDecision, Meeting, Organization, Paper
from leitwerk.council.oparl import FetchError, HttpFetcher
from leitwerk.municipalities.models import Body
from leitwerk.testing.oparl_server import serve_oparl

pytestmark = pytest.mark.django_db(transaction=False)

EMPTY = dict.fromkeys(("organizations", "meetings", "papers", "agenda_items", "decisions"), 0)


@pytest.fixture
def server():
    with serve_oparl() as running:
        yield running


def test_a_first_sync_stores_bodies_meetings_papers_and_decisions(musterstadt, server):
    result = services.ris_sync(municipality=musterstadt, system_url=server.system_url)

    assert result.ok and result.errors == []
    assert result.created == {
        "organizations": 3,
        "meetings": 3,
        "papers": 3,
        "agenda_items": 4,
        "decisions": 3,
    }
    decision = CouncilDecision.objects.get(oparl_id=f"{server.url}/agendaitem/3271")
    assert decision.result == "Geändert beschlossen"
    assert decision.resolution_text.startswith("Der Beschluss weicht")
    assert decision.reference == "1234/2026"
    assert decision.body.name == "Ausschuss für Haushalt und Finanzen"
    assert str(decision.decided_on) == "2026-01-14"
    # A Fraktion is no body that decides; the council and the committee became bodies.
    assert set(Body.objects.filter(municipality=musterstadt).values_list("name", flat=True)) >= {
        "Rat der Stadt Beispielstadt",
        "Ausschuss für Haushalt und Finanzen",
    }
    assert not Body.objects.filter(name="Fraktion Beispielliste").exists()
    # Pagination: the lists were read page by page (two objects a page).
    assert any("page=2" in url for url in server.requests)


def test_a_second_sync_changes_nothing(musterstadt, server):
    services.ris_sync(municipality=musterstadt, system_url=server.system_url)
    versions = sorted(CouncilDecision.objects.values_list("pk", "version", "updated_at"))

    result = services.ris_sync(municipality=musterstadt, full=True)

    assert result.created == EMPTY and result.updated == EMPTY and result.errors == []
    assert sorted(CouncilDecision.objects.values_list("pk", "version", "updated_at")) == versions


def test_the_next_run_asks_only_for_what_changed_and_updates_it(musterstadt, server):
    services.ris_sync(municipality=musterstadt, system_url=server.system_url)
    raw = server.data_copy()
    item = raw["meetings"][1]["agendaItem"][1]
    item["result"] = "Vertagt"
    raw["meetings"][1]["modified"] = "2099-01-01T00:00:00+01:00"
    server.replace(raw)
    server.requests.clear()

    result = services.ris_sync(municipality=musterstadt)

    assert all("modified_since=" in url for url in server.requests if "/body/1/" in url)
    assert result.updated["agenda_items"] == 1 and result.updated["decisions"] == 1
    assert result.created == EMPTY
    assert CouncilDecision.objects.get(oparl_id=f"{server.url}/agendaitem/3301").result == "Vertagt"


def test_an_unreadable_object_is_reported_in_german_and_the_rest_is_stored(musterstadt, server):
    raw = server.data_copy()
    raw["meetings"][0]["start"] = "gestern Abend"
    raw["papers"][2].pop("name")
    server.replace(raw)

    result = services.ris_sync(municipality=musterstadt, system_url=server.system_url)

    assert result.ok
    ids = {e["id"]: e["message"] for e in result.errors}
    assert "kein Zeitpunkt" in ids[f"{server.url}/meeting/281"]
    assert "Betreff" in ids[f"{server.url}/paper/751"]
    assert Meeting.objects.filter(municipality=musterstadt).count() == 2
    assert Paper.objects.filter(municipality=musterstadt).count() == 2


def test_links_to_another_host_are_refused(musterstadt, server):
    raw = server.data_copy()
    raw["bodies"][0]["meeting"] = "http://elsewhere.example/meetings"
    server.replace(raw)

    result = services.ris_sync(municipality=musterstadt, system_url=server.system_url)

    assert result.ok
    assert any("nicht auf dem eingestellten Server" in e["message"] for e in result.errors), (
        result.errors
    )
    assert Meeting.objects.count() == 0
    assert Organization.objects.count() == 3


def test_the_fetcher_refuses_other_hosts_and_schemes():
    fetch = HttpFetcher("https://ris.example.org/oparl")
    with pytest.raises(FetchError, match="nicht auf dem eingestellten Server"):
        fetch("https://ris.example.org:8443/oparl")
    with pytest.raises(FetchError, match="http"):
        HttpFetcher("file:///etc/passwd")


def test_the_command_prints_the_result_as_json(musterstadt, server, capsys):
    call_command(
        "oparl", "sync", "--municipality", musterstadt.slug, "--url", server.system_url, "--json"
    )
    first = json.loads(capsys.readouterr().out)
    call_command("oparl", "sync", "--municipality", musterstadt.slug, "--json")
    second = json.loads(capsys.readouterr().out)

    assert first["ok"] is True and first["created"]["decisions"] == 3
    assert second == {"ok": True, "created": EMPTY, "updated": EMPTY, "errors": []}
    assert AgendaItem.objects.filter(paper__isnull=False).count() == 2


def test_the_command_exits_with_2_when_the_system_cannot_be_read(musterstadt, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "oparl",
            "sync",
            "--municipality",
            musterstadt.slug,
            "--url",
            "http://127.0.0.1:9/oparl",
            "--json",
        )
    assert exit_info.value.code == 2
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False
    assert out["errors"][0]["id"] == "http://127.0.0.1:9/oparl"
    assert "nicht lesbar" in out["errors"][0]["message"]


def test_an_answer_over_the_size_limit_is_refused_and_the_rest_is_read(musterstadt, server):
    data = server.data_copy()
    data["papers"][0]["name"] = "x" * (5 * 1024 * 1024 + 10)
    server.replace(data)

    result = services.ris_sync(municipality=musterstadt, system_url=server.system_url)

    assert result.ok
    assert any("größer als 5 MB" in e["message"] for e in result.errors)
    assert result.created["meetings"] == 3


def test_the_daily_job_reads_only_where_it_is_switched_on(musterstadt, other_town, server):
    services.ris_source_save(
        municipality=musterstadt, actor=None, system_url=server.system_url, daily_sync=True
    )
    services.ris_source_save(
        municipality=other_town, actor=None, system_url=server.system_url, daily_sync=False
    )

    results = services.ris_sync_daily()

    assert list(results) == ["musterstadt"] and results["musterstadt"].created["decisions"] == 3
    assert CouncilDecision.objects.filter(municipality=other_town).count() == 0
