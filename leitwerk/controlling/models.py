"""Umsetzung & Controlling: reminders and comments on Vorhaben.

Measurements and status reports belong to the Vorhaben domain (`leitwerk/plans/models.py`);
controlling reads them for its dashboards.
"""

from __future__ import annotations

from django.conf import settings
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
