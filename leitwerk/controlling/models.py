"""Umsetzung & Controlling: measurements and status reports. Progress rules live in progress.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from leitwerk.core.models import TenantModel
from leitwerk.core.status import Health


class MeasurementSource(models.TextChoices):
    MANUAL = "manual", _("manuell erfasst")
    IMPORT = "import", _("importiert")
    SURVEY = "survey", _("aus Umfrage")
    API = "api", _("über Schnittstelle")


class Measurement(TenantModel):
    indicator = models.ForeignKey(
        "plans.Indicator",
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("Indikator"),
    )
    measured_on = models.DateField(_("Stichtag"))
    period_label = models.CharField(_("Zeitraum"), max_length=50, blank=True)
    value = models.DecimalField(_("Wert"), max_digits=16, decimal_places=4)
    note = models.TextField(_("Anmerkung"), blank=True)
    source = models.CharField(
        _("Quelle"),
        max_length=20,
        choices=MeasurementSource.choices,
        default=MeasurementSource.MANUAL,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erfasst von"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Messwert")
        verbose_name_plural = _("Messwerte")
        ordering = ["indicator", "measured_on", "id"]
        indexes = [models.Index(fields=["indicator", "measured_on"])]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.measured_on})"


class StatusReport(TenantModel):
    initiative = models.ForeignKey(
        "plans.Initiative",
        on_delete=models.CASCADE,
        related_name="status_reports",
        verbose_name=_("Vorhaben"),
    )
    period_label = models.CharField(_("Berichtszeitraum"), max_length=50)
    reported_on = models.DateField(_("gemeldet am"))
    health = models.CharField(_("Einschätzung"), max_length=20, choices=Health.choices)
    text = models.TextField(_("Sachstand"))
    off_track_note = models.TextField(_("Warum und was nun?"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeldet von"),
    )

    class Meta:
        verbose_name = _("Sachstandsmeldung")
        verbose_name_plural = _("Sachstandsmeldungen")
        ordering = ["initiative", "-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.initiative} – {self.period_label}"


class ReminderKind(models.TextChoices):
    STATUS_REPORT = "status_report", _("Sachstandsmeldung fällig")


class ReminderLog(TenantModel):
    """One reminder to one person about one reporting date: written once, never sent twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Empfänger/in"),
    )
    initiative = models.ForeignKey(
        "plans.Initiative",
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("Vorhaben"),
    )
    kind = models.CharField(
        _("Art"), max_length=30, choices=ReminderKind.choices, default=ReminderKind.STATUS_REPORT
    )
    due_on = models.DateField(_("fällig am"))
    remind_on = models.DateField(_("erinnern am"))
    sent_at = models.DateTimeField(_("verschickt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Erinnerung")
        verbose_name_plural = _("Erinnerungen")
        ordering = ["-due_on", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "initiative", "kind", "due_on"], name="unique_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} – {self.initiative} ({self.due_on})"


class Comment(TenantModel):
    """A comment on a Vorhaben, optionally asking named people for feedback on interim results."""

    initiative = models.ForeignKey(
        "plans.Initiative",
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("Vorhaben"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verfasst von"),
    )
    text = models.TextField(_("Kommentar"))
    feedback_from = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="feedback_requests",
        verbose_name=_("Rückmeldung erbeten von"),
    )

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["initiative", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]
