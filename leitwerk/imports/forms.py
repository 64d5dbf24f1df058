from __future__ import annotations

from django import forms
from django.conf import settings


class UploadForm(forms.Form):
    KIND_CHOICES = [
        ("plan", "Aktionsplan (Tabelle: XLSX, ODS, CSV, TSV, DOCX, HTML)"),
        ("guideline", "Leitbild, Leitlinien oder Grundsätze (Text, Markdown, DOCX, HTML, PDF)"),
    ]
    kind = forms.ChoiceField(
        label="Was möchten Sie importieren?", choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    file = forms.FileField(label="Datei", help_text="Höchstens 25 MB.")

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.LEITWERK_IMPORT_MAX_BYTES:
            limit = settings.LEITWERK_IMPORT_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"Die Datei ist größer als {limit} MB.")
        return uploaded
