"""Forms of the obstacle pages; Vorhaben choices are scoped to the current municipality."""

from __future__ import annotations

from typing import Any

from django import forms

from leitwerk.core.forms import AccessibleForm, use_picker
from leitwerk.plans.forms import initiative_group
from leitwerk.plans.models import Initiative

RATING_CHOICES = [
    (1, "1 – gering"),
    (2, "2"),
    (3, "3 – mittel"),
    (4, "4"),
    (5, "5 – sehr hoch"),
]


class ObstacleForm(AccessibleForm):
    title = forms.CharField(label="Titel des Hemmnisses", max_length=300)
    description = forms.CharField(
        label="Beschreibung", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    category = forms.CharField(
        label="Kategorie (freiwillig)",
        max_length=100,
        required=False,
        help_text="z. B. Organisation, Technik, Recht, Personal",
    )
    impact = forms.TypedChoiceField(
        label="Auswirkung", choices=RATING_CHOICES, coerce=int, initial=3, widget=forms.RadioSelect
    )
    frequency = forms.TypedChoiceField(
        label="Häufigkeit", choices=RATING_CHOICES, coerce=int, initial=3, widget=forms.RadioSelect
    )
    initiatives = forms.ModelMultipleChoiceField(
        label="Führte zu Vorhaben (freiwillig)",
        queryset=Initiative.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, initiatives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_picker(self, "initiatives", initiatives.by_plan(), group_by=initiative_group)


class RatingForm(AccessibleForm):
    impact = forms.TypedChoiceField(
        label="Auswirkung", choices=RATING_CHOICES, coerce=int, initial=3, widget=forms.RadioSelect
    )
    frequency = forms.TypedChoiceField(
        label="Häufigkeit", choices=RATING_CHOICES, coerce=int, initial=3, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="Anmerkung (freiwillig)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SolutionForm(AccessibleForm):
    title = forms.CharField(label="Titel des Lösungskonzepts", max_length=300)
    description = forms.CharField(
        label="Beschreibung", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    initiatives = forms.ModelMultipleChoiceField(
        label="Umgesetzt in Vorhaben (freiwillig)",
        queryset=Initiative.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, initiatives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_picker(self, "initiatives", initiatives.by_plan(), group_by=initiative_group)
