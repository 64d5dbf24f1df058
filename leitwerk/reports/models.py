"""Berichte: committee reports (Sachstandsberichte) archived as reproducible snapshots."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import RegexValidator
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
    CANCELLED = "cancelled", _("abgebrochen")


class VorlageKind(models.TextChoices):
    INFO = "info", _("Informationsvorlage")
    DECISION = "decision", _("Beschlussvorlage")


class ReportScope(models.TextChoices):
    PLAN = "plan", _("ganzer Aktionsplan")
    FIELD = "field", _("ein Aktionsfeld")
    UNIT = "unit", _("eine Organisationseinheit (federführend)")
    DEVIATIONS = "deviations", _("nur Vorhaben mit Abweichungen")


class ConsultationRole(models.TextChoices):
    NOTE = "note", _("Kenntnisnahme")
    PREPARE = "prepare", _("Vorberatung")
    DECIDE = "decide", _("Entscheidung")


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
    # Sitzungsvorlage fields (the title is the Betreff); the DOCX writes them 1:1.
    kind = models.CharField(
        _("Vorlagenart"), max_length=10, choices=VorlageKind.choices, default=VorlageKind.INFO
    )
    lead_unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("federführende Stelle"),
    )
    facts = models.TextField(_("Sachverhalt"), blank=True)
    finance_text = models.TextField(_("finanzielle Auswirkungen"), blank=True)
    attachments = models.TextField(_("Anlagen"), blank=True, help_text=_("eine Anlage je Zeile"))
    scope = models.CharField(
        _("Umfang"), max_length=12, choices=ReportScope.choices, default=ReportScope.PLAN
    )
    scope_field = models.ForeignKey(
        "plans.ActionField",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Aktionsfeld"),
    )
    scope_unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Organisationseinheit"),
    )
    schedule = models.ForeignKey(
        "ReportSchedule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("Zeitplan"),
    )
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
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED, ReportStatus.CANCELLED)

    @property
    def attachment_list(self) -> list[str]:
        return [line.strip() for line in self.attachments.splitlines() if line.strip()]

    @property
    def filename(self) -> str:
        """A download name that says what the file is: plan, date, format."""
        stem = slugify(f"sachstandsbericht-{self.plan.title}")[:80] or "sachstandsbericht"
        return f"{stem}-{self.as_of.isoformat()}.{self.format}"


class Consultation(TenantModel):
    """One step of a report's Beratungsfolge: a body, its meeting day and agenda item."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="consultations", verbose_name=_("Bericht")
    )
    body = models.ForeignKey(
        "municipalities.Body",
        on_delete=models.CASCADE,
        related_name="report_consultations",
        verbose_name=_("Gremium"),
    )
    meeting_date = models.DateField(_("Sitzung am"))
    agenda_item = models.CharField(_("Tagesordnungspunkt"), max_length=20, blank=True)
    role = models.CharField(
        _("Zuständigkeit"),
        max_length=10,
        choices=ConsultationRole.choices,
        default=ConsultationRole.NOTE,
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Beratung")
        verbose_name_plural = _("Beratungsfolge")
        ordering = ["order", "meeting_date", "pk"]
        indexes = [models.Index(fields=["municipality", "body", "meeting_date"])]

    def __str__(self) -> str:
        return f"{self.body} am {self.meeting_date:%d.%m.%Y}"


class ReportSchedule(TenantModel):
    """A report generated before each meeting of a body: `lead_days` before the meeting day.

    Leitwerk keeps no meeting calendar, so the next meeting days are entered by hand.
    """

    plan = models.ForeignKey(
        "plans.ActionPlan",
        on_delete=models.CASCADE,
        related_name="report_schedules",
        verbose_name=_("Plan"),
    )
    body = models.ForeignKey(
        "municipalities.Body",
        on_delete=models.CASCADE,
        related_name="report_schedules",
        verbose_name=_("Gremium"),
    )
    lead_days = models.PositiveSmallIntegerField(_("Tage vor der Sitzung"), default=14)
    meeting_dates = models.JSONField(_("Sitzungstermine"), default=list, blank=True)
    format = models.CharField(
        _("Format"), max_length=10, choices=ReportFormat.choices, default=ReportFormat.PDF
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("zu benachrichtigen"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("angelegt von"),
    )
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Berichtszeitplan")
        verbose_name_plural = _("Berichtszeitpläne")
        ordering = ["body__name", "pk"]

    def __str__(self) -> str:
        return f"{self.plan} für {self.body}"

    @property
    def dates(self) -> list[dt.date]:
        return sorted(dt.date.fromisoformat(d) for d in self.meeting_dates)

    def next_run(self, today: dt.date) -> dt.date | None:
        """The day the next report will be made (None: no meeting ahead)."""
        upcoming = [d for d in self.dates if d >= today]
        if not upcoming:
            return None
        return max(today, upcoming[0] - dt.timedelta(days=self.lead_days))


class ReportLook(TenantModel):
    """How the municipality's papers look: its colour (headings, table heads) and logo."""

    colour = models.CharField(
        _("Farbe"),
        max_length=7,
        default="#0b5394",
        validators=[
            RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Bitte eine Farbe wie #0b5394 angeben."))
        ],
    )
    logo = models.FileField(_("Logo"), upload_to="reports/logos/", blank=True)

    class Meta:
        verbose_name = _("Gestaltung der Berichte")
        verbose_name_plural = _("Gestaltung der Berichte")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="one_report_look_per_town")
        ]

    def __str__(self) -> str:
        return f"Gestaltung {self.municipality}"
