"""Forms of "Kommune einrichten": units and bodies."""

from __future__ import annotations

from typing import Any

from django import forms

from leitwerk.core.forms import AccessibleForm, EditForm
from leitwerk.municipalities.models import (
    Body,
    Municipality,
    MunicipalityKind,
    OrganisationalUnit,
)


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


class OnboardForm(AccessibleForm):
    name = forms.CharField(label="Name", max_length=200)
    slug = forms.SlugField(
        label="Kurzname",
        max_length=80,
        help_text="Kleinbuchstaben, Ziffern und Bindestriche; die Adresse des Portals: /kurzname/.",
    )
    ags = forms.CharField(label="Amtlicher Gemeindeschlüssel (AGS)", max_length=8, required=False)
    kind = forms.ChoiceField(label="Art", choices=MunicipalityKind.choices)
    parent = forms.ModelChoiceField(
        label="Amt",
        queryset=Municipality.objects.filter(kind=MunicipalityKind.AMT),
        required=False,
        empty_label="– gehört zu keinem Amt –",
        help_text="Nur für Städte und Gemeinden, die ein Amt verwaltet.",
    )
    population = forms.IntegerField(label="Einwohnerzahl", min_value=0, required=False)
    state = forms.CharField(label="Land", max_length=60, required=False)
    admin_email = forms.EmailField(
        label="E-Mail-Adresse der ersten Administration",
        help_text="Diese Person bekommt eine Einladung und richtet die Kommune dann selbst ein.",
    )
