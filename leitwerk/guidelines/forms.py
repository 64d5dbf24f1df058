"""Forms to edit guideline documents, sections and statements (base: core.forms.EditForm)."""

from __future__ import annotations

from typing import Any

from django import forms

from leitwerk.core.forms import EditForm

from .models import GuidelineDocument, GuidelineSection, Statement


class GuidelineDocumentForm(EditForm):
    public_text_fields = ("preamble", "closing")

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
    public_text_fields = ("intro",)

    class Meta:
        model = GuidelineSection
        fields = ["number", "title", "intro", "order"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}


class StatementForm(EditForm):
    public_text_fields = ("text",)

    class Meta:
        model = Statement
        fields = ["kind", "text", "order", "needs_review", "review_note"]
        help_texts = {
            "kind": "Wir-Aussagen beschreiben die Haltung der Verwaltung, Ich-Aussagen die "
            "Zusage jeder einzelnen Person.",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


def statements_for_picker(municipality: Any) -> Any:
    """A municipality's statements by document, section and their own order (for `Picker`)."""
    return (
        Statement.objects.for_municipality(municipality)
        .select_related("section__document")
        .order_by(
            "section__document__title",
            "section__document_id",
            "section__order",
            "section_id",
            "order",
            "id",
        )
    )


def statement_group(statement: Statement) -> str:
    """ "Leitbild 2030 – 2 Bürgernähe": the same sentence in two documents stays apart."""
    section = str(statement.section)
    document = statement.section.document.title
    return f"{document} – {section}" if section else document


def statement_label(statement: Statement) -> str:
    return statement.text
