"""Hemmnisse & Ideen. The shape is fixed here; the priorities issue fills in the workflow."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitwerk.core.models import TenantModel

RATING = [MinValueValidator(1), MaxValueValidator(5)]


class Obstacle(TenantModel):
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    category = models.CharField(_("Kategorie"), max_length=100, blank=True)
    impact = models.PositiveSmallIntegerField(_("Auswirkung (1–5)"), validators=RATING, default=3)
    frequency = models.PositiveSmallIntegerField(_("Häufigkeit (1–5)"), validators=RATING, default=3)
    initiatives = models.ManyToManyField(
        "plans.Initiative", blank=True, related_name="obstacles", verbose_name=_("führte zu Vorhaben")
    )

    class Meta:
        verbose_name = _("Hemmnis")
        verbose_name_plural = _("Hemmnisse")
        ordering = ["-impact", "-frequency", "title"]

    def __str__(self) -> str:
        return self.title


class SolutionConcept(TenantModel):
    obstacle = models.ForeignKey(
        Obstacle, on_delete=models.CASCADE, related_name="solutions", verbose_name=_("Hemmnis")
    )
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        verbose_name = _("Lösungskonzept")
        verbose_name_plural = _("Lösungskonzepte")

    def __str__(self) -> str:
        return self.title
