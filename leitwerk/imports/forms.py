from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from leitwerk.core.forms import AccessibleForm


class UploadForm(AccessibleForm):
    KIND_CHOICES = [
        ("plan", "Aktionsplan (Tabelle: XLSX, ODS, CSV, TSV, DOCX, HTML)"),
        (
            "guideline",
            "Leitbild, Leitlinien oder Grundsätze (PDF, DOCX, ODT, HTML, Text, Markdown)",
        ),
    ]
    kind = forms.ChoiceField(
        label="Was möchten Sie importieren?", choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    file = forms.FileField(label="Datei", help_text="Höchstens 25 MB.")
    mapping = forms.FileField(
        label="Zuordnungsdatei (optional, nur für Aktionspläne)",
        required=False,
        help_text=(
            "Eine TOML-Datei, die Spaltenköpfe Ihrer Tabelle den Feldern zuordnet, z. B. "
            '[columns] und darunter "Was wir erreichen wollen" = "objective".'
        ),
    )

    MAPPING_MAX_BYTES = 256 * 1024

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.LEITWERK_IMPORT_MAX_BYTES:
            limit = settings.LEITWERK_IMPORT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"Die Datei ist größer als {limit} MB.")
        return uploaded

    def clean_mapping(self):
        mapping = self.cleaned_data.get("mapping")
        if not mapping:
            return None
        if not mapping.name.lower().endswith(".toml"):
            raise forms.ValidationError("Die Zuordnungsdatei muss eine TOML-Datei (.toml) sein.")
        if mapping.size > self.MAPPING_MAX_BYTES:
            raise forms.ValidationError("Die Zuordnungsdatei ist größer als 256 KB.")
        return mapping

    def clean(self) -> dict[str, Any] | None:
        # Django's Form.clean returns cleaned_data; the stubs allow None.
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("mapping") and cleaned.get("kind") == "guideline":
            self.add_error(
                "mapping",
                "Eine Zuordnungsdatei gibt es nur für Aktionspläne, nicht für Leitbilder.",
            )
        return cleaned


class ObstacleUploadForm(AccessibleForm):
    file = forms.FileField(
        label="Liste der Hemmnisse (CSV oder Excel)",
        help_text="Erste Zeile: Titel, Beschreibung, Einheit – nach Wunsch auch Kategorie, "
        "Auswirkung und Häufigkeit (1 bis 5). Eine Zeile je Hemmnis. Höchstens 25 MB.",
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.LEITWERK_IMPORT_MAX_BYTES:
            limit = settings.LEITWERK_IMPORT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"Die Datei ist größer als {limit} MB.")
        if not uploaded.name.lower().endswith((".csv", ".tsv", ".txt", ".xlsx")):
            raise forms.ValidationError("Bitte eine CSV- oder Excel-Datei (.xlsx) hochladen.")
        return uploaded
