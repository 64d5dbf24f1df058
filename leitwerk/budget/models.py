"""Produkthaushalt: Teilhaushalte, the product tree, key figures and their links.

A German budget plan (Doppik) is organised by products taken from the state's product
framework: Produktbereich → Produktgruppe → Produkt, each product assigned to a Teilhaushalt.
The budget regulations (e.g. § 4 GemHVO Rhineland-Palatinate and Hesse) ask every Teilhaushalt
to describe its main products with goals and key figures (Kennzahlen) against targets. The
links here tie those products to Leitwerk's goals, indicators and Vorhaben, so the steering
figures and the budget plan are the same numbers.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from leitwerk.core.models import TenantModel, TenantQuerySet


class BudgetArea(TenantModel):
    """Teilhaushalt: the part of the budget plan a group of products is printed in."""

    code = models.CharField(_("Nummer"), max_length=30)
    title = models.CharField(_("Bezeichnung"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Teilhaushalt")
        verbose_name_plural = _("Teilhaushalte")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="budget_area_code_unique_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class ProductLevel(models.TextChoices):
    AREA = "area", _("Produktbereich")
    GROUP = "group", _("Produktgruppe")
    PRODUCT = "product", _("Produkt")


class ProductQuerySet(TenantQuerySet["Product"]):
    def products(self) -> ProductQuerySet:
        """Only the leaves of the tree: the products a budget plan describes."""
        return self.filter(level=ProductLevel.PRODUCT)


class Product(TenantModel):
    """One node of the product tree (Produktbereich, Produktgruppe or Produkt).

    One model with a level instead of three: finance systems export the tree as one list, and
    the codes (e.g. "1.1.1.01" or "11101") are unique in a municipality across all levels.
    """

    level = models.CharField(_("Ebene"), max_length=10, choices=ProductLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("gehört zu"),
    )
    budget_area = models.ForeignKey(
        BudgetArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("Teilhaushalt"),
    )
    code = models.CharField(_("Produktnummer"), max_length=40)
    title = models.CharField(_("Bezeichnung"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    responsible = models.CharField(_("Verantwortlich"), max_length=300, blank=True)
    goals = models.ManyToManyField(
        "goals.Goal", blank=True, related_name="products", verbose_name=_("Ziele")
    )
    indicators = models.ManyToManyField(
        "plans.Indicator", blank=True, related_name="products", verbose_name=_("Indikatoren")
    )

    objects: ClassVar[models.Manager[Product]] = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("Produkt")
        verbose_name_plural = _("Produkte")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="product_code_unique_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class KeyFigureDirection(models.TextChoices):
    INCREASE = "increase", _("steigend ist gut")
    DECREASE = "decrease", _("fallend ist gut")
    NEUTRAL = "neutral", _("ohne Wertung")


class KeyFigure(TenantModel):
    """Kennzahl of a product, with its code in the finance system."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="key_figures", verbose_name=_("Produkt")
    )
    code = models.CharField(_("Kennzahl-Nummer"), max_length=40)
    name = models.CharField(_("Kennzahl"), max_length=300)
    unit = models.CharField(_("Einheit"), max_length=50, blank=True)
    direction = models.CharField(
        _("Richtung"),
        max_length=10,
        choices=KeyFigureDirection.choices,
        default=KeyFigureDirection.NEUTRAL,
    )
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Kennzahl")
        verbose_name_plural = _("Kennzahlen")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "code"], name="key_figure_code_unique_per_product"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class ValueKind(models.TextChoices):
    ACTUAL = "actual", _("Ist")
    PLAN = "plan", _("Plan")
    TARGET = "target", _("Ziel")


class KeyFigureValue(TenantModel):
    """One value of a key figure: its actual result, plan or target for a budget year."""

    key_figure = models.ForeignKey(
        KeyFigure, on_delete=models.CASCADE, related_name="values", verbose_name=_("Kennzahl")
    )
    year = models.PositiveSmallIntegerField(_("Haushaltsjahr"))
    kind = models.CharField(_("Art"), max_length=10, choices=ValueKind.choices)
    value = models.DecimalField(_("Wert"), max_digits=18, decimal_places=4)

    class Meta:
        verbose_name = _("Kennzahlwert")
        verbose_name_plural = _("Kennzahlwerte")
        ordering = ["year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["key_figure", "year", "kind"], name="key_figure_value_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key_figure} {self.get_kind_display()} {self.year}"


class ProductInitiative(TenantModel):
    """A Vorhaben serving a product; its budget per year hangs below."""

    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="initiative_links",
        verbose_name=_("Produkt"),
    )
    initiative = models.ForeignKey(
        "plans.Initiative",
        on_delete=models.CASCADE,
        related_name="product_links",
        verbose_name=_("Vorhaben"),
    )

    class Meta:
        verbose_name = _("Vorhaben eines Produkts")
        verbose_name_plural = _("Vorhaben der Produkte")
        ordering = ["product", "initiative"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "initiative"], name="product_initiative_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product} – {self.initiative}"


class InitiativeBudget(TenantModel):
    """Planned and spent money of one Vorhaben in one product and budget year (Euro)."""

    link = models.ForeignKey(
        ProductInitiative,
        on_delete=models.CASCADE,
        related_name="budgets",
        verbose_name=_("Vorhaben des Produkts"),
    )
    year = models.PositiveSmallIntegerField(_("Haushaltsjahr"))
    planned_eur = models.DecimalField(
        _("geplant (Euro)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    spent_eur = models.DecimalField(
        _("ausgegeben (Euro)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("Budget eines Vorhabens")
        verbose_name_plural = _("Budgets der Vorhaben")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["link", "year"], name="initiative_budget_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.link} {self.year}"
