"""Search with German stemming: PostgreSQL full-text search, Snowball fallback elsewhere."""

import pytest
from django.db import connection
from django.urls import reverse

from leitwerk.controlling.search import search, stems
from leitwerk.goals.tests.factories import GoalFactory
from leitwerk.guidelines.tests.factories import StatementFactory
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    IndicatorFactory,
    InitiativeFactory,
    MilestoneFactory,
    SubInitiativeFactory,
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


@pytest.fixture
def field_and_part(musterstadt, other_town):
    plan = ActionPlanFactory(municipality=musterstadt, title="Aktionsplan 2030")
    field = ActionFieldFactory(
        municipality=musterstadt,
        plan=plan,
        code="A2",
        title="Papierlose Verwaltung",
        description="Anträge ohne Papier und ohne Medienbruch.",
    )
    initiative = InitiativeFactory(
        municipality=musterstadt, action_field=field, title="E-Akte einführen"
    )
    part = SubInitiativeFactory(
        municipality=musterstadt, initiative=initiative, text="Pilotbetrieb im Standesamt"
    )
    ActionFieldFactory(municipality=other_town, title="Papierlose Verwaltung Fremdstadt")
    SubInitiativeFactory(municipality=other_town, text="Pilotbetrieb Fremdstadt")
    return field, part


def test_action_fields_are_found_by_title_and_description(field_and_part, musterstadt):
    field, _ = field_and_part
    for query in ("papierlos", "Antrag"):
        hits = [h for h in search(municipality=musterstadt, query=query) if h.kind == "Aktionsfeld"]
        assert [h.title for h in hits] == ["A2 Papierlose Verwaltung (Aktionsplan 2030)"], query
        assert hits[0].url == reverse("plans:detail", kwargs={"pk": field.plan_id}) + (
            f"#field-{field.pk}"
        )
    assert "Anträge ohne Papier" in hits[0].snippet


def test_teilvorhaben_are_found_and_lead_to_their_vorhaben(field_and_part, musterstadt):
    _, part = field_and_part
    hits = search(municipality=musterstadt, query="Pilot")
    assert [(h.kind, h.title) for h in hits] == [
        ("Teilvorhaben / Umsetzungsidee", str(part.initiative))
    ]
    assert hits[0].url == reverse("plans:initiative_detail", kwargs={"pk": part.initiative_id})
    assert hits[0].snippet == "Pilotbetrieb im Standesamt"


def test_result_page_lists_action_fields_and_teilvorhaben(field_and_part, viewer, client_for):
    page = client_for(viewer).get(reverse("controlling:search"), {"q": "Standesamt"}).content
    page = page.decode()
    assert "Teilvorhaben / Umsetzungsidee (1)" in page and "Fremdstadt" not in page
