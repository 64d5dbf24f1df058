"""Musterstadt's small Produkthaushalt: two Teilhaushalte, ten products, key figures over
three years, linked to the demo's goals and Vorhaben (invented figures, no real budget)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from leitwerk.budget.models import Product, ProductLevel, ValueKind
from leitwerk.budget.services import (
    AreaRow,
    KeyFigureRow,
    ProductRow,
    ValueRow,
    budget_rows_apply,
    product_initiative_budget_set,
    product_link_goal,
    product_link_indicator,
)
from leitwerk.goals.models import Goal, GoalLevel
from leitwerk.goals.services import goal_update
from leitwerk.municipalities.models import Municipality
from leitwerk.plans.models import Indicator, Initiative

AREAS = [("1", "Zentrale Verwaltung und Bürgerservice"), ("5", "Bauen, Umwelt und Klima")]

# Produktbereich → Produktgruppe → products: (code, title, responsible, area).
TREE = [
    ("11", "Innere Verwaltung", "111", "Verwaltungssteuerung und Service", "1", [
        ("11101", "Bürgerservice und Bürgerämter", "FB 4 Bürgerservice"),
        ("11102", "Informationstechnik und Digitalisierung", "FB 3 Digitalisierung und IT"),
        ("11103", "Personalentwicklung", "FB 1 Personal und Organisation"),
        ("11104", "Presse, Öffentlichkeitsarbeit und offene Daten", "Stabsstelle Strategie"),
        ("11105", "Gebäudemanagement Verwaltungsgebäude", "FB 5 Gebäude"),
    ]),
    ("51", "Räumliche Planung und Entwicklung", "511", "Bauordnung und Klimaschutz", "5", [
        ("51101", "Bauaufsicht und Baugenehmigungen", "FB 6 Bauen"),
        ("51102", "Klimaschutz und Energie", "Klimaschutzmanagement"),
        ("51103", "Stadtgrün und Bäume", "FB 7 Umwelt"),
        ("51104", "Mobilität und Radverkehr", "FB 6 Bauen"),
        ("51105", "Städtische Gebäude: Energie", "FB 5 Gebäude"),
    ]),
]  # fmt: skip

# Key figures per product: (product, code, name, unit, direction, [value per year offset -2..+2]).
FIGURES: list[tuple[str, str, str, str, str, list[float]]] = [
    ("11101", "K1", "Durchschnittliche Wartezeit im Bürgeramt", "Minuten", "decrease",
     [38, 31, 25, 20, 15]),
    ("11101", "K2", "Online gebuchte Termine", "%", "increase", [22, 41, 60, 70, 80]),
    ("11102", "K1", "Online angebotene Leistungen", "Anzahl", "increase", [48, 75, 110, 140, 170]),
    ("11102", "K2", "Fachbereiche mit E-Akte", "Anzahl", "increase", [2, 4, 7, 9, 11]),
    ("11103", "K1", "Fortbildungstage je Beschäftigte", "Tage", "increase", [1.6, 2.1, 2.5, 3, 3]),
    ("11104", "K1", "Offene Datensätze", "Anzahl", "increase", [12, 26, 40, 55, 70]),
    ("11105", "K1", "Wärmeverbrauch Rathaus", "MWh", "decrease", [910, 860, 800, 760, 720]),
    ("51101", "K1", "Bearbeitungsdauer Bauantrag", "Tage", "decrease", [96, 88, 70, 60, 55]),
    ("51101", "K2", "Digital eingereichte Bauanträge", "%", "increase", [5, 18, 45, 65, 80]),
    ("51102", "K1", "CO₂-Ausstoß der Verwaltung", "t", "decrease", [4200, 3950, 3600, 3300, 3000]),
    ("51103", "K1", "Neu gepflanzte Stadtbäume", "Anzahl", "increase", [120, 140, 160, 180, 200]),
    ("51104", "K1", "Dienstfahrräder", "Anzahl", "increase", [6, 14, 25, 30, 35]),
    ("51105", "K1", "Energieverbrauch städtischer Gebäude", "MWh", "decrease",
     [14800, 14200, 13500, 12900, 12300]),
]  # fmt: skip

# Goal code → (KGSt level, products it is printed under).
GOAL_LINKS = {
    "Z1.1": (GoalLevel.IMPACT, ["11101"]),
    "Z1.2": (GoalLevel.PERFORMANCE, ["11101", "11104"]),
    "Z2.1": (GoalLevel.STRATEGIC, ["11102", "51101"]),
    "Z2.2": (GoalLevel.PERFORMANCE, ["11104"]),
    "Z3.1": (GoalLevel.STRATEGIC, ["51102", "51105", "11105", "51104"]),
    "Z4.1": (GoalLevel.IMPACT, ["11103"]),
}

# Vorhaben number → (product, planned per year offset -1..+1 in Euro, spent last year).
INITIATIVE_LINKS = {
    "1.1": ("11101", [60_000, 85_000, 40_000], 58_400),
    "1.2": ("11101", [20_000, 35_000, 15_000], 21_900),
    "2.1": ("11102", [180_000, 240_000, 200_000], 171_250),
    "2.2": ("51101", [45_000, 90_000, 30_000], 39_800),
    "2.3": ("11104", [10_000, 15_000, 15_000], 9_600),
    "3.1": ("51105", [250_000, 400_000, 350_000], 262_300),
    "3.2": ("51104", [18_000, 24_000, 12_000], 17_450),
    "4.2": ("11103", [8_000, 12_000, 12_000], 7_900),
}


def _structure(year: int) -> dict[str, list[Any]]:
    areas = [AreaRow(code, title) for code, title in AREAS]
    products: list[ProductRow] = []
    for pb_code, pb_title, pg_code, pg_title, area, leaves in TREE:
        products.append(ProductRow(pb_code, pb_title, ProductLevel.AREA))
        products.append(ProductRow(pg_code, pg_title, ProductLevel.GROUP, parent_code=pb_code))
        products.extend(
            ProductRow(
                code,
                title,
                ProductLevel.PRODUCT,
                parent_code=pg_code,
                area_code=area,
                responsible=responsible,
            )
            for code, title, responsible in leaves
        )
    figures = [KeyFigureRow(p, code, name, unit, d) for p, code, name, unit, d, _v in FIGURES]
    values: list[ValueRow] = []
    for product, code, _name, _unit, _d, series in FIGURES:
        for offset, number in zip(range(-2, 3), series, strict=True):
            # Two years of results, this year's plan, two years of targets; the plan year
            # also gets its target so the Teilhaushalt page can compare both.
            kind = (
                ValueKind.ACTUAL
                if offset < 0
                else ValueKind.PLAN
                if offset == 0
                else ValueKind.TARGET
            )
            values.append(ValueRow(product, code, year + offset, kind, Decimal(str(number))))
        values.append(ValueRow(product, code, year - 1, ValueKind.PLAN, Decimal(str(series[1]))))
    return {"areas": areas, "products": products, "key_figures": figures, "values": values}


def build_budget(municipality: Municipality, today: dt.date) -> None:
    """Write the demo budget through the budget services (the same path as the import)."""
    year = today.year
    rows = _structure(year)
    budget_rows_apply(
        municipality=municipality,
        actor=None,
        areas=rows["areas"],
        products=rows["products"],
        key_figures=rows["key_figures"],
        values=rows["values"],
        source_name="Demo",
    )
    products = {p.code: p for p in Product.objects.for_municipality(municipality).products()}
    goals = {g.code: g for g in Goal.objects.for_municipality(municipality)}
    for code, (level, product_codes) in GOAL_LINKS.items():
        goal = goals.get(code)
        if goal is None:
            continue
        goal = goal_update(
            goal=goal, actor=None, expected_version=goal.version, changes={"kgst_level": level}
        )
        for product_code in product_codes:
            product_link_goal(product=products[product_code], goal=goal, actor=None)
        indicator = Indicator.objects.for_municipality(municipality).filter(goal=goal).first()
        if indicator is not None:
            product_link_indicator(
                product=products[product_codes[0]], indicator=indicator, actor=None
            )
    initiatives = {i.number: i for i in Initiative.objects.for_municipality(municipality)}
    for number, (product_code, planned, spent_last_year) in INITIATIVE_LINKS.items():
        initiative = initiatives.get(number)
        if initiative is None:
            continue
        for offset, amount in zip(range(-1, 2), planned, strict=True):
            product_initiative_budget_set(
                product=products[product_code],
                initiative=initiative,
                actor=None,
                year=year + offset,
                planned_eur=Decimal(amount),
                spent_eur=Decimal(spent_last_year) if offset == -1 else None,
            )
