"""Umsetzung & Controlling: measurements and status reports. Progress rules live in progress.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from leitwerk.core.models import TenantModel


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
        _("Quelle"), max_length=20, choices=MeasurementSource.choices, default=MeasurementSource.MANUAL
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


class Health(models.TextChoices):
    ON_TRACK = "on_track", _("im Plan")
    AT_RISK = "at_risk", _("gefährdet")
    OFF_TRACK = "off_track", _("kritisch")
    DONE = "done", _("erledigt")
    STALE = "stale", _("ohne aktuelle Meldung")
    UNKNOWN = "unknown", _("noch keine Daten")


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
