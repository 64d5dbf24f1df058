"""Search with German stemming: PostgreSQL full-text search, Snowball fallback elsewhere."""

import pytest
from django.db import connection
from django.urls import reverse

from leitwerk.controlling.search import search, stems
from leitwerk.goals.tests.factories import GoalFactory
from leitwerk.guidelines.tests.factories import StatementFactory
from leitwerk.plans.tests.factories import (
    ActionPlanFactory,
    IndicatorFactory,
    InitiativeFactory,
    MilestoneFactory,
)

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search needs PostgreSQL"
)


def test_stems_join_word_forms():
    assert stems("Ziele") == stems("Ziel") == ["ziel"]
    assert stems("Verwaltungen") == stems("Verwaltung")


@pytest.fixture
def rows(musterstadt, other_town):
    initiative = InitiativeFactory(
        municipality=musterstadt,
        title="Online-Terminvergabe im Bürgerbüro",
        objective="Wartezeiten verkürzen und Termine digital vergeben.",
    )
    return {
        "statement": StatementFactory(
            municipality=musterstadt, text="Wir machen unsere Ziele messbar."
        ),
        "goal": GoalFactory(municipality=musterstadt, title="Kürzere Wartezeit im Bürgerservice"),
        "plan": ActionPlanFactory(municipality=musterstadt, title="Aktionsplan Digitalisierung"),
        "initiative": initiative,
        "milestone": MilestoneFactory(
            municipality=musterstadt, initiative=initiative, title="Terminsystem ausgeschrieben"
        ),
        "indicator": IndicatorFactory(
            municipality=musterstadt, initiative=initiative, title="Anteil gebuchter Termine"
        ),
        "foreign": InitiativeFactory(municipality=other_town, title="Terminvergabe Fremdstadt"),
    }


def test_word_forms_and_compounds_are_found(rows, musterstadt):
    kinds = {hit.kind for hit in search(municipality=musterstadt, query="Termin")}
    # "Termine", "Terminvergabe", "Terminsystem": stems and the start of compounds.
    assert kinds == {"Vorhaben", "Meilenstein", "Indikator"}
    assert [h.title for h in search(municipality=musterstadt, query="Ziel")] == [
        str(rows["statement"].section.document)
    ]
    titles = {h.title for h in search(municipality=musterstadt, query="Wartezeiten")}
    assert titles == {str(rows["initiative"]), str(rows["goal"])}


def test_all_words_must_match(rows, musterstadt):
    assert search(municipality=musterstadt, query="Termin Klima") == []
    hits = search(municipality=musterstadt, query="digital Termine")
    assert [h.kind for h in hits] == ["Vorhaben"]


def test_other_municipalities_are_never_searched(rows, musterstadt):
    assert all(
        "Fremdstadt" not in h.title for h in search(municipality=musterstadt, query="Terminvergabe")
    )


def test_result_page(rows, viewer, client_for):
    response = client_for(viewer).get(reverse("controlling:search"), {"q": "Termine"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 Treffer" in page and "Online-Terminvergabe im Bürgerbüro" in page
    assert reverse("plans:initiative_detail", kwargs={"pk": rows["initiative"].pk}) in page
    assert "Fremdstadt" not in page


def test_empty_and_odd_queries(rows, musterstadt, viewer, client_for):
    assert search(municipality=musterstadt, query="   ") == []
    assert search(municipality=musterstadt, query="&|!:*") == []
    assert (
        client_for(viewer).get(reverse("controlling:search"), {"q": "'); DROP"}).status_code == 200
    )


def test_search_needs_a_membership(rows, client_for, django_user_model):
    outsider = django_user_model.objects.create_user(email="niemand@example.org", password="x")
    assert (
        client_for(outsider).get(reverse("controlling:search"), {"q": "Termin"}).status_code == 404
    )


@on_postgres
def test_postgres_full_text_search_uses_german_stemming(rows, musterstadt):
    kinds = {hit.kind for hit in search(municipality=musterstadt, query="Termine")}
    assert {"Vorhaben", "Meilenstein", "Indikator"} <= kinds
    assert all(
        "Fremdstadt" not in h.title for h in search(municipality=musterstadt, query="Terminvergabe")
    )
