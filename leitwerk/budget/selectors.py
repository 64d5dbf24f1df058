"""Reads of the Produkthaushalt, always scoped to one municipality.

`budget_section` is the "Ziele und Kennzahlen" part of a Teilhaushalt as the budget plan prints
it, as plain data: the pages, the DOCX/XLSX exports and (later) the council report read it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from leitwerk.core import charts
from leitwerk.core.access import access_row, may, require_visible
from leitwerk.core.charts import Frame, Reference, Style, element
from leitwerk.core.formatting import number
from leitwerk.goals.models import Goal, GoalLevel
from leitwerk.plans.models import Indicator, Initiative

from .models import (
    BudgetArea,
    InitiativeBudget,
    KeyFigure,
    KeyFigureValue,
    Product,
    ProductInitiative,
    ProductLevel,
    ValueKind,
)

if TYPE_CHECKING:
    from leitwerk.municipalities.models import Municipality

VIEW = "budget.view_budget"
CHANGE = "budget.change_budget"
# The KGSt order a budget plan lists a product's goals in; unclassified goals come last.
LEVEL_ORDER = [GoalLevel.STRATEGIC, GoalLevel.IMPACT, GoalLevel.PERFORMANCE, ""]
TARGET_YEARS_AHEAD = 3


def default_year(today: dt.date | None = None) -> int:
    """The budget year a page shows unless asked: the current calendar year."""
    return (today or timezone.localdate()).year


def parse_year(value: Any, *, fallback: int) -> int:
    """A budget year from the query string (`?jahr=2026`); anything else is the fallback."""
    text = str(value or "")
    if text.isdigit() and 1990 <= int(text) <= 2100:
        return int(text)
    return fallback


@dataclass(frozen=True)
class Column:
    """One value column of the section: "Ist 2025", "Plan 2026", "Ziel 2027" …"""

    label: str
    year: int
    kind: str


def section_columns(year: int) -> list[Column]:
    """Last year's actual, this year's plan, the next years' targets."""
    return [
        Column(f"Ist {year - 1}", year - 1, ValueKind.ACTUAL),
        Column(f"Plan {year}", year, ValueKind.PLAN),
        *(
            Column(f"Ziel {year + n}", year + n, ValueKind.TARGET)
            for n in range(1, TARGET_YEARS_AHEAD + 1)
        ),
    ]


@dataclass(frozen=True)
class GoalEntry:
    pk: int
    code: str
    title: str
    level: str
    level_label: str


@dataclass(frozen=True)
class FigureEntry:
    pk: int
    code: str
    name: str
    unit: str
    direction: str
    values: list[Decimal | None]


@dataclass(frozen=True)
class ProductEntry:
    pk: int
    code: str
    title: str
    description: str
    responsible: str
    goals: list[GoalEntry]
    key_figures: list[FigureEntry]


@dataclass(frozen=True)
class BudgetSection:
    """The "Ziele und Kennzahlen" section of one Teilhaushalt for one budget year."""

    area_pk: int
    area_code: str
    area_title: str
    year: int
    columns: list[Column]
    products: list[ProductEntry]


def _goal_entries(goals: list[Goal]) -> list[GoalEntry]:
    ordered = sorted(goals, key=lambda g: (LEVEL_ORDER.index(g.kgst_level), g.code, g.title))
    return [
        GoalEntry(
            pk=g.pk,
            code=g.code,
            title=g.title,
            level=g.kgst_level,
            level_label=str(GoalLevel(g.kgst_level).label) if g.kgst_level else "Ziel",
        )
        for g in ordered
    ]


def budget_section(
    municipality: Municipality, budget_area: BudgetArea | int, year: int
) -> BudgetSection:
    """Plain data of one Teilhaushalt's products with goals and key figures (no access check:
    callers are pages that checked already, exports and the council report)."""
    area = (
        budget_area
        if isinstance(budget_area, BudgetArea)
        else BudgetArea.objects.for_municipality(municipality).get(pk=budget_area)
    )
    columns = section_columns(year)
    wanted = Q()
    for column in columns:
        wanted |= Q(year=column.year, kind=column.kind)
    values = KeyFigureValue.objects.for_municipality(municipality).filter(wanted)
    figures = KeyFigure.objects.for_municipality(municipality).prefetch_related(
        Prefetch("values", queryset=values)
    )
    products = (
        Product.objects.for_municipality(municipality)
        .products()
        .filter(budget_area=area)
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.for_municipality(municipality)))
        .prefetch_related(Prefetch("key_figures", queryset=figures))
        .order_by("code")
    )
    entries = []
    for product in products:
        figure_entries = []
        for figure in product.key_figures.all():
            by_key = {(v.year, v.kind): v.value for v in figure.values.all()}
            figure_entries.append(
                FigureEntry(
                    pk=figure.pk,
                    code=figure.code,
                    name=figure.name,
                    unit=figure.unit,
                    direction=figure.direction,
                    values=[by_key.get((c.year, c.kind)) for c in columns],
                )
            )
        entries.append(
            ProductEntry(
                pk=product.pk,
                code=product.code,
                title=product.title,
                description=product.description,
                responsible=product.responsible,
                goals=_goal_entries(list(product.goals.all())),
                key_figures=figure_entries,
            )
        )
    return BudgetSection(
        area_pk=area.pk,
        area_code=area.code,
        area_title=area.title,
        year=year,
        columns=columns,
        products=entries,
    )


@dataclass(frozen=True)
class AreaRow:
    area: BudgetArea
    products: int
    key_figures: int


@dataclass(frozen=True)
class Overview:
    areas: list[AreaRow]
    products_without_area: list[Product]
    may_edit: bool


def overview_for_user(*, user: Any, municipality: Municipality) -> Overview:
    require_visible(user, VIEW, municipality)
    areas = (
        BudgetArea.objects.for_municipality(municipality)
        .annotate(
            product_count=Count(
                "products", filter=Q(products__level=ProductLevel.PRODUCT), distinct=True
            ),
            figure_count=Count("products__key_figures", distinct=True),
        )
        .order_by("order", "code")
    )
    return Overview(
        areas=[AreaRow(a, a.product_count, a.figure_count) for a in areas],
        products_without_area=list(
            Product.objects.for_municipality(municipality)
            .products()
            .filter(budget_area__isnull=True)
        ),
        may_edit=may(user, CHANGE, municipality),
    )


def area_for_user(*, user: Any, municipality: Municipality, pk: int) -> BudgetArea:
    require_visible(user, VIEW, municipality)
    area = BudgetArea.objects.for_municipality(municipality).filter(pk=pk).first()
    if area is None:
        raise Http404
    return area


def budget_areas(municipality: Municipality) -> list[BudgetArea]:
    return list(BudgetArea.objects.for_municipality(municipality).order_by("order", "code"))


# The product page ---------------------------------------------------------------------------

FRAME = Frame(width=560, height=220, bottom=36)
STYLE = Style(
    axis={"class": "chart__axis"},
    label={"class": "chart__label"},
    line={"class": "chart__line"},
    point={"class": "chart__point", "r": 4},
)


@dataclass(frozen=True)
class YearRow:
    year: int
    actual: Decimal | None
    plan: Decimal | None
    target: Decimal | None


@dataclass(frozen=True)
class FigureBlock:
    figure: KeyFigure
    rows: list[YearRow]
    chart: SafeString


@dataclass(frozen=True)
class BudgetLine:
    year: int
    planned: Decimal | None
    spent: Decimal | None


@dataclass(frozen=True)
class InitiativeBlock:
    initiative: Initiative
    lines: list[BudgetLine]
    planned_total: Decimal
    spent_total: Decimal


@dataclass
class ProductPage:
    product: Product
    ancestors: list[Product]
    goals: list[GoalEntry]
    figures: list[FigureBlock]
    initiatives: list[InitiativeBlock]
    indicators: list[Indicator]
    may_edit: bool
    goal_choices: list[Goal] = field(default_factory=list)
    indicator_choices: list[Indicator] = field(default_factory=list)
    initiative_choices: list[Initiative] = field(default_factory=list)


def figure_chart(figure: KeyFigure, rows: list[YearRow]) -> SafeString:
    """Actual values over the years (plan values where no actual exists yet), with the latest
    target as a dashed line; the page puts the same numbers in a table beside it."""
    points: list[tuple[int, Decimal]] = []
    for row in rows:
        shown = row.actual if row.actual is not None else row.plan
        if shown is not None:
            points.append((row.year, shown))
    if not points:
        return mark_safe("")
    targets = [r for r in rows if r.target is not None]
    unit = f" {figure.unit}" if figure.unit else ""
    first, last = points[0][0], points[-1][0]
    span = max(last - first, 1)
    chart_id = f"kennzahl-{figure.pk}"
    desc = (
        f"{len(points)} Jahreswerte von {first} bis {last}; zuletzt {number(points[-1][1])}{unit}"
    )
    references = []
    if targets:
        desc += f"; Ziel {targets[-1].year}: {number(targets[-1].target)}{unit}"
        references.append(
            Reference(
                targets[-1].target or Decimal(0),
                f"Ziel {targets[-1].year}",
                {"class": "chart__ref chart__ref--target"},
            )
        )
    svg = charts.line_chart(
        frame=FRAME,
        root={
            "class": "chart",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
        },
        head=[
            element("title", figure.name, id=f"{chart_id}-title"),
            element("desc", desc + ".", id=f"{chart_id}-desc"),
        ],
        values=[Decimal(v) for _y, v in points],
        positions=[(year - first) / span for year, _v in points],
        x_labels=[str(year) for year, _v in points],
        references=references,
        style=STYLE,
    )
    return mark_safe(svg)  # noqa: S308 - core.charts escapes every text


def _figure_blocks(product: Product) -> list[FigureBlock]:
    blocks = []
    for figure in product.key_figures.all():
        by_year: dict[int, dict[str, Decimal]] = defaultdict(dict)
        for value in figure.values.all():
            by_year[value.year][value.kind] = value.value
        rows = [
            YearRow(
                year,
                by_year[year].get(ValueKind.ACTUAL),
                by_year[year].get(ValueKind.PLAN),
                by_year[year].get(ValueKind.TARGET),
            )
            for year in sorted(by_year)
        ]
        blocks.append(FigureBlock(figure, rows, figure_chart(figure, rows)))
    return blocks


def _initiative_blocks(product: Product) -> list[InitiativeBlock]:
    blocks = []
    for link in product.initiative_links.all():
        lines = [BudgetLine(b.year, b.planned_eur, b.spent_eur) for b in link.budgets.all()]
        blocks.append(
            InitiativeBlock(
                initiative=link.initiative,
                lines=lines,
                planned_total=sum((ln.planned or Decimal(0) for ln in lines), Decimal(0)),
                spent_total=sum((ln.spent or Decimal(0) for ln in lines), Decimal(0)),
            )
        )
    return blocks


def product_page_for_user(*, user: Any, municipality: Municipality, pk: int) -> ProductPage:
    require_visible(user, VIEW, municipality)
    links = (
        ProductInitiative.objects.for_municipality(municipality)
        .select_related("initiative__action_field__plan")
        .prefetch_related(
            Prefetch("budgets", queryset=InitiativeBudget.objects.for_municipality(municipality))
        )
        .order_by("initiative__number", "initiative__title")
    )
    product = (
        Product.objects.for_municipality(municipality)
        .select_related("budget_area", "parent__parent")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.for_municipality(municipality)))
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.for_municipality(municipality).select_related(
                    "initiative", "goal"
                ),
            )
        )
        .prefetch_related(
            Prefetch(
                "key_figures",
                queryset=KeyFigure.objects.for_municipality(municipality).prefetch_related(
                    Prefetch(
                        "values", queryset=KeyFigureValue.objects.for_municipality(municipality)
                    )
                ),
            )
        )
        .prefetch_related(Prefetch("initiative_links", queryset=links))
        .filter(pk=pk)
        .first()
    )
    if product is None:
        raise Http404
    ancestors: list[Product] = []
    parent = product.parent
    while parent is not None and len(ancestors) < 3:
        ancestors.insert(0, parent)
        parent = parent.parent
    page = ProductPage(
        product=product,
        ancestors=ancestors,
        goals=_goal_entries(list(product.goals.all())),
        figures=_figure_blocks(product),
        initiatives=_initiative_blocks(product),
        indicators=list(product.indicators.all()),
        may_edit=may(user, CHANGE, product),
    )
    if page.may_edit:
        linked_goals = {g.pk for g in page.goals}
        page.goal_choices = [
            g
            for g in Goal.objects.for_municipality(municipality).by_field()
            if g.pk not in linked_goals
        ]
        linked_indicators = {i.pk for i in page.indicators}
        page.indicator_choices = [
            i
            for i in Indicator.objects.for_municipality(municipality).order_by("title")
            if i.pk not in linked_indicators
        ]
        page.initiative_choices = list(
            Initiative.objects.for_municipality(municipality).order_by("number", "title")
        )
    return page


def product_for_user(*, user: Any, municipality: Municipality, pk: int, perm: str) -> Product:
    """One product for an action (404 missing/foreign/not visible, 403 not allowed)."""
    return access_row(
        Product.objects.all(),
        user=user,
        municipality=municipality,
        pk=pk,
        view_perm=VIEW,
        perm=perm,
    )


# Open data ----------------------------------------------------------------------------------

OPEN_DATA_COLUMNS = [
    "teilhaushalt",
    "produktnummer",
    "produkt",
    "kennzahl_nummer",
    "kennzahl",
    "einheit",
    "haushaltsjahr",
    "art",
    "wert",
]


def open_data_products(municipality: Municipality) -> list[dict[str, Any]]:
    """Products with key figures and their values for the public portal (no sign-in).

    The adopted budget plan is a public document, so products and key figures are published as
    stored; of the goals only those the municipality made public (`Goal.public`) are named.
    """
    values = KeyFigureValue.objects.for_municipality(municipality).order_by("year", "kind")
    figures = KeyFigure.objects.for_municipality(municipality).prefetch_related(
        Prefetch("values", queryset=values)
    )
    products = (
        Product.objects.for_municipality(municipality)
        .products()
        .select_related("budget_area")
        .prefetch_related(
            Prefetch(
                "goals", queryset=Goal.objects.for_municipality(municipality).filter(public=True)
            )
        )
        .prefetch_related(Prefetch("key_figures", queryset=figures))
        .order_by("code")
    )
    return [
        {
            "produktnummer": product.code,
            "produkt": product.title,
            "teilhaushalt": str(product.budget_area) if product.budget_area else "",
            "ziele": [
                {
                    "titel": goal.title,
                    "zielebene": str(GoalLevel(goal.kgst_level).label) if goal.kgst_level else "",
                }
                for goal in product.goals.all()
            ],
            "kennzahlen": [
                {
                    "nummer": figure.code,
                    "name": figure.name,
                    "einheit": figure.unit,
                    "werte": [
                        {"haushaltsjahr": v.year, "art": v.get_kind_display(), "wert": v.value}
                        for v in figure.values.all()
                    ],
                }
                for figure in product.key_figures.all()
            ],
        }
        for product in products
    ]


def open_data_rows(products: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same data flat, one row per value (the CSV)."""
    return [
        {
            "teilhaushalt": product["teilhaushalt"],
            "produktnummer": product["produktnummer"],
            "produkt": product["produkt"],
            "kennzahl_nummer": figure["nummer"],
            "kennzahl": figure["name"],
            "einheit": figure["einheit"],
            "haushaltsjahr": value["haushaltsjahr"],
            "art": value["art"],
            "wert": value["wert"],
        }
        for product in products
        for figure in product["kennzahlen"]
        for value in figure["werte"]
    ]
