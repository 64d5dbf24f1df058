from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitwerk.core.models import TenantModel


class ImportRun(TenantModel):
    """One import of a file: what came in, what it produced, for audit and idempotency."""

    kind = models.CharField(_("Art"), max_length=20)  # "guideline" | "plan"
    source_name = models.CharField(_("Datei"), max_length=300)
    source_hash = models.CharField(_("Prüfsumme"), max_length=64, db_index=True)
    dry_run = models.BooleanField(_("Probelauf"), default=False)
    result = models.JSONField(_("Ergebnis"), default=dict, blank=True)
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
