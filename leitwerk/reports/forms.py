from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from leitwerk.core.forms import AccessibleForm, limit_choices
from leitwerk.plans.models import ActionPlan

from .models import ReportFormat


class ReportCreateForm(AccessibleForm):
    plan = forms.ModelChoiceField(label="Aktionsplan", queryset=ActionPlan.objects.none())
    fmt = forms.ChoiceField(
        label="Format",
        choices=[
            (ReportFormat.PDF, "PDF – zum Lesen und Drucken (barrierearm)"),
            (ReportFormat.DOCX, "DOCX – zum Bearbeiten im Ratsinformationssystem"),
            (ReportFormat.XLSX, "XLSX – die Daten als Tabelle"),
        ],
        initial=ReportFormat.PDF,
        widget=forms.RadioSelect,
    )
    as_of = forms.DateField(
        label="Stichtag",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Werte und Meldungen nach diesem Tag zählen nicht mit.",
    )
    decisions_requested = forms.CharField(
        label="Beschlussvorschlag",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leer lassen, wenn der Bericht nur zur Kenntnis dient.",
    )
    climate_relevance = forms.CharField(
        label="Klima- und Nachhaltigkeitsrelevanz",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "plan",
            ActionPlan.objects.for_municipality(municipality).order_by("-period_start", "title"),
        )
        self.fields["as_of"].initial = timezone.localdate()

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError("Der Stichtag darf nicht in der Zukunft liegen.")
        return as_of
