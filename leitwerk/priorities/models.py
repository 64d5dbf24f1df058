"""Priorisierung and decisions. The shape is fixed here; the priorities issue fills in the workflow."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from leitwerk.core.models import TenantModel


class RoundStatus(models.TextChoices):
    OPEN = "open", _("offen")
    CLOSED = "closed", _("abgeschlossen")
    ADOPTED = "adopted", _("beschlossen")


class PriorityRound(TenantModel):
    title = models.CharField(_("Titel"), max_length=300)
    year = models.PositiveIntegerField(_("Jahr"), null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    adopted_on = models.DateField(_("beschlossen am"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        "municipalities.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beschlossen durch"),
    )
    decision_reference = models.CharField(_("Beschlussnummer"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Priorisierungsrunde")
        verbose_name_plural = _("Priorisierungsrunden")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title


class PriorityItem(TenantModel):
    """A Vorhaben's place on the agreed list of a round."""

    round = models.ForeignKey(
        PriorityRound, on_delete=models.CASCADE, related_name="items", verbose_name=_("Runde")
    )
    initiative = models.ForeignKey(
        "plans.Initiative", on_delete=models.CASCADE, related_name="+", verbose_name=_("Vorhaben")
    )
    rank = models.PositiveIntegerField(_("Rang"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Listenplatz")
        verbose_name_plural = _("Prioritätenliste")
        ordering = ["round", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["round", "initiative"], name="unique_item_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.initiative}"


class DecisionKind(models.TextChoices):
    START = "start", _("Start")
    STOP = "stop", _("Stopp")
    RESCOPE = "rescope", _("Neuzuschnitt")
    BUDGET = "budget", _("Budget")
    PRIORITY = "priority", _("Priorität")
    OTHER = "other", _("Sonstiges")


class Decision(TenantModel):
    """A decision on a Vorhaben, with its justification in plain language."""

    initiative = models.ForeignKey(
        "plans.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("Vorhaben"),
    )
    kind = models.CharField(_("Art"), max_length=20, choices=DecisionKind.choices)
    title = models.CharField(_("Titel"), max_length=300)
    justification = models.TextField(_("Begründung"))
    decided_on = models.DateField(_("entschieden am"))
    body = models.ForeignKey(
        "municipalities.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("Gremium"),
    )
    reference = models.CharField(_("Beschlussnummer"), max_length=200, blank=True)
    public = models.BooleanField(_("öffentlich"), default=False)

    class Meta:
        verbose_name = _("Entscheidung")
        verbose_name_plural = _("Entscheidungen")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.title
