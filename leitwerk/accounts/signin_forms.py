"""Forms of the sign-in steps: code entry, password confirmation, German password reset."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """Six digits from the app, or one backup code (8 letters and digits)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        strip=True,
        error_messages={"required": _("Bitte geben Sie den Code ein.")},
    )


class PasswordConfirmForm(forms.Form):
    """„Bitte bestätigen Sie Ihr Passwort“ before essential changes (B8); counted by axes."""

    password = forms.CharField(
        label=_("Ihr Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Bitte geben Sie Ihr Passwort ein.")},
    )

    def __init__(self, *args: Any, request: Any, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = authenticate(self.request, username=self.request.user.email, password=password)
        if user is None or user.pk != self.request.user.pk:
            raise forms.ValidationError(_("Das Passwort stimmt nicht."))
        return password


class GermanPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse ein."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@stadt.de."),
        },
    )
