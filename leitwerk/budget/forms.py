"""Forms of the Produkthaushalt's editing pages (German input: decimal commas)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from leitwerk.core.forms import AccessibleForm, EditForm

from .models import KeyFigure, ValueKind


def _decimal(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=18,
        decimal_places=4,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=help_text,
    )


def _year(label: str = "Haushaltsjahr") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text="Vierstellig, z. B. 2026.",
    )


class KeyFigureForm(EditForm):
    class Meta:
        model = KeyFigure
        fields = ["code", "name", "unit", "direction", "order"]
        help_texts = {
            "code": "Die Nummer der Kennzahl im Finanzverfahren; über sie werden Ist-Werte "
            "importiert.",
            "direction": "Ob ein höherer Wert besser ist (steigend) oder ein niedrigerer.",
        }


class KeyFigureValueForm(AccessibleForm):
    """One value of a key figure; an empty value removes the stored one."""

    year = _year()
    kind = forms.ChoiceField(label="Art", choices=ValueKind.choices)
    value = _decimal(
        "Wert",
        required=False,
        help_text="Mit Komma, z. B. 27,5. Leer lassen, um den gespeicherten Wert zu löschen.",
    )


class InitiativeBudgetForm(AccessibleForm):
    """Link a Vorhaben to the product, optionally with its budget of one year."""

    initiative = forms.TypedChoiceField(label="Vorhaben", coerce=int)
    year = forms.IntegerField(
        label="Haushaltsjahr",
        required=False,
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text="Leer lassen, um das Vorhaben nur zu verknüpfen.",
    )
    planned_eur = _decimal("geplant (Euro)", required=False)
    spent_eur = _decimal("ausgegeben (Euro)", required=False)

    def __init__(self, *args: Any, initiatives: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["initiative"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Bitte wählen"), *((i.pk, str(i)) for i in initiatives)]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        has_money = cleaned.get("planned_eur") is not None or cleaned.get("spent_eur") is not None
        if has_money and not cleaned.get("year"):
            self.add_error("year", "Für einen Betrag fehlt das Haushaltsjahr.")
        return cleaned
