"""Umsetzung & Controlling: reminders and comments on Vorhaben.

Measurements and status reports belong to the Vorhaben domain (`leitwerk/plans/models.py`);
controlling reads them for its dashboards.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitwerk.core.models import TenantModel


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


class ReminderSettings(TenantModel):
    """How early a municipality's people are reminded of a reporting date (one row per
    municipality, written when the admin saves "Erinnerungen"; until then the default)."""

    lead_working_days = models.PositiveSmallIntegerField(
        _("Vorlauf (Arbeitstage)"),
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
        help_text=_(
            "So viele Arbeitstage vor dem Meldetermin geht die Erinnerung per E-Mail hinaus "
            "(0 bis 20; 0 = am Meldetermin selbst)."
        ),
    )

    class Meta:
        verbose_name = _("Einstellungen der Erinnerungen")
        verbose_name_plural = _("Einstellungen der Erinnerungen")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="one_reminder_settings")
        ]

    def __str__(self) -> str:
        return f"{self.lead_working_days} Arbeitstage Vorlauf"
