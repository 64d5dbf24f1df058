"""Forms of "Kommune einrichten": units and bodies."""

from __future__ import annotations

from typing import Any

from django import forms

from leitwerk.core.forms import AccessibleForm, EditForm
from leitwerk.municipalities.models import Body, OrganisationalUnit


class UnitForm(EditForm):
    class Meta:
        model = OrganisationalUnit
        fields = ["name", "code", "kind", "parent"]
        help_texts = {
            "parent": "Leer lassen für eine Einheit der obersten Ebene. Eine andere Wahl "
            "verschiebt die Einheit mit allen Untereinheiten.",
        }

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent: Any = self.fields["parent"]
        queryset = OrganisationalUnit.objects.for_municipality(municipality)
        if self.instance.pk:
            queryset = queryset.exclude(pk=self.instance.pk)
        parent.queryset = queryset
        parent.empty_label = "– oberste Ebene –"


class UnitMergeForm(AccessibleForm):
    into = forms.ModelChoiceField(
        label="Zusammenführen mit",
        queryset=OrganisationalUnit.objects.none(),
        help_text="Vorhaben, Personen und Untereinheiten gehen an diese Einheit über.",
    )

    def __init__(self, *args: Any, unit: OrganisationalUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        into: Any = self.fields["into"]
        into.queryset = OrganisationalUnit.objects.for_municipality(unit.municipality).exclude(
            pk=unit.pk
        )


class BodyForm(EditForm):
    class Meta:
        model = Body
        fields = ["name", "kind", "oparl_url"]
