"""Writes of the Produkthaushalt: the imported structure, key figures and the links."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from leitwerk.core.audit import audit
from leitwerk.core.editing import check_fields, create_row, delete_row, update_versioned
from leitwerk.goals.models import Goal
from leitwerk.municipalities.models import Municipality
from leitwerk.plans.models import Indicator, Initiative

from .models import (
    BudgetArea,
    InitiativeBudget,
    KeyFigure,
    KeyFigureValue,
    Product,
    ProductInitiative,
    ProductLevel,
)

if TYPE_CHECKING:
    from leitwerk.accounts.models import User

KIND_KEYS = ("budget_areas", "products", "key_figures", "values")
LEVEL_ORDER = (ProductLevel.AREA, ProductLevel.GROUP, ProductLevel.PRODUCT)


@dataclass(frozen=True)
class AreaRow:
    code: str
    title: str


@dataclass(frozen=True)
class ProductRow:
    code: str
    title: str
    level: str
    parent_code: str = ""
    area_code: str = ""
    description: str = ""
    responsible: str = ""


@dataclass(frozen=True)
class KeyFigureRow:
    product_code: str
    code: str
    name: str
    unit: str = ""
    direction: str = ""


@dataclass(frozen=True)
class ValueRow:
    product_code: str
    key_figure_code: str
    year: int
    kind: str
    value: Decimal


def _empty_counts() -> dict[str, int]:
    return dict.fromkeys(KIND_KEYS, 0)


def _save_changes(row: Any, wanted: Mapping[str, Any]) -> bool:
    """Set the fields that differ, bump the version and save them; False when all were equal."""
    changed = [name for name, value in wanted.items() if getattr(row, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(row, name, wanted[name])
    row.version += 1
    row.save(update_fields=[*changed, "version", "updated_at"])
    return True


def _apply_areas(
    municipality: Municipality,
    rows: list[AreaRow],
    created: dict[str, int],
    updated: dict[str, int],
) -> dict[str, BudgetArea]:
    stored = {a.code: a for a in BudgetArea.objects.for_municipality(municipality)}
    for row in rows:
        area = stored.get(row.code)
        if area is None:
            stored[row.code] = BudgetArea.objects.create(
                municipality=municipality, code=row.code, title=row.title, order=len(stored)
            )
            created["budget_areas"] += 1
        elif _save_changes(area, {"title": row.title}):
            updated["budget_areas"] += 1
    return stored


def _apply_products(
    municipality: Municipality,
    rows: list[ProductRow],
    areas: dict[str, BudgetArea],
    created: dict[str, int],
    updated: dict[str, int],
) -> dict[str, Product]:
    stored = {p.code: p for p in Product.objects.for_municipality(municipality)}
    # Level by level, parents first: a child finds its parent's id whatever the file's order.
    # New rows of a level are written in one bulk insert (a product list has thousands).
    for level in LEVEL_ORDER:
        new_rows: list[Product] = []
        for row in rows:
            if row.level != level:
                continue
            # Ids, not rows: comparing `parent` would load every stored parent one by one.
            wanted: dict[str, Any] = {
                "level": row.level,
                "title": row.title,
                "parent_id": stored[row.parent_code].pk if row.parent_code else None,
                "budget_area_id": areas[row.area_code].pk if row.area_code else None,
            }
            # Optional columns: an export without them does not blank what was entered before.
            if row.description:
                wanted["description"] = row.description
            if row.responsible:
                wanted["responsible"] = row.responsible
            product = stored.get(row.code)
            if product is None:
                product = Product(municipality=municipality, code=row.code, **wanted)
                stored[row.code] = product
                new_rows.append(product)
            elif _save_changes(product, wanted):
                updated["products"] += 1
        Product.objects.bulk_create(new_rows)
        created["products"] += len(new_rows)
    return stored


def _apply_key_figures(
    municipality: Municipality,
    rows: list[KeyFigureRow],
    products: dict[str, Product],
    created: dict[str, int],
    updated: dict[str, int],
) -> dict[tuple[int, str], KeyFigure]:
    stored = {(f.product_id, f.code): f for f in KeyFigure.objects.for_municipality(municipality)}
    per_product: dict[int, int] = {}
    for product_id, _code in stored:
        per_product[product_id] = per_product.get(product_id, 0) + 1
    new_rows: list[KeyFigure] = []
    for row in rows:
        product = products[row.product_code]
        wanted = {"name": row.name}
        if row.unit:
            wanted["unit"] = row.unit
        if row.direction:
            wanted["direction"] = row.direction
        figure = stored.get((product.pk, row.code))
        if figure is None:
            order = per_product.get(product.pk, 0)
            per_product[product.pk] = order + 1
            figure = KeyFigure(
                municipality=municipality, product=product, code=row.code, order=order, **wanted
            )
            stored[(product.pk, row.code)] = figure
            new_rows.append(figure)
        elif _save_changes(figure, wanted):
            updated["key_figures"] += 1
    KeyFigure.objects.bulk_create(new_rows)
    created["key_figures"] = len(new_rows)
    return stored


def _apply_values(
    municipality: Municipality,
    rows: list[ValueRow],
    products: dict[str, Product],
    figures: dict[tuple[int, str], KeyFigure],
    created: dict[str, int],
    updated: dict[str, int],
) -> None:
    # Plain tuples, not model rows: a municipality holds tens of thousands of values and
    # building a model instance for each would dominate the import's time.
    stored: dict[tuple[int, int, str], tuple[int, Decimal, int]] = {
        (figure_id, year, kind): (pk, value, version)
        for pk, figure_id, year, kind, value, version in KeyFigureValue.objects.for_municipality(
            municipality
        ).values_list("pk", "key_figure_id", "year", "kind", "value", "version")
    }
    new_values: list[KeyFigureValue] = []
    changed_values: list[KeyFigureValue] = []
    for row in rows:
        figure = figures[(products[row.product_code].pk, row.key_figure_code)]
        key = (figure.pk, row.year, row.kind)
        existing = stored.get(key)
        if existing is None:
            new_values.append(
                KeyFigureValue(
                    municipality=municipality,
                    key_figure=figure,
                    year=row.year,
                    kind=row.kind,
                    value=row.value,
                )
            )
            stored[key] = (0, row.value, 1)
        elif existing[1] != row.value:
            changed_values.append(
                KeyFigureValue(
                    pk=existing[0],
                    municipality=municipality,
                    key_figure=figure,
                    year=row.year,
                    kind=row.kind,
                    value=row.value,
                    version=existing[2] + 1,
                )
            )
    # Bulk writes: an actuals file holds thousands of values, one query each would be slow.
    KeyFigureValue.objects.bulk_create(new_values)
    KeyFigureValue.objects.bulk_update(changed_values, ["value", "version"])
    created["values"] = len(new_values)
    updated["values"] = len(changed_values)


@transaction.atomic
def budget_rows_apply(
    *,
    municipality: Municipality,
    actor: User | None,
    areas: list[AreaRow],
    products: list[ProductRow],
    key_figures: list[KeyFigureRow],
    values: list[ValueRow],
    source_name: str = "",
) -> dict[str, dict[str, int]]:
    """Create or update the rows named by code; what is already equal is left alone.

    Idempotent: the same rows a second time change nothing. Rows not named stay (a product
    list may be exported per Teilhaushalt). The caller has checked that every code a row
    refers to is in the rows or already stored; a missing one raises KeyError.
    """
    created, updated = _empty_counts(), _empty_counts()
    stored_areas = _apply_areas(municipality, areas, created, updated)
    stored_products = _apply_products(municipality, products, stored_areas, created, updated)
    figures = _apply_key_figures(municipality, key_figures, stored_products, created, updated)
    _apply_values(municipality, values, stored_products, figures, created, updated)
    if any(created.values()) or any(updated.values()):
        audit(
            actor=actor,
            action="budget.import",
            municipality=municipality,
            data={"source": source_name, "created": created, "updated": updated},
        )
    return {"created": created, "updated": updated}


KEY_FIGURE_FIELDS = {"code", "name", "unit", "direction", "order"}


@transaction.atomic
def key_figure_create(
    *, product: Product, actor: User | None, values: Mapping[str, Any]
) -> KeyFigure:
    check_fields(KeyFigure, values, KEY_FIGURE_FIELDS)
    if (
        KeyFigure.objects.for_municipality(product.municipality_id)
        .filter(product=product, code=values.get("code", ""))
        .exists()
    ):
        raise ValidationError({"code": "Dieses Produkt hat schon eine Kennzahl mit dieser Nummer."})
    return create_row(
        model=KeyFigure,
        municipality=product.municipality,
        actor=actor,
        action="key_figure.create",
        values={**values, "product": product},
    )


@transaction.atomic
def key_figure_update(
    *, key_figure: KeyFigure, actor: User | None, expected_version: int, changes: Mapping[str, Any]
) -> KeyFigure:
    check_fields(KeyFigure, changes, KEY_FIGURE_FIELDS)
    return update_versioned(
        instance=key_figure,
        actor=actor,
        action="key_figure.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def key_figure_delete(*, key_figure: KeyFigure, actor: User | None) -> None:
    delete_row(instance=key_figure, actor=actor, action="key_figure.delete")


@transaction.atomic
def key_figure_value_set(
    *, key_figure: KeyFigure, actor: User | None, year: int, kind: str, value: Decimal | None
) -> KeyFigureValue | None:
    """Set (or with `value=None` remove) the actual, plan or target value of one year."""
    existing = (
        KeyFigureValue.objects.for_municipality(key_figure.municipality_id)
        .select_for_update()
        .filter(key_figure=key_figure, year=year, kind=kind)
        .first()
    )
    data = {"key_figure": key_figure.pk, "year": year, "kind": kind, "value": str(value)}
    if value is None:
        if existing is not None:
            existing.delete()
            audit(actor=actor, action="key_figure_value.delete", target=key_figure, data=data)
        return None
    if existing is None:
        existing = KeyFigureValue(
            municipality_id=key_figure.municipality_id,
            key_figure=key_figure,
            year=year,
            kind=kind,
            value=value,
        )
        existing.full_clean()
        existing.save()
    elif existing.value != value:
        existing.value = value
        existing.version += 1
        existing.save(update_fields=["value", "version", "updated_at"])
    audit(actor=actor, action="key_figure_value.set", target=key_figure, data=data)
    return existing


def _same_town(product: Product, row: Any, what: str) -> None:
    if row.municipality_id != product.municipality_id:
        raise ValidationError(f"{what} gehört zu einer anderen Kommune.")


@transaction.atomic
def product_link_goal(*, product: Product, goal: Goal, actor: User | None) -> None:
    _same_town(product, goal, "Das Ziel")
    product.goals.add(goal)
    audit(actor=actor, action="product.link_goal", target=product, data={"goal": goal.pk})


@transaction.atomic
def product_unlink_goal(*, product: Product, goal: Goal, actor: User | None) -> None:
    _same_town(product, goal, "Das Ziel")
    product.goals.remove(goal)
    audit(actor=actor, action="product.unlink_goal", target=product, data={"goal": goal.pk})


@transaction.atomic
def product_link_indicator(*, product: Product, indicator: Indicator, actor: User | None) -> None:
    _same_town(product, indicator, "Der Indikator")
    product.indicators.add(indicator)
    audit(
        actor=actor,
        action="product.link_indicator",
        target=product,
        data={"indicator": indicator.pk},
    )


@transaction.atomic
def product_unlink_indicator(*, product: Product, indicator: Indicator, actor: User | None) -> None:
    _same_town(product, indicator, "Der Indikator")
    product.indicators.remove(indicator)
    audit(
        actor=actor,
        action="product.unlink_indicator",
        target=product,
        data={"indicator": indicator.pk},
    )


@transaction.atomic
def product_initiative_budget_set(
    *,
    product: Product,
    initiative: Initiative,
    actor: User | None,
    year: int | None = None,
    planned_eur: Decimal | None = None,
    spent_eur: Decimal | None = None,
) -> ProductInitiative:
    """Link a Vorhaben to the product and, with a year, set its planned and spent budget."""
    _same_town(product, initiative, "Das Vorhaben")
    link, _ = ProductInitiative.objects.for_municipality(product.municipality_id).get_or_create(
        product=product,
        initiative=initiative,
        defaults={"municipality_id": product.municipality_id},
    )
    data: dict[str, Any] = {"initiative": initiative.pk}
    if year is not None:
        budget, _ = InitiativeBudget.objects.for_municipality(
            product.municipality_id
        ).get_or_create(link=link, year=year, defaults={"municipality_id": link.municipality_id})
        budget.planned_eur = planned_eur
        budget.spent_eur = spent_eur
        budget.full_clean()
        budget.save()
        data.update(year=year, planned=str(planned_eur), spent=str(spent_eur))
    audit(actor=actor, action="product.initiative_budget", target=product, data=data)
    return link


@transaction.atomic
def product_initiative_unlink(
    *, product: Product, initiative: Initiative, actor: User | None
) -> None:
    """The Vorhaben no longer serves the product; its budget lines for it go too."""
    ProductInitiative.objects.for_municipality(product.municipality_id).filter(
        product=product, initiative=initiative
    ).delete()
    audit(
        actor=actor,
        action="product.unlink_initiative",
        target=product,
        data={"initiative": initiative.pk},
    )
