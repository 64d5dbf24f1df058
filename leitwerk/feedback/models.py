"""Rückmeldung. The shape is fixed here; the feedback issue fills in surveys and anonymity."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from leitwerk.core.models import TenantModel


class Service(TenantModel):
    """An administrative service (Leistung), optionally keyed by the federal LeiKa catalogue."""

    name = models.CharField(_("Name"), max_length=300)
    leika_key = models.CharField(_("LeiKa-Schlüssel"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("Leistung")
        verbose_name_plural = _("Leistungen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(TenantModel):
    name = models.CharField(_("Name"), max_length=200)

    class Meta:
        verbose_name = _("Standort")
        verbose_name_plural = _("Standorte")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SurveyKind(models.TextChoices):
    CITIZEN = "citizen", _("Zufriedenheit mit unserer Leistung")
    STAFF_PULSE = "staff_pulse", _("Leitlinien-Puls")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    OPEN = "open", _("offen")
    CLOSED = "closed", _("abgeschlossen")


class Survey(TenantModel):
    title = models.CharField(_("Titel"), max_length=300)
    kind = models.CharField(_("Art"), max_length=20, choices=SurveyKind.choices)
    status = models.CharField(
        _("Status"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="surveys",
        verbose_name=_("Leistung"),
    )
    guideline = models.ForeignKey(
        "guidelines.GuidelineDocument", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="surveys", verbose_name=_("Leitlinien"),
    )
    opens_on = models.DateField(_("offen ab"), null=True, blank=True)
    closes_on = models.DateField(_("offen bis"), null=True, blank=True)
    min_group_size = models.PositiveSmallIntegerField(_("Mindestgruppengröße"), default=5)

    class Meta:
        verbose_name = _("Umfrage")
        verbose_name_plural = _("Umfragen")
        ordering = ["-opens_on", "title"]

    def __str__(self) -> str:
        return self.title


class SuggestionStatus(models.TextChoices):
    NEW = "new", _("eingegangen")
    IN_PROGRESS = "in_progress", _("in Bearbeitung")
    ANSWERED = "answered", _("beantwortet")


class Suggestion(TenantModel):
    """Anregung oder Beschwerde, with a response deadline."""

    category = models.CharField(_("Kategorie"), max_length=100, blank=True)
    text = models.TextField(_("Anliegen"))
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("zuständige Einheit"),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=SuggestionStatus.choices, default=SuggestionStatus.NEW
    )
    due_on = models.DateField(_("Antwort fällig am"))
    answer = models.TextField(_("Antwort"), blank=True)
    answered_on = models.DateField(_("beantwortet am"), null=True, blank=True)
    answer_public = models.BooleanField(_("Antwort öffentlich"), default=False)

    class Meta:
        verbose_name = _("Anregung oder Beschwerde")
        verbose_name_plural = _("Anregungen und Beschwerden")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text[:80]
