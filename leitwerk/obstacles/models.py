"""Hemmnisse & Ideen: obstacles, their ratings and the solution concepts that led to Vorhaben."""

from __future__ import annotations

from django.conf import settings
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
    frequency = models.PositiveSmallIntegerField(
        _("Häufigkeit (1–5)"), validators=RATING, default=3
    )
    initiatives = models.ManyToManyField(
        "plans.Initiative",
        blank=True,
        related_name="obstacles",
        verbose_name=_("führte zu Vorhaben"),
    )
    # Where the obstacle was observed (optional; set by the Hemmnisse import and the admin).
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Organisationseinheit"),
    )

    class Meta:
        verbose_name = _("Hemmnis")
        verbose_name_plural = _("Hemmnisse")
        ordering = ["-impact", "-frequency", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def severity(self) -> int:
        """Impact × frequency (1–25): the order in which obstacles deserve attention."""
        return self.impact * self.frequency


class ObstacleRating(TenantModel):
    """One assessment of an obstacle; the obstacle's impact and frequency are their rounded mean."""

    obstacle = models.ForeignKey(
        Obstacle, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("Hemmnis")
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bewertet von"),
    )
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("für Organisationseinheit"),
    )
    impact = models.PositiveSmallIntegerField(_("Auswirkung (1–5)"), validators=RATING)
    frequency = models.PositiveSmallIntegerField(_("Häufigkeit (1–5)"), validators=RATING)
    comment = models.TextField(_("Anmerkung"), blank=True)

    class Meta:
        verbose_name = _("Bewertung eines Hemmnisses")
        verbose_name_plural = _("Bewertungen von Hemmnissen")
        ordering = ["obstacle", "-created_at"]

    def __str__(self) -> str:
        return f"{self.obstacle}: {self.impact}/{self.frequency}"


class SolutionConcept(TenantModel):
    obstacle = models.ForeignKey(
        Obstacle, on_delete=models.CASCADE, related_name="solutions", verbose_name=_("Hemmnis")
    )
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    initiatives = models.ManyToManyField(
        "plans.Initiative",
        blank=True,
        related_name="solution_concepts",
        verbose_name=_("umgesetzt in Vorhaben"),
    )

    class Meta:
        verbose_name = _("Lösungskonzept")
        verbose_name_plural = _("Lösungskonzepte")

    def __str__(self) -> str:
        return self.title
