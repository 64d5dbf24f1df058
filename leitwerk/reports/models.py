"""Berichte. The shape is fixed here; the reports issue fills in rendering."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitwerk.core.models import TenantModel


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"


class Report(TenantModel):
    """A committee report (Sachstandsbericht) as an archived snapshot."""

    title = models.CharField(_("Titel"), max_length=300)
    plan = models.ForeignKey(
        "plans.ActionPlan", on_delete=models.CASCADE, related_name="reports", verbose_name=_("Plan")
    )
    format = models.CharField(_("Format"), max_length=10, choices=ReportFormat.choices)
    as_of = models.DateField(_("Stichtag"))
    file = models.FileField(_("Datei"), upload_to="reports/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("erstellt von"),
    )

    class Meta:
        verbose_name = _("Bericht")
        verbose_name_plural = _("Berichte")
        ordering = ["-as_of", "-id"]

    def __str__(self) -> str:
        return self.title
