"""Berichte: committee reports (Sachstandsberichte) archived as reproducible snapshots."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from leitwerk.core.models import TenantModel


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("wartet")
    RUNNING = "running", _("wird erstellt")
    DONE = "done", _("fertig")
    FAILED = "failed", _("fehlgeschlagen")


class Report(TenantModel):
    """A committee report (Sachstandsbericht) as an archived snapshot.

    `snapshot` keeps the data the file was rendered from, so an archived report can be
    explained and re-rendered later even after the plan has changed.
    """

    title = models.CharField(_("Titel"), max_length=300)
    plan = models.ForeignKey(
        "plans.ActionPlan", on_delete=models.CASCADE, related_name="reports", verbose_name=_("Plan")
    )
    format = models.CharField(_("Format"), max_length=10, choices=ReportFormat.choices)
    as_of = models.DateField(_("Stichtag"))
    file = models.FileField(_("Datei"), upload_to="reports/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erstellt von"),
    )
    climate_relevance = models.TextField(_("Klima- und Nachhaltigkeitsrelevanz"), blank=True)
    decisions_requested = models.TextField(_("Beschlussvorschlag"), blank=True)
    status = models.CharField(
        _("Bearbeitungsstand"),
        max_length=10,
        choices=ReportStatus.choices,
        default=ReportStatus.QUEUED,
    )
    progress = models.PositiveSmallIntegerField(_("Fortschritt (%)"), default=0)
    progress_step = models.CharField(_("aktueller Schritt"), max_length=200, blank=True)
    error = models.TextField(_("Fehler"), blank=True)
    snapshot = models.JSONField(_("Datenstand"), default=dict, blank=True)
    snapshot_sha256 = models.CharField(_("Prüfsumme des Datenstands"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("Bericht")
        verbose_name_plural = _("Berichte")
        ordering = ["-as_of", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)

    @property
    def filename(self) -> str:
        """A download name that says what the file is: plan, date, format."""
        stem = slugify(f"sachstandsbericht-{self.plan.title}")[:80] or "sachstandsbericht"
        return f"{stem}-{self.as_of.isoformat()}.{self.format}"
