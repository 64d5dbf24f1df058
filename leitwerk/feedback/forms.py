"""Forms of the feedback stage. The public answer form is built from the questions."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.core import signing
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

from leitwerk.guidelines.models import GuidelineDocument
from leitwerk.municipalities.models import OrganisationalUnit
from leitwerk.plans.models import ActionField, Indicator, IndicatorKind

from .models import (
    MIN_GROUP_SIZE,
    RETENTION_MAX_DAYS,
    RETENTION_MIN_DAYS,
    IndicatorMeasure,
    Location,
    Question,
    QuestionKind,
    Service,
    SuggestionCategory,
    Survey,
    SurveyKind,
)

FORM_TOKEN_SALT = "leitwerk.feedback.form"  # noqa: S105 - a signing salt, not a secret
FORM_TOKEN_MAX_AGE = 3 * 60 * 60


def form_token(survey_id: int) -> str:
    """A signed, timestamped token with a random nonce: proves the form came from us.

    The nonce makes it one-time for answer sheets (audit M3: one token was posted 120 times
    in ten seconds): the public view remembers used nonces in the cache until the token
    would expire anyway (`public_views.token_consume`).
    """
    nonce = secrets.token_urlsafe(12)
    return signing.TimestampSigner(salt=FORM_TOKEN_SALT).sign(f"{survey_id}:{nonce}")


def form_token_nonce(token: str, survey_id: int) -> str | None:
    """The token's nonce when it is ours, for this form and not older than 3 hours."""
    try:
        value = signing.TimestampSigner(salt=FORM_TOKEN_SALT).unsign(
            token, max_age=FORM_TOKEN_MAX_AGE
        )
    except signing.BadSignature:
        return None
    target, _sep, nonce = value.partition(":")
    if target != str(survey_id) or not nonce:
        return None
    return nonce


def form_token_valid(token: str, survey_id: int) -> bool:
    return form_token_nonce(token, survey_id) is not None


def _qs(form: forms.Form, name: str) -> forms.ModelChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


REQUIRED_MESSAGE = _("Das ist eine Pflichtfrage: Bitte wählen oder schreiben Sie eine Antwort.")


def _field_for(question: Question) -> forms.Field:
    label = question.text
    required = question.required
    if question.kind == QuestionKind.TEXT:
        return forms.CharField(
            label=label,
            required=required,
            error_messages={"required": REQUIRED_MESSAGE},
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("Bitte keine Namen oder andere persönliche Angaben eintragen."),
        )
    choices = [(str(v), question.value_label(v)) for v in question.value_keys()]
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            label=label,
            required=required,
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": REQUIRED_MESSAGE},
        )
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": REQUIRED_MESSAGE},
    )


class SurveyAnswerForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    # A field people never see: bots fill it in, people don't.
    website = forms.CharField(
        required=False,
        label=_("Bitte leer lassen"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(
        self,
        *args: Any,
        survey: Survey,
        questions: list[Question] | None = None,
        with_code: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = list(survey.questions.all()) if questions is None else questions
        if survey.requires_code if with_code is None else with_code:
            self.fields["code"] = forms.CharField(
                label=_("Ihr Einmal-Code"),
                max_length=20,
                help_text=_("Er steht auf dem Zettel, den Sie erhalten haben, z. B. ABCDE-FGH23."),
                widget=forms.TextInput(
                    attrs={"autocomplete": "off", "autocapitalize": "characters"}
                ),
            )
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = _field_for(question)

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        if not form_token_valid(token, self.survey.pk):
            raise forms.ValidationError(
                _("Das Formular ist abgelaufen. Bitte laden Sie die Seite neu.")
            )
        return token

    def answers(self) -> dict[int, Any]:
        result: dict[int, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q_{question.pk}")
            if value not in (None, "", []):
                result[question.pk] = value
        return result

    def question_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("q_")]


class StartForm(forms.Form):
    """What every page of a multi-page pulse posts besides its answers."""

    token = forms.CharField(widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("Ihr Einmal-Code"),
        max_length=20,
        help_text=_("Er steht auf dem Zettel, den Sie erhalten haben, z. B. ABCDE-FGH23."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": _("Bitte geben Sie Ihren Einmal-Code ein.")},
    )
    seite = forms.IntegerField(required=False, min_value=0, max_value=500)
    aktion = forms.ChoiceField(
        required=False,
        choices=[("weiter", "weiter"), ("zurueck", "zurück"), ("abschicken", "abschicken")],
    )
    website = forms.CharField(
        required=False,
        label=_("Bitte leer lassen"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class SuggestionForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Worum geht es?"), choices=SuggestionCategory.choices, widget=forms.RadioSelect
    )
    service = forms.ModelChoiceField(
        label=_("Zu welcher Leistung? (freiwillig)"),
        queryset=Service.objects.none(),
        required=False,
    )
    location = forms.ModelChoiceField(
        label=_("An welchem Standort? (freiwillig)"),
        queryset=Location.objects.none(),
        required=False,
    )
    text = forms.CharField(
        label=_("Ihr Anliegen"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    contact = forms.CharField(
        label=_("Wie erreichen wir Sie für eine Antwort? (freiwillig)"),
        help_text=_(
            "E-Mail-Adresse oder Telefonnummer. Ohne Angabe können wir Ihnen nicht "
            "persönlich antworten; Ihr Anliegen bearbeiten wir trotzdem."
        ),
        max_length=300,
        required=False,
    )
    token = forms.CharField(widget=forms.HiddenInput)
    # The trap sits in an aria-hidden box, so it must not be a Tab stop either (axe
    # aria-hidden-focus): keyboard and screen-reader users would land in an invisible field.
    website = forms.CharField(
        required=False,
        label=_("Bitte leer lassen"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        _qs(self, "service").queryset = Service.objects.for_municipality(municipality)
        _qs(self, "location").queryset = Location.objects.for_municipality(municipality)

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        if not form_token_valid(token, -self.municipality.pk):
            raise forms.ValidationError(
                _("Das Formular ist abgelaufen. Bitte laden Sie die Seite neu.")
            )
        return token


def _closes_on_field() -> forms.DateField:
    return forms.DateField(
        label=_("offen bis (letzter Tag, freiwillig)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Am Tag danach schließt die Welle von selbst; verknüpfte Indikatoren "
            "bekommen dann ihren Wert."
        ),
    )


def _retention_field(*, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Rohdaten löschen nach (Tagen ab Abschluss der Welle)"),
        required=required,
        min_value=RETENTION_MIN_DAYS,
        max_value=RETENTION_MAX_DAYS,
        initial=180,
        help_text=_("Zwischen %(min)s und %(max)s Tagen. Danach bleiben nur die Auswertungszahlen.")
        % {"min": RETENTION_MIN_DAYS, "max": RETENTION_MAX_DAYS},
    )


class SurveyCreateForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Vorlage"),
        choices=SurveyKind.choices,
        widget=forms.RadioSelect,
        initial=SurveyKind.CITIZEN,
    )
    service = forms.ModelChoiceField(
        label=_("Leistung (bei Bürgerumfragen)"), queryset=Service.objects.none(), required=False
    )
    locations = forms.ModelMultipleChoiceField(
        label=_("Standorte (bei Bürgerumfragen)"),
        queryset=Location.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guideline = forms.ModelChoiceField(
        label=_("Leitlinien (beim Leitlinien-Puls)"),
        queryset=GuidelineDocument.objects.none(),
        required=False,
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Teams (beim Leitlinien-Puls)"),
        queryset=OrganisationalUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_group_size = forms.IntegerField(
        label=_("Mindestgruppengröße"),
        min_value=MIN_GROUP_SIZE,
        max_value=50,
        required=False,
        help_text=_(
            "Leer lassen für den Standard: 5 bei Bürgerumfragen, 7 beim Leitlinien-Puls. "
            "Nie unter 3."
        ),
        error_messages={
            "min_value": _("Mindestgruppengröße: bitte mindestens %(limit_value)s eintragen."),
        },
    )
    closes_on = _closes_on_field()
    retention_days = _retention_field(required=False)

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _qs(self, "service").queryset = Service.objects.for_municipality(municipality)
        _qs(self, "locations").queryset = Location.objects.for_municipality(municipality)
        _qs(self, "guideline").queryset = GuidelineDocument.objects.for_municipality(municipality)
        _qs(self, "units").queryset = OrganisationalUnit.objects.for_municipality(municipality)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == SurveyKind.STAFF_PULSE and not data.get("guideline"):
            self.add_error("guideline", _("Bitte die Leitlinien wählen, aus denen gefragt wird."))
        return data


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Frage"), max_length=500)
    kind = forms.ChoiceField(label=_("Art der Antwort"), choices=QuestionKind.choices)
    choices = forms.CharField(
        label=_("Antwortmöglichkeiten (eine pro Zeile, bei Auswahlfragen)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    low_label = forms.CharField(label=_("Bezeichnung für 1"), max_length=80, required=False)
    high_label = forms.CharField(label=_("Bezeichnung für 5"), max_length=80, required=False)
    required = forms.BooleanField(label=_("Pflichtfrage"), required=False)

    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data.get("choices", "").splitlines() if c.strip()]


class ScheduleForm(forms.Form):
    closes_on = _closes_on_field()
    retention_days = _retention_field()


class WaveForm(forms.Form):
    label = forms.CharField(
        label=_("Bezeichnung der Welle"), max_length=50, help_text=_("z. B. „2026, 1. Quartal“")
    )
    sections = forms.MultipleChoiceField(
        label=_("Nur diese Abschnitte fragen (freiwillig)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Leer lassen, um alle Aussagen zu fragen. Zum Beispiel eine Dimension je Quartal: "
            "Dann hat eine Welle 10 bis 15 Fragen statt 60."
        ),
    )
    questions = forms.MultipleChoiceField(
        label=_("… oder einzelne Aussagen (freiwillig)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Wird zusätzlich zu den gewählten Abschnitten gefragt."),
    )

    def __init__(self, *args: Any, survey: Survey | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        statements = (
            []
            if survey is None
            else list(
                survey.questions.filter(statement__isnull=False)
                .select_related("statement__section")
                .order_by("statement__section__order", "order", "id")
            )
        )
        if not statements:
            del self.fields["sections"]
            del self.fields["questions"]
            self.by_section: dict[str, list[int]] = {}
            return
        self.by_section = {}
        titles: dict[str, str] = {}
        grouped: dict[str, list[tuple[str, str]]] = {}
        for question in statements:
            assert question.statement is not None  # filtered above
            section = question.statement.section
            key = str(section.pk)
            titles[key] = str(section)
            self.by_section.setdefault(key, []).append(question.pk)
            grouped.setdefault(key, []).append((str(question.pk), question.statement.text))
        sections_field = self.fields["sections"]
        questions_field = self.fields["questions"]
        assert isinstance(sections_field, forms.MultipleChoiceField)
        assert isinstance(questions_field, forms.MultipleChoiceField)
        sections_field.choices = [
            (key, f"{titles[key]} ({len(ids)} Aussagen)") for key, ids in self.by_section.items()
        ]
        questions_field.choices = [(titles[key], grouped[key]) for key in grouped]

    def chosen_question_ids(self) -> list[int]:
        """The statement questions chosen for the wave; empty: all questions."""
        ids: set[int] = set()
        for key in self.cleaned_data.get("sections") or []:
            ids.update(self.by_section.get(key, []))
        ids.update(int(pk) for pk in self.cleaned_data.get("questions") or [])
        return sorted(ids)


class CodesForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Team"),
        queryset=OrganisationalUnit.objects.none(),
        error_messages={"required": _("Bitte das Team wählen, für das die Codes gelten.")},
    )
    count = forms.IntegerField(
        label=_("Anzahl Codes"),
        min_value=1,
        max_value=500,
        initial=10,
        help_text=_("Höchstens so viele, wie das Team Mitarbeitende hat, plus ein kleiner Puffer."),
    )

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = survey.units.all()
        _qs(self, "unit").queryset = (
            units
            if units.exists()
            else OrganisationalUnit.objects.for_municipality(survey.municipality_id)
        )


class BindingForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Indikator"), queryset=Indicator.objects.none())
    measure = forms.ChoiceField(label=_("Kennzahl"), choices=IndicatorMeasure.choices)
    question = forms.ModelChoiceField(
        label=_("Frage"), queryset=Question.objects.none(), required=False
    )
    location = forms.ModelChoiceField(
        label=_("nur Standort"), queryset=Location.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("nur Team"), queryset=OrganisationalUnit.objects.none(), required=False
    )

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        m = survey.municipality_id
        _qs(self, "indicator").queryset = Indicator.objects.for_municipality(m).filter(
            kind=IndicatorKind.SURVEY
        )
        _qs(self, "question").queryset = survey.questions.filter(
            kind__in=[QuestionKind.SCALE_5, QuestionKind.SCALE_10]
        )
        _qs(self, "location").queryset = survey.locations.all()
        _qs(self, "unit").queryset = survey.units.all()


class SuggestionHandleForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("zuständige Einheit"), queryset=OrganisationalUnit.objects.none(), required=False
    )
    answer = forms.CharField(
        label=_("Antwort"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    answer_public = forms.BooleanField(
        label=_("Antwort im Portal veröffentlichen (ohne das Anliegen selbst)"), required=False
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _qs(self, "unit").queryset = OrganisationalUnit.objects.for_municipality(municipality)


class SuggestionIndicatorForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("Indikator „Anteil fristgerecht beantworteter Anregungen“"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=_("– keiner –"),
        help_text=_(
            "Nur Indikatoren der Art „Umfragewert“. Ein Messwert je Monat, sobald alle Fristen "
            "des Monats abgelaufen sind."
        ),
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _qs(self, "indicator").queryset = Indicator.objects.for_municipality(municipality).filter(
            kind=IndicatorKind.SURVEY
        )


class DiscussionItemForm(forms.Form):
    agreed_action = forms.CharField(
        label=_("Vereinbarter Schritt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Was hat das Team verabredet? Die erste Zeile wird Titel des Vorhabens."),
    )


class DiscussionInitiativeForm(forms.Form):
    action_field = forms.ModelChoiceField(
        label=_("Handlungsfeld im Aktionsplan"), queryset=ActionField.objects.none()
    )

    def __init__(self, *args: Any, action_fields: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _qs(self, "action_field").queryset = action_fields


# Feedback's forms keep Django's stock markup (`errorlist`, `helptext`) for now; they move to the
# kernel's FORM_RENDERER (leitwerk/core/forms.py) after the feedback split (issue 16).
for _form in (
    SurveyAnswerForm,
    StartForm,
    SuggestionForm,
    SurveyCreateForm,
    QuestionForm,
    ScheduleForm,
    WaveForm,
    CodesForm,
    BindingForm,
    SuggestionHandleForm,
    SuggestionIndicatorForm,
    DiscussionItemForm,
    DiscussionInitiativeForm,
):
    _form.default_renderer = DjangoTemplates
