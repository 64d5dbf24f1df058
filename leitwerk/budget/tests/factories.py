from __future__ import annotations

import factory

from leitwerk.budget.models import (
    BudgetArea,
    KeyFigure,
    KeyFigureValue,
    Product,
    ProductLevel,
    ValueKind,
)
from leitwerk.municipalities.tests.factories import (
    MunicipalityFactory,
    TenantFactory,
    same_tenant,
)


class BudgetAreaFactory(TenantFactory):
    class Meta:
        model = BudgetArea

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"TH{n + 1}")
    title = factory.Sequence(lambda n: f"Teilhaushalt {n + 1}")


class ProductFactory(TenantFactory):
    class Meta:
        model = Product

    _tenant_from = ("budget_area", "parent")

    municipality = factory.SubFactory(MunicipalityFactory)
    level = ProductLevel.PRODUCT
    budget_area = factory.SubFactory(BudgetAreaFactory, municipality=same_tenant())
    code = factory.Sequence(lambda n: f"1.1.{n + 1:02d}")
    title = factory.Sequence(lambda n: f"Produkt {n + 1}")


class KeyFigureFactory(TenantFactory):
    class Meta:
        model = KeyFigure

    _tenant_from = ("product",)

    municipality = factory.SubFactory(MunicipalityFactory)
    product = factory.SubFactory(ProductFactory, municipality=same_tenant())
    code = factory.Sequence(lambda n: f"K{n + 1}")
    name = factory.Sequence(lambda n: f"Kennzahl {n + 1}")
    unit = "Anzahl"


class KeyFigureValueFactory(TenantFactory):
    class Meta:
        model = KeyFigureValue

    _tenant_from = ("key_figure",)

    municipality = factory.SubFactory(MunicipalityFactory)
    key_figure = factory.SubFactory(KeyFigureFactory, municipality=same_tenant())
    year = 2025
    kind = ValueKind.ACTUAL
    value = 10
