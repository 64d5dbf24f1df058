"""The read-only API of the Produkthaushalt: products and key figures with their values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from leitwerk.api.services import api_token_create
from leitwerk.budget.models import ValueKind
from leitwerk.budget.services import product_initiative_budget_set
from leitwerk.plans.tests.factories import InitiativeFactory

from .factories import KeyFigureFactory, KeyFigureValueFactory, ProductFactory

pytestmark = pytest.mark.django_db


def _client(user, municipality) -> APIClient:
    _token, raw = api_token_create(user=user, municipality=municipality, name="Kämmerei")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_products_and_key_figures_are_read_with_their_values_and_budgets(
    viewer, musterstadt, other_town
):
    product = ProductFactory(municipality=musterstadt, code="11101", title="Bürgerservice")
    ProductFactory(municipality=other_town, code="99999", title="Fremdes Produkt")
    figure = KeyFigureFactory(product=product, code="K1", name="Wartezeit", unit="Minuten")
    KeyFigureValueFactory(key_figure=figure, year=2025, kind=ValueKind.ACTUAL, value=31)
    initiative = InitiativeFactory(municipality=musterstadt)
    product_initiative_budget_set(
        product=product,
        initiative=initiative,
        actor=None,
        year=2026,
        planned_eur=Decimal("85000"),
    )
    client = _client(viewer, musterstadt)

    products = client.get("/api/v1/products/", {"code": "11101"}).json()["results"]
    assert [p["title"] for p in products] == ["Bürgerservice"]
    assert products[0]["initiative_budgets"] == [
        {"initiative": initiative.pk, "year": 2026, "planned_eur": "85000.00", "spent_eur": None}
    ]
    assert client.get("/api/v1/products/").json()["count"] == 1  # not the other town's

    figures = client.get("/api/v1/key-figures/", {"product_code": "11101"}).json()["results"]
    assert figures[0]["values"] == [{"year": 2025, "kind": "actual", "value": "31.0000"}]


def test_the_budget_api_is_read_only(strategy_user, musterstadt):
    product = ProductFactory(municipality=musterstadt)

    response = _client(strategy_user, musterstadt).patch(
        f"/api/v1/products/{product.pk}/", {"title": "x"}, format="json"
    )

    assert response.status_code == 405
