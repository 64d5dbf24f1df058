from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from leitwerk.core.models import TenantModel


class GuidelineKind(models.TextChoices):
    LEITBILD = "leitbild", _("Leitbild")
    LEITLINIEN = "leitlinien", _("Leitlinien")
    GRUNDSAETZE = "grundsaetze", _("Grundsätze")
    OTHER = "other", _("Sonstiges")


class GuidelineStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    ADOPTED = "adopted", _("beschlossen")
    ARCHIVED = "archived", _("archiviert")


class GuidelineDocument(TenantModel):
    """A Leitbild, Leitlinien or Grundsätze document in one version."""

    title = models.CharField(_("Titel"), max_length=300)
    kind = models.CharField(
        _("Art"), max_length=20, choices=GuidelineKind.choices, default=GuidelineKind.LEITBILD
    )
    preamble = models.TextField(_("Präambel"), blank=True)
    closing = models.TextField(_("Schlusstext"), blank=True)
    unrecognised = models.JSONField(_("nicht zugeordnete Textteile"), default=list, blank=True)
    version_label = models.CharField(_("Fassung"), max_length=50, blank=True)
    valid_from = models.DateField(_("gültig ab"), null=True, blank=True)
    valid_to = models.DateField(_("gültig bis"), null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=GuidelineStatus.choices, default=GuidelineStatus.DRAFT
    )
    source_name = models.CharField(_("Quelldatei"), max_length=300, blank=True)
    source_hash = models.CharField(_("Prüfsumme der Quelle"), max_length=64, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Leitbild-Dokument")
        verbose_name_plural = _("Leitbild-Dokumente")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def version_text(self) -> str:
        """ "Fassung 2025" for the label "2025" and for the label "Fassung 2025" alike."""
        label = self.version_label.strip()
        if not label or label.casefold().startswith("fassung"):
            return label
        return f"Fassung {label}"


class GuidelineSection(TenantModel):
    """A numbered area, dimension or Grundsatz of a guideline document."""

    document = models.ForeignKey(
        GuidelineDocument,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("Dokument"),
    )
    number = models.CharField(_("Nummer"), max_length=20, blank=True)
    title = models.CharField(_("Titel"), max_length=300, blank=True)
    intro = models.TextField(_("Einleitung"), blank=True)
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Abschnitt")
        verbose_name_plural = _("Abschnitte")
        ordering = ["document", "order", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class StatementKind(models.TextChoices):
    WIR = "wir", _("Wir-Aussage")
    ICH = "ich", _("Ich-Aussage")
    GRUNDSATZ = "grundsatz", _("Grundsatz")
    ANLIEGEN = "anliegen", _("Anliegen")
    OTHER = "other", _("Sonstige Aussage")


class Statement(TenantModel):
    """One commitment of a guideline: a Wir sentence, an Ich commitment, a Grundsatz …"""

    section = models.ForeignKey(
        GuidelineSection,
        on_delete=models.CASCADE,
        related_name="statements",
        verbose_name=_("Abschnitt"),
    )
    kind = models.CharField(_("Art"), max_length=20, choices=StatementKind.choices)
    text = models.TextField(_("Text"))
    # A point indented under another one in the document (a nested list) stays under it.
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("Unterpunkt von"),
    )
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    needs_review = models.BooleanField(_("prüfen"), default=False)
    review_note = models.CharField(_("Prüfhinweis"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Aussage")
        verbose_name_plural = _("Aussagen")
        ordering = ["section", "order", "id"]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"
