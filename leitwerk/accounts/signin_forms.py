"""allauth's sign-in form with a plain address field, and the German password reset form."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    """The address is not checked for e-mail syntax: every attempt goes through authenticate(),
    so a malformed one is answered, logged and counted like any wrong sign-in (B3, G3)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"] = forms.CharField(
            label=_("E-Mail-Adresse"),
            max_length=254,
            widget=forms.EmailInput(attrs={"autocomplete": "username"}),
        )
        self.fields.move_to_end("login", last=False)


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
