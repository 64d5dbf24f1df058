"""Workspace forms of the portal app."""

from __future__ import annotations

from leitwerk.core.forms import EditForm

from .models import OpenDataSettings


class OpenDataSettingsForm(EditForm):
    class Meta:
        model = OpenDataSettings
        fields = ["licence", "attribution", "contact_email"]
