"""Rows only the portal needs: participation opportunities citizens can take part in."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitwerk.core.models import TenantModel


class ParticipationOpportunity(TenantModel):
    """A chance to take part (workshop, walk, consultation): what, when, where and how."""

    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Worum es geht"), blank=True)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    location = models.CharField(_("Ort"), max_length=300, blank=True)
    how_to_take_part = models.TextField(_("So machen Sie mit"), blank=True)
    url = models.URLField(_("Weitere Informationen (Adresse)"), blank=True)
    public = models.BooleanField(_("öffentlich"), default=False)
    initiative = models.ForeignKey(
        "plans.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participation_opportunities",
        verbose_name=_("Vorhaben"),
    )

    class Meta:
        verbose_name = _("Beteiligungsangebot")
        verbose_name_plural = _("Beteiligungsangebote")
        ordering = ["starts_at", "title"]
        indexes = [models.Index(fields=["municipality", "public", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("Das Ende liegt vor dem Beginn.")})
