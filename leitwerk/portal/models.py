"""Rows only the portal needs: participation opportunities citizens can take part in, and how
the municipality licenses its open data."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitwerk.core.models import TenantModel

from .licences import LicenceChoice


class ParticipationOpportunity(TenantModel):
    """A chance to take part (workshop, walk, consultation): what, when, where and how."""

    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Worum es geht"), blank=True)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    location = models.CharField(_("Ort"), max_length=300, blank=True)
    how_to_take_part = models.TextField(_("So machen Sie mit"), blank=True)
    audience = models.CharField(
        _("Für wen"),
        max_length=300,
        blank=True,
        help_text=_("Zum Beispiel: alle Einwohnerinnen und Einwohner, Jugendliche, Anlieger."),
    )
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


class OpenDataSettings(TenantModel):
    """The licence and contact on every dataset, feed and the DCAT-AP.de catalogue.

    One row per municipality, written when someone saves the settings page; until then the
    defaults apply (`portal.selectors.open_data_settings`)."""

    licence = models.CharField(
        _("Lizenz"), max_length=40, choices=LicenceChoice.choices, default=LicenceChoice.DL_BY
    )
    attribution = models.CharField(
        _("Namensnennung"),
        max_length=300,
        blank=True,
        help_text=_("So sollen Nutzende die Quelle nennen, z. B. „Stadt Musterstadt“."),
    )
    contact_email = models.EmailField(
        _("Kontakt für Fragen zu den Daten"), blank=True, help_text=_("Eine Funktionsadresse.")
    )

    class Meta:
        verbose_name = _("Einstellungen für offene Daten")
        verbose_name_plural = _("Einstellungen für offene Daten")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="one_open_data_settings")
        ]
