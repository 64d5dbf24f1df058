"""Forms to edit guideline documents, sections and statements (base: core.forms.EditForm)."""

from __future__ import annotations

from django import forms

from leitwerk.core.forms import EditForm

from .models import GuidelineDocument, GuidelineSection, Statement


class GuidelineDocumentForm(EditForm):
    class Meta:
        model = GuidelineDocument
        fields = [
            "title",
            "kind",
            "status",
            "version_label",
            "valid_from",
            "valid_to",
            "preamble",
            "closing",
        ]
        help_texts = {"version_label": "z. B. „Fassung 2026“"}


class GuidelineSectionForm(EditForm):
    class Meta:
        model = GuidelineSection
        fields = ["number", "title", "intro", "order"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}


class StatementForm(EditForm):
    class Meta:
        model = Statement
        fields = ["kind", "text", "order", "needs_review", "review_note"]
        help_texts = {
            "kind": "Wir-Aussagen beschreiben die Haltung der Verwaltung, Ich-Aussagen die "
            "Zusage jeder einzelnen Person.",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
