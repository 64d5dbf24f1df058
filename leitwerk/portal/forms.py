"""Workspace forms of the portal app."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms

from leitwerk.core.forms import EditForm
from leitwerk.plans.models import Initiative

from .models import OpenDataSettings, ParticipationOpportunity

# A browser's own date-and-time field; without it (or without JavaScript) people type
# "2026-05-04 18:00", which Django reads as well.
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OpenDataSettingsForm(EditForm):
    class Meta:
        model = OpenDataSettings
        fields = ["licence", "attribution", "contact_email"]


class ParticipationOpportunityForm(EditForm):
    public_text_fields = ("description", "how_to_take_part")

    class Meta:
        model = ParticipationOpportunity
        fields = [
            "title",
            "description",
            "audience",
            "starts_at",
            "ends_at",
            "location",
            "how_to_take_part",
            "url",
            "initiative",
            "public",
        ]
        help_texts = {
            "starts_at": "Tag und Uhrzeit, an dem es losgeht.",
            "ends_at": "Leer lassen, wenn es kein festes Ende gibt.",
            "initiative": "Nur ein öffentliches Vorhaben wird im Portal genannt.",
            "public": "Öffentliche Angebote erscheinen im Bürgerportal unter „Mitmachen“ und "
            "im Terminkalender, bis sie vorbei sind.",
        }
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 4}),
            "how_to_take_part": forms.Textarea(attrs={"rows": 3}),
        }
        # An address typed without a scheme is a web address of today: https.
        field_classes = {"url": partial(forms.URLField, assume_scheme="https")}

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the municipality's own Vorhaben to choose from (the tenant guard needs the pin).
        field: Any = self.fields["initiative"]
        field.queryset = Initiative.objects.for_municipality(municipality).by_plan()
        field.label_from_instance = lambda row: f"{row.title} ({row.action_field.plan.title})"
        for name in ("starts_at", "ends_at"):
            moment: Any = self.fields[name]
            moment.input_formats = [
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M",
                "%d.%m.%Y %H:%M",
                "%d.%m.%Y",
                "%Y-%m-%d",
            ]
