from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from leitwerk.core.models import TenantModel, TenantQuerySet


class GoalField(TenantModel):
    """Zielfeld / Handlungsfeld: a group of goals."""

    code = models.CharField(_("Kürzel"), max_length=20, blank=True)
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Zielfeld")
        verbose_name_plural = _("Zielfelder")
        ordering = ["order", "code", "title"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class GoalLevel(models.TextChoices):
    """The goal levels of the KGSt steering model, as a budget plan names them."""

    STRATEGIC = "strategic", _("Strategisches Ziel")
    IMPACT = "impact", _("Wirkungsziel")
    PERFORMANCE = "performance", _("Leistungsziel")


class GoalQuerySet(TenantQuerySet["Goal"]):
    def by_field(self) -> GoalQuerySet:
        """In the order of goal field and goal, with the field loaded (pickers, lists)."""
        return self.select_related("goal_field").order_by(
            "goal_field__order", "goal_field__code", "goal_field_id", "order", "code", "id"
        )

    def visible_in_portal(self) -> GoalQuerySet:
        """What the public portal may show: published by the municipality."""
        return self.filter(public=True)


class Goal(TenantModel):
    """A measurable goal, serving one or more guideline statements."""

    goal_field = models.ForeignKey(
        GoalField, on_delete=models.CASCADE, related_name="goals", verbose_name=_("Zielfeld")
    )
    code = models.CharField(_("Kürzel"), max_length=20, blank=True)
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    easy_summary = models.TextField(
        _("Kurz in Leichter Sprache"),
        blank=True,
        help_text=_("Kurze Sätze, eine Aussage pro Satz. Erscheint im Bürgerportal."),
    )
    target_date = models.DateField(_("Zieldatum"), null=True, blank=True)
    statements = models.ManyToManyField(
        "guidelines.Statement",
        blank=True,
        related_name="goals",
        verbose_name=_("dient den Aussagen"),
    )
    weight = models.DecimalField(_("Gewicht"), max_digits=6, decimal_places=2, default=1)
    public = models.BooleanField(_("öffentlich"), default=False)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    # Budget plans (§ 4 GemHVO RLP/Hessen) print goals by these levels; blank = not classified.
    kgst_level = models.CharField(
        _("Zielebene (KGSt)"), max_length=20, choices=GoalLevel.choices, blank=True
    )

    objects: ClassVar[models.Manager[Goal]] = GoalQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=[statements])

    class Meta:
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        ordering = ["goal_field", "order", "code", "title"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class FrameworkConcept(TenantModel):
    """Rahmenkonzept: a strategy document that frames goals for a period."""

    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    valid_from = models.DateField(_("gültig ab"), null=True, blank=True)
    valid_to = models.DateField(_("gültig bis"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        "municipalities.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beschlossen durch"),
    )
    adopted_on = models.DateField(_("beschlossen am"), null=True, blank=True)
    goal_fields = models.ManyToManyField(
        GoalField, blank=True, related_name="framework_concepts", verbose_name=_("Zielfelder")
    )
    # The plans it frames link to it from their side (plans.ActionPlan.framework_concepts):
    # plans sit above goals, so the relation is theirs.
    goals = models.ManyToManyField(
        Goal, blank=True, related_name="framework_concepts", verbose_name=_("Ziele")
    )

    class Meta:
        verbose_name = _("Rahmenkonzept")
        verbose_name_plural = _("Rahmenkonzepte")
        ordering = ["-valid_from", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("„gültig bis“ liegt vor „gültig ab“.")})
