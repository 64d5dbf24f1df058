"""Forms of the portal app: workspace settings, and the public forms (guarded against spam)."""

from __future__ import annotations

from django import forms

from leitwerk.core.forms import AccessibleForm, EditForm

from .models import CommentStatus, OpenDataSettings, PortalSettings
from .spam import GuardedForm


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
