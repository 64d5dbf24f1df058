"""Forms of "Personen & Rollen" and of accepting an invitation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html

from leitwerk.core.forms import AccessibleForm
from leitwerk.municipalities.models import Body, BodyRole, Municipality, OrganisationalUnit, Role


class RolesForm(AccessibleForm):
    roles = forms.MultipleChoiceField(
        label="Rollen",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Eine Person kann mehrere Rollen haben.",
    )
    unit = forms.ModelChoiceField(
        label="Organisationseinheit",
        queryset=OrganisationalUnit.objects.none(),
        required=False,
        empty_label="– keine –",
        help_text="Pflicht für die Rolle „Redaktion Organisationseinheit“.",
    )
    body = forms.ModelChoiceField(
        label="Gremium",
        queryset=Body.objects.none(),
        required=False,
        empty_label="– keines –",
        help_text="Zum Beispiel der Rat für Ratsmitglieder.",
    )
    body_role = forms.ChoiceField(
        label="Im Gremium",
        choices=BodyRole.choices,
        initial=BodyRole.VOTING,
        widget=forms.RadioSelect,
        required=False,
        help_text="Nur wenn ein Gremium gewählt ist.",
    )

    def clean_body_role(self) -> str:
        return self.cleaned_data.get("body_role") or BodyRole.VOTING

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: Any = self.fields["unit"]
        body_field: Any = self.fields["body"]
        unit_field.queryset = OrganisationalUnit.objects.for_municipality(municipality)
        body_field.queryset = Body.objects.for_municipality(municipality)


class InviteForm(RolesForm):
    email = forms.EmailField(label="E-Mail-Adresse")
    first_name = forms.CharField(label="Vorname", max_length=150, required=False)
    last_name = forms.CharField(label="Nachname", max_length=150, required=False)
    field_order = ["email", "first_name", "last_name", "roles", "unit", "body", "body_role"]


class SetPasswordForm(AccessibleForm):
    password1 = forms.CharField(
        label="Neues Passwort",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Passwort wiederholen",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password2(self) -> str:
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data.get("password2", "")
        if first and first != second:
            raise forms.ValidationError("Die beiden Passwörter stimmen nicht überein.")
        return second
