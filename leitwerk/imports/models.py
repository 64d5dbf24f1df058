from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitwerk.core.models import TenantModel


class ImportRunStatus(models.TextChoices):
    QUEUED = "queued", _("wartet")
    RUNNING = "running", _("läuft")
    DONE = "done", _("fertig")
    FAILED = "failed", _("fehlgeschlagen")


class ImportRun(TenantModel):
    """One import of a file: what came in, what it produced, for audit and idempotency.

    The CLI writes a finished row; the web queues one and the background task fills it in.
    """

    kind = models.CharField(_("Art"), max_length=20)  # "guideline" | "plan"
    source_name = models.CharField(_("Datei"), max_length=300)
    source_hash = models.CharField(_("Prüfsumme"), max_length=64, db_index=True)
    dry_run = models.BooleanField(_("Probelauf"), default=False)
    result = models.JSONField(_("Ergebnis"), default=dict, blank=True)
    # Default "done": rows written by the synchronous CLI path are finished when they appear.
    status = models.CharField(
        _("Stand"), max_length=10, choices=ImportRunStatus.choices, default=ImportRunStatus.DONE
    )
    progress = models.PositiveSmallIntegerField(_("Fortschritt (%)"), default=100)
    progress_step = models.CharField(_("aktueller Schritt"), max_length=200, blank=True)
    error = models.TextField(_("Fehlermeldung"), blank=True)
    # What the background task needs to repeat the preview's run: upload token, corrections.
    options = models.JSONField(_("Optionen"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("durch"),
    )

    class Meta:
        verbose_name = _("Import")
        verbose_name_plural = _("Importe")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.source_name}"
