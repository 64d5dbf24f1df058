"""Forms of the portal app: workspace settings, and the public forms (guarded against spam)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms

from leitwerk.core.forms import AccessibleForm, EditForm
from leitwerk.plans.models import Initiative

from .models import CommentStatus, OpenDataSettings, ParticipationOpportunity, PortalSettings
from .spam import GuardedForm

# A browser's own date-and-time field; without it (or without JavaScript) people type
# "2026-05-04 18:00", which Django reads as well.
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OpenDataSettingsForm(EditForm):
    class Meta:
        model = OpenDataSettings
        fields = ["licence", "attribution", "contact_email"]


class PortalSettingsForm(EditForm):
    sign_language_video_url = forms.URLField(
        label=PortalSettings._meta.get_field("sign_language_video_url").verbose_name,
        help_text=PortalSettings._meta.get_field("sign_language_video_url").help_text,
        required=False,
        assume_scheme="https",
        # A text box styled like the others (the stylesheet has no rule for type=url).
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )

    class Meta:
        model = PortalSettings
        fields = [
            "easy_language_text",
            "sign_language_video_url",
            "known_limitations",
            "comments_enabled",
        ]
        widgets = {
            "easy_language_text": forms.Textarea(attrs={"rows": 16}),
            "known_limitations": forms.Textarea(attrs={"rows": 5}),
        }


class BarrierReportForm(GuardedForm):
    page = forms.CharField(
        label="Auf welcher Seite ist die Barriere?",
        help_text="Die Adresse der Seite oder ihr Titel.",
        max_length=300,
    )
    text = forms.CharField(
        label="Was ist die Barriere?",
        help_text="Beschreiben Sie kurz, was nicht geht. Zum Beispiel: "
        "„Der Knopf ist mit der Tastatur nicht erreichbar.“",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    contact = forms.CharField(
        label="Wie erreichen wir Sie für eine Antwort? (freiwillig)",
        help_text="E-Mail-Adresse oder Telefonnummer.",
        max_length=300,
        required=False,
    )


class FollowForm(GuardedForm):
    email = forms.EmailField(
        label="Ihre E-Mail-Adresse",
        help_text="Wir schicken Ihnen zuerst eine E-Mail mit einem Link zum Bestätigen. "
        "Wir speichern nur die Adresse und was Sie verfolgen.",
        max_length=254,
    )


class CommentForm(GuardedForm):
    author_name = forms.CharField(
        label="Ihr Name (freiwillig)",
        help_text="Erscheint über Ihrem Kommentar. Ohne Namen steht dort „Anonym“.",
        max_length=100,
        required=False,
    )
    text = forms.CharField(
        label="Ihr Kommentar",
        help_text="Wir lesen jeden Kommentar, bevor er erscheint.",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ModerationForm(AccessibleForm):
    decision = forms.ChoiceField(
        label="Entscheidung",
        choices=[
            (CommentStatus.PUBLISHED, "Veröffentlichen"),
            (CommentStatus.REJECTED, "Nicht veröffentlichen"),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label="Antwort der Verwaltung (freiwillig)",
        help_text="Erscheint unter dem Kommentar, wenn er veröffentlicht ist.",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


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
