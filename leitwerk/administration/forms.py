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
    Role,
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


class SsoForm(AccessibleForm):
    """The municipality's identity provider; the group → role map as "Gruppe = Rolle" lines."""

    name = forms.CharField(
        label="Bezeichnung",
        max_length=120,
        help_text="So heißt die Anmeldung, z. B. „Stadtverwaltung“.",
    )
    issuer = forms.URLField(
        label="Aussteller (Issuer)",
        help_text="Genau wie im Feld „issuer“ der Discovery-Adresse, ohne /.well-known/…",
        assume_scheme="https",
    )
    client_id = forms.CharField(label="Client-ID", max_length=200)
    secret_env = forms.CharField(
        label="Umgebungsvariable mit dem Client-Secret",
        max_length=100,
        help_text="Nur der Name, z. B. LEITWERK_OIDC_SECRET_NEUSTADT. Das Secret selbst setzt der "
        "Betrieb auf dem Server; Leitwerk speichert es nicht.",
    )
    scopes = forms.CharField(
        label="Angefragte Scopes", max_length=300, initial="openid profile email"
    )
    groups_claim = forms.CharField(label="Claim mit den Gruppen", max_length=100, initial="groups")
    group_roles = forms.CharField(
        label="Gruppen → Rollen",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="Eine Zeile je Gruppe: „Gruppe = Rolle“. Rollen: "
        + ", ".join(f"{value} ({label})" for value, label in Role.choices)
        + ". Für die Redaktion mit Einheit: „unit_editor:Name der Einheit“.",
    )
    email_domains = forms.CharField(
        label="Erlaubte E-Mail-Domains",
        max_length=300,
        help_text="Durch Komma getrennt, z. B. „neustadt.de, stadtwerke-neustadt.de“.",
    )
    enabled = forms.BooleanField(label="Anmeldung über die Verwaltung einschalten", required=False)

    def clean_group_roles(self) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["group_roles"].splitlines(), start=1):
            if not line.strip():
                continue
            group, sep, role = line.partition("=")
            if not sep or not group.strip() or not role.strip():
                raise forms.ValidationError(
                    f"Zeile {number}: bitte „Gruppe = Rolle“ schreiben, "
                    "z. B. „leitwerk-lesen = viewer“."
                )
            mapping[group.strip()] = role.strip()
        return mapping

    @staticmethod
    def lines(mapping: dict[str, str]) -> str:
        return "\n".join(f"{group} = {role}" for group, role in mapping.items())
