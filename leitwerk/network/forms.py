"""Forms of the network pages. Querysets are always scoped to the current municipality."""

from __future__ import annotations

from typing import Any

from django import forms

from leitwerk.core.forms import AccessibleForm, limit_choices
from leitwerk.plans.models import Indicator, Initiative

from .models import BenchmarkDefinition, Network

MULTI = forms.CheckboxSelectMultiple


def _own_networks(municipality: Any) -> Any:
    return Network.objects.filter(members=municipality)


class ShareForm(AccessibleForm):
    networks = forms.ModelMultipleChoiceField(
        label="Teilen mit", queryset=Network.objects.none(), widget=MULTI
    )
    title = forms.CharField(label="Titel", max_length=500)
    objective = forms.CharField(
        label="Zielsetzung", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    approach = forms.CharField(
        label="Vorgehen", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    milestones_summary = forms.CharField(
        label="Erreichte Meilensteine", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    results = forms.CharField(
        label="Ergebnisse und Erfahrungen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    topics = forms.CharField(
        label="Themen", required=False, max_length=500, help_text="durch Kommas getrennt"
    )
    contact_role = forms.CharField(
        label="Ansprechstelle (Funktion, kein Name)",
        required=False,
        max_length=200,
        help_text="z. B. „Leitung Bürgerbüro“",
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "networks", _own_networks(municipality))


class TransferRequestForm(AccessibleForm):
    message = forms.CharField(
        label="Was möchten Sie wissen?", widget=forms.Textarea(attrs={"rows": 4})
    )
    contact_role = forms.CharField(
        label="Ihre Ansprechstelle (Funktion)",
        max_length=200,
        help_text="z. B. „Stabsstelle Strategie“",
    )
    initiative = forms.ModelChoiceField(
        label="Zu unserem Vorhaben", queryset=Initiative.objects.none(), required=False
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "initiative", Initiative.objects.for_municipality(municipality))


class TransferRecordForm(AccessibleForm):
    summary = forms.CharField(
        label="Was haben Sie übernommen?", widget=forms.Textarea(attrs={"rows": 3})
    )
    transferred_on = forms.DateField(
        label="Übernommen am", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    initiative = forms.ModelChoiceField(
        label="In unser Vorhaben", queryset=Initiative.objects.none(), required=False
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "initiative", Initiative.objects.for_municipality(municipality))


class IndicatorShareForm(AccessibleForm):
    definition = forms.ModelChoiceField(
        label="Vergleichskennzahl", queryset=BenchmarkDefinition.objects.all()
    )
    networks = forms.ModelMultipleChoiceField(
        label="Vergleichen in", queryset=Network.objects.none(), widget=MULTI
    )
    indicator = forms.ModelChoiceField(
        label="Entspricht unserem Indikator", queryset=Indicator.objects.none(), required=False
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "networks", _own_networks(municipality))
        limit_choices(self, "indicator", Indicator.objects.for_municipality(municipality))


class BenchmarkValueForm(AccessibleForm):
    definition = forms.ModelChoiceField(
        label="Vergleichskennzahl", queryset=BenchmarkDefinition.objects.all()
    )
    period = forms.CharField(label="Zeitraum", max_length=20, help_text="z. B. 2025")
    value = forms.DecimalField(label="Wert", max_digits=16, decimal_places=4)
    allow_naming = forms.BooleanField(
        label="Andere dürfen unseren Namen beim Wert sehen", required=False
    )


class TransferReplyForm(AccessibleForm):
    text = forms.CharField(label="Ihre Nachricht", widget=forms.Textarea(attrs={"rows": 4}))


class TransferAcceptForm(AccessibleForm):
    contact_name = forms.CharField(label="Ansprechperson (Name)", max_length=200)
    contact_email = forms.EmailField(label="E-Mail der Ansprechperson")
    text = forms.CharField(
        label="Nachricht (freiwillig)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Name und E-Mail sieht die anfragende Kommune erst, wenn Sie annehmen.",
    )


class TransferDeclineForm(AccessibleForm):
    note = forms.CharField(
        label="Warum nicht?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Die anfragende Kommune liest diese Begründung.",
    )


class TransferCloseForm(AccessibleForm):
    note = forms.CharField(
        label="Abschluss (freiwillig)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
