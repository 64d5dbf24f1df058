"""Netzwerk: networks span municipalities, so these rows are not tenant rows.

What a municipality shares is opt-in and lives on its own tenant rows (the network issue
adds sharing flags); a network only records who belongs to it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from leitwerk.core.models import TimeStampedModel


class Network(TimeStampedModel):
    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    public = models.BooleanField(_("öffentlich"), default=False)
    members = models.ManyToManyField(
        "municipalities.Municipality", blank=True, related_name="networks",
        verbose_name=_("Mitglieder"),
    )

    class Meta:
        verbose_name = _("Netzwerk")
        verbose_name_plural = _("Netzwerke")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RegistryMunicipality(models.Model):
    """An entry of the German municipality directory (Gemeindeverzeichnis), for gazetteer look-ups."""

    ags = models.CharField(_("AGS"), max_length=8, unique=True)
    name = models.CharField(_("Name"), max_length=200, db_index=True)
    state = models.CharField(_("Land"), max_length=60, blank=True)
    population = models.PositiveIntegerField(_("Einwohnerzahl"), null=True, blank=True)

    class Meta:
        verbose_name = _("Gemeindeverzeichnis-Eintrag")
        verbose_name_plural = _("Gemeindeverzeichnis")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.ags})"
