"""The Produkthaushalt pages: Teilhaushalt section, product page, link editing, exports."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from leitwerk.budget.models import InitiativeBudget, KeyFigureValue, ValueKind
from leitwerk.budget.selectors import budget_section
from leitwerk.goals.models import GoalLevel
from leitwerk.goals.tests.factories import GoalFactory
from leitwerk.plans.tests.factories import InitiativeFactory

from .factories import KeyFigureFactory, KeyFigureValueFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(musterstadt):
    product = ProductFactory(municipality=musterstadt, code="36501", title="Kindertagesstätten")
    product.budget_area.title = "Jugend und Soziales"
    product.budget_area.save()
    goal = GoalFactory(
        municipality=musterstadt, title="Jedes Kind hat einen Kita-Platz", kgst_level="impact"
    )
    strategic = GoalFactory(
        municipality=musterstadt, title="Familienfreundliche Stadt", kgst_level="strategic"
    )
    product.goals.add(goal, strategic)
    figure = KeyFigureFactory(product=product, code="K1", name="Betreuungsquote", unit="%")
    for year, kind, value in (
        (2025, ValueKind.ACTUAL, "41.5"),
        (2026, ValueKind.PLAN, "44"),
        (2027, ValueKind.TARGET, "46"),
        (2029, ValueKind.TARGET, "50"),
    ):
        KeyFigureValueFactory(key_figure=figure, year=year, kind=kind, value=Decimal(value))
    return product


def test_the_section_lists_last_years_actual_this_years_plan_and_next_years_targets(
    musterstadt, product
):
    section = budget_section(musterstadt, product.budget_area, 2026)

    assert [c.label for c in section.columns] == [
        "Ist 2025",
        "Plan 2026",
        "Ziel 2027",
        "Ziel 2028",
        "Ziel 2029",
    ]
    entry = section.products[0]
    assert entry.key_figures[0].values == [
        Decimal("41.5"),
        Decimal("44"),
        Decimal("46"),
        None,
        Decimal("50"),
    ]
    # KGSt order: the strategic goal before the impact goal.
    assert [g.level for g in entry.goals] == [GoalLevel.STRATEGIC, GoalLevel.IMPACT]


def test_a_viewer_reads_the_teilhaushalt_page_with_goals_and_key_figures(
    viewer, client_for, product
):
    response = client_for(viewer).get(
        reverse("budget:area", args=[product.budget_area_id]) + "?jahr=2026"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ziele und Kennzahlen 2026" in html
    assert "Wirkungsziel:</strong>" in html and "Jedes Kind hat einen Kita-Platz" in html
    assert '<th scope="col" class="num">Ist 2025</th>' in html
    assert "41,5" in html


def test_the_docx_export_holds_the_section_as_the_budget_plan_prints_it(
    viewer, client_for, product
):
    response = client_for(viewer).get(
        reverse("budget:area_docx", args=[product.budget_area_id]) + "?jahr=2026"
    )

    assert response.status_code == 200
    assert "ziele-und-kennzahlen-th-" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert "Produkt 36501 Kindertagesstätten" in texts
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "Kennzahl",
        "Einheit",
        "Ist 2025",
        "Plan 2026",
        "Ziel 2027",
        "Ziel 2028",
        "Ziel 2029",
    ]
    assert [c.text for c in table.rows[1].cells][:4] == ["Betreuungsquote", "%", "41,5", "44"]


def test_the_xlsx_export_writes_numbers_as_numbers(viewer, client_for, product):
    response = client_for(viewer).get(
        reverse("budget:area_xlsx", args=[product.budget_area_id]) + "?jahr=2026"
    )

    sheet = load_workbook(io.BytesIO(response.content))["Kennzahlen"]
    row = [cell.value for cell in sheet[3]]
    assert row[:5] == ["36501", "Kindertagesstätten", "K1", "Betreuungsquote", "%"]
    assert row[5] == 41.5 and isinstance(row[5], float)


def test_the_product_page_shows_a_chart_with_a_data_table(viewer, client_for, product):
    response = client_for(viewer).get(reverse("budget:product", args=[product.pk]))

    html = response.content.decode()
    assert '<svg class="chart" role="img"' in html
    assert '<caption id="werte-' in html
    assert "Wert speichern" not in html  # a viewer reads only


def test_the_strategy_office_links_a_vorhaben_with_its_budget(
    strategy_user, client_for, product, musterstadt
):
    initiative = InitiativeFactory(municipality=musterstadt, title="Neue Kita Nord")
    client = client_for(strategy_user)

    response = client.post(
        reverse("budget:product_initiatives", args=[product.pk]),
        {
            "initiative": initiative.pk,
            "year": "2026",
            "planned_eur": "250000,00",
            "spent_eur": "12500,50",
        },
    )

    assert response.status_code == 302
    budget = InitiativeBudget.objects.for_municipality(musterstadt).get()
    assert budget.planned_eur == Decimal("250000.00")
    assert budget.spent_eur == Decimal("12500.50")
    page = client.get(reverse("budget:product", args=[product.pk])).content.decode()
    assert "Neue Kita Nord" in page and "250.000,00 €" in page


def test_an_amount_without_a_year_is_refused_and_changes_nothing(
    strategy_user, client_for, product, musterstadt
):
    initiative = InitiativeFactory(municipality=musterstadt)
    client = client_for(strategy_user)

    response = client.post(
        reverse("budget:product_initiatives", args=[product.pk]),
        {"initiative": initiative.pk, "planned_eur": "100"},
        follow=True,
    )

    assert "Für einen Betrag fehlt das Haushaltsjahr." in response.content.decode()
    assert not InitiativeBudget.objects.for_municipality(musterstadt).exists()


def test_the_strategy_office_records_a_value_and_links_a_goal(
    strategy_user, client_for, product, musterstadt
):
    client = client_for(strategy_user)
    figure = product.key_figures.get()
    other_goal = GoalFactory(municipality=musterstadt, title="Mehr Fachkräfte")

    client.post(
        reverse("budget:key_figure_values", args=[figure.pk]),
        {"year": "2026", "kind": "actual", "value": "43,2"},
    )
    client.post(
        reverse("budget:product_goals", args=[product.pk]),
        {"goal": other_goal.pk, "action": "link"},
    )

    value = KeyFigureValue.objects.for_municipality(musterstadt).get(year=2026, kind="actual")
    assert value.value == Decimal("43.2")
    assert other_goal in product.goals.all()


def test_a_viewer_may_not_change_links(viewer, client_for, product, musterstadt):
    goal = GoalFactory(municipality=musterstadt)

    response = client_for(viewer).post(
        reverse("budget:product_goals", args=[product.pk]), {"goal": goal.pk}
    )

    assert response.status_code == 403
    assert goal not in product.goals.all()


def test_another_towns_product_is_not_found(other_town_admin, client_for, product):
    response = client_for(other_town_admin).get(reverse("budget:product", args=[product.pk]))
    assert response.status_code == 404


def test_the_portal_publishes_products_and_key_figures_as_open_data(client, product):
    municipality = product.municipality
    csv_response = client.get(
        reverse("portal:open_data_budget_csv", kwargs={"municipality_slug": municipality.slug})
    )
    json_response = client.get(
        reverse("portal:open_data_budget_json", kwargs={"municipality_slug": municipality.slug})
    )

    lines = csv_response.content.decode().splitlines()
    assert lines[0].startswith("teilhaushalt,produktnummer,produkt,kennzahl_nummer")
    assert any("36501,Kindertagesstätten,K1,Betreuungsquote,%,2025,Ist,41.5" in x for x in lines)
    document = json_response.json()
    assert document["produkte"][0]["kennzahlen"][0]["werte"][0]["wert"] == 41.5
    # Goals are not public in this fixture: none is named.
    assert document["produkte"][0]["ziele"] == []
    assert 'rel="license"' in json_response["Link"]


def test_the_teilhaushalt_and_product_pages_cost_the_same_queries_for_many_products(
    viewer, client_for, product, musterstadt, django_assert_max_num_queries
):
    for n in range(8):
        other = ProductFactory(
            municipality=musterstadt, budget_area=product.budget_area, code=f"3650{n + 2}"
        )
        other.goals.add(*product.goals.all())
        for k in range(3):
            figure = KeyFigureFactory(product=other, code=f"K{k}")
            KeyFigureValueFactory(key_figure=figure, year=2025, kind=ValueKind.ACTUAL)
    client = client_for(viewer)
    client.get(reverse("budget:overview"))  # session and memberships warmed up

    with django_assert_max_num_queries(12):
        assert client.get(reverse("budget:area", args=[product.budget_area_id])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("budget:product", args=[product.pk])).status_code == 200


def test_the_strategy_office_adds_and_edits_a_key_figure(strategy_user, client_for, product):
    client = client_for(strategy_user)

    response = client.post(
        reverse("budget:key_figure_create", args=[product.pk]),
        {"code": "K7", "name": "Wartende Kinder", "unit": "Anzahl", "direction": "decrease",
         "order": "1"},
    )  # fmt: skip
    figure = product.key_figures.get(code="K7")
    assert response.status_code == 302 and figure.name == "Wartende Kinder"

    duplicate = client.post(
        reverse("budget:key_figure_create", args=[product.pk]),
        {"code": "K7", "name": "Doppelt", "direction": "neutral", "order": "2"},
    )
    assert duplicate.status_code == 422
    assert "schon eine Kennzahl mit dieser Nummer" in duplicate.content.decode()

    client.post(
        reverse("budget:key_figure_edit", args=[figure.pk]),
        {"code": "K7", "name": "Kinder auf der Warteliste", "unit": "Anzahl",
         "direction": "decrease", "order": "1", "expected_version": figure.version},
    )  # fmt: skip
    figure.refresh_from_db()
    assert figure.name == "Kinder auf der Warteliste"
