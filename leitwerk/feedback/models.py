"""Rückmeldung: surveys with waves, anonymous answers, one-time codes, suggestions.

Anonymity is a property of the schema, not a promise: `Response` and `Answer` carry no link
to a person, session, code or address, have random UUIDs and only a date. Participation
(`SurveyCode`) is stored apart and shares no key with answers, so the two cannot be joined.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitwerk.core.models import TenantModel

# Never below 3 (issue 17: the protected unit is the group of respondents); citizen surveys
# default to 5, staff surveys to 7.
MIN_GROUP_SIZE = 3
CITIZEN_DEFAULT_K = 5
STAFF_DEFAULT_K = 7
# Raw answers are kept at least a week after a wave closes (time to finalise the report)
# and at most two years; the aggregates stay in any case.
RETENTION_MIN_DAYS = 7
RETENTION_MAX_DAYS = 730


class Service(TenantModel):
    """An administrative service (Leistung), optionally keyed by the federal LeiKa catalogue."""

    name = models.CharField(_("Name"), max_length=300)
    leika_key = models.CharField(_("LeiKa-Schlüssel"), max_length=20, blank=True)
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zuständige Einheit"),
        help_text=_("Anregungen und Beschwerden zu dieser Leistung gehen an diese Einheit."),
    )

    class Meta:
        verbose_name = _("Leistung")
        verbose_name_plural = _("Leistungen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(TenantModel):
    name = models.CharField(_("Name"), max_length=200)

    class Meta:
        verbose_name = _("Standort")
        verbose_name_plural = _("Standorte")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SurveyKind(models.TextChoices):
    CITIZEN = "citizen", _("Zufriedenheit mit unserer Leistung")
    STAFF_PULSE = "staff_pulse", _("Leitlinien-Puls")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    OPEN = "open", _("offen")
    CLOSED = "closed", _("abgeschlossen")


class Survey(TenantModel):
    title = models.CharField(_("Titel"), max_length=300)
    kind = models.CharField(_("Art"), max_length=20, choices=SurveyKind.choices)
    status = models.CharField(
        _("Status"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    intro = models.TextField(_("Einleitung"), blank=True)
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("Leistung"),
    )
    guideline = models.ForeignKey(
        "guidelines.GuidelineDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("Leitlinien"),
    )
    locations = models.ManyToManyField(
        Location, blank=True, related_name="surveys", verbose_name=_("Standorte")
    )
    units = models.ManyToManyField(
        "municipalities.OrganisationalUnit",
        blank=True,
        related_name="+",
        verbose_name=_("Organisationseinheiten"),
    )
    opens_on = models.DateField(_("offen ab"), null=True, blank=True)
    closes_on = models.DateField(_("offen bis"), null=True, blank=True)
    min_group_size = models.PositiveSmallIntegerField(
        _("Mindestgruppengröße"),
        default=CITIZEN_DEFAULT_K,
        validators=[MinValueValidator(MIN_GROUP_SIZE)],
    )
    requires_code = models.BooleanField(_("nur mit Einmal-Code (TAN)"), default=False)
    retention_days = models.PositiveIntegerField(
        _("Rohdaten löschen nach (Tagen ab Abschluss der Welle)"), default=180
    )

    class Meta:
        verbose_name = _("Umfrage")
        verbose_name_plural = _("Umfragen")
        ordering = ["-opens_on", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.min_group_size is not None and self.min_group_size < MIN_GROUP_SIZE:
            raise ValidationError(
                {"min_group_size": _("Die Mindestgruppengröße darf nicht unter 3 liegen.")}
            )

    @property
    def is_staff(self) -> bool:
        return self.kind == SurveyKind.STAFF_PULSE


class QuestionKind(models.TextChoices):
    SCALE_5 = "scale5", _("Skala 1–5")
    SCALE_10 = "scale10", _("Skala 0–10")
    SINGLE = "single", _("Einfachauswahl")
    MULTIPLE = "multiple", _("Mehrfachauswahl")
    YES_NO = "yes_no", _("Ja/Nein")
    TEXT = "text", _("Freitext")


class Question(TenantModel):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("Umfrage")
    )
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    text = models.CharField(_("Frage"), max_length=500)
    kind = models.CharField(_("Art"), max_length=20, choices=QuestionKind.choices)
    choices = models.JSONField(_("Antwortmöglichkeiten"), default=list, blank=True)
    low_label = models.CharField(_("Bezeichnung niedrigster Wert"), max_length=80, blank=True)
    high_label = models.CharField(_("Bezeichnung höchster Wert"), max_length=80, blank=True)
    required = models.BooleanField(_("Pflichtfrage"), default=False)
    # Core questions share a key across surveys, so locations and services stay comparable.
    core_key = models.SlugField(_("Kernfrage"), max_length=40, blank=True)
    statement = models.ForeignKey(
        "guidelines.Statement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Aussage der Leitlinien"),
    )

    class Meta:
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")
        ordering = ["survey", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def value_keys(self) -> list[int]:
        """The answer values a distribution has columns for (skipped answers come extra)."""
        if self.kind == QuestionKind.SCALE_5:
            return [1, 2, 3, 4, 5]
        if self.kind == QuestionKind.SCALE_10:
            return list(range(11))
        if self.kind == QuestionKind.YES_NO:
            return [1, 0]
        if self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            return list(range(len(self.choices)))
        return []

    def value_label(self, value: int) -> str:
        if self.kind == QuestionKind.YES_NO:
            return str(_("ja")) if value == 1 else str(_("nein"))
        if self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            return str(self.choices[value]) if 0 <= value < len(self.choices) else "?"
        label = str(value)
        if self.kind == QuestionKind.SCALE_5 and value == 1 and self.low_label:
            label += f" ({self.low_label})"
        if self.kind == QuestionKind.SCALE_5 and value == 5 and self.high_label:
            label += f" ({self.high_label})"
        return label

    @property
    def has_mean(self) -> bool:
        return self.kind in (QuestionKind.SCALE_5, QuestionKind.SCALE_10)


class WaveStatus(models.TextChoices):
    OPEN = "open", _("läuft")
    CLOSED = "closed", _("abgeschlossen")


class Wave(TenantModel):
    """One round of a survey (e.g. "2026-Q1"); trends compare waves."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="waves", verbose_name=_("Umfrage")
    )
    label = models.CharField(_("Bezeichnung"), max_length=50)
    status = models.CharField(
        _("Status"), max_length=10, choices=WaveStatus.choices, default=WaveStatus.OPEN
    )
    opened_on = models.DateField(_("geöffnet am"))
    closed_on = models.DateField(_("abgeschlossen am"), null=True, blank=True)
    # Counted with F() on every submission; compared with the rows in tests (E3).
    response_count = models.PositiveIntegerField(_("Antworten"), default=0)
    raw_purged_on = models.DateField(_("Rohdaten gelöscht am"), null=True, blank=True)
    questions = models.ManyToManyField(
        Question,
        blank=True,
        related_name="+",
        verbose_name=_("Fragen dieser Welle"),
        help_text=_("Leer: alle Fragen der Umfrage."),
    )

    class Meta:
        verbose_name = _("Befragungswelle")
        verbose_name_plural = _("Befragungswellen")
        ordering = ["survey", "opened_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey"],
                condition=models.Q(status="open"),
                name="one_open_wave_per_survey",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} – {self.label}"


class Response(TenantModel):
    """One anonymous questionnaire. Deliberately no user, session, code, address, day or time."""

    # TenantModel's timestamps would record the second of submission: removed on purpose.
    created_at = None  # type: ignore[assignment]
    updated_at = None  # type: ignore[assignment]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(
        Wave, on_delete=models.CASCADE, related_name="responses", verbose_name=_("Welle")
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Standort"),
    )
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Organisationseinheit"),
    )
    # No day either: the wave is the finest time stored (issue 17, audit M1/M2).

    class Meta:
        verbose_name = _("Antwortbogen")
        verbose_name_plural = _("Antwortbögen")
        # Random order: the storage order must not reveal who answered first.
        ordering = ["id"]


class Answer(TenantModel):
    """One answer of a response; multiple choice gives one row per chosen option."""

    created_at = None  # type: ignore[assignment]
    updated_at = None  # type: ignore[assignment]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("Antwortbogen")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("Frage")
    )
    value = models.SmallIntegerField(_("Wert"), null=True, blank=True)
    text = models.TextField(_("Freitext"), blank=True)

    class Meta:
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")
        ordering = ["id"]


class AnswerAggregate(TenantModel):
    """Counts kept when a wave closes; they outlive the raw answers (retention)."""

    wave = models.ForeignKey(
        Wave, on_delete=models.CASCADE, related_name="aggregates", verbose_name=_("Welle")
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="aggregates",
        verbose_name=_("Frage"),
        help_text=_("leer: Zahl der Antwortbögen der Gruppe"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Standort"),
    )
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Organisationseinheit"),
    )
    value = models.SmallIntegerField(_("Wert"), null=True, blank=True)
    count = models.PositiveIntegerField(_("Anzahl"))

    class Meta:
        verbose_name = _("Auswertungszelle")
        verbose_name_plural = _("Auswertungszellen")


class SurveyCode(TenantModel):
    """A one-time code (TAN) for a closed group. Only its keyed hash is stored.

    It knows its wave and unit, but not when, by whom, or which answers it unlocked: there
    is no key it shares with `Response`. A used code is deleted, not marked (audit M2): on
    PostgreSQL a row marked in the transaction next to the answer sheet's carried a
    neighbouring `xmin` and so paired code and sheet. How many codes a unit got is kept
    apart, unkeyed, in an `AnswerAggregate` row (`results.ISSUED_CODES`).
    """

    created_at = None  # type: ignore[assignment]
    updated_at = None  # type: ignore[assignment]

    wave = models.ForeignKey(
        Wave, on_delete=models.CASCADE, related_name="codes", verbose_name=_("Welle")
    )
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Organisationseinheit"),
    )
    code_hash = models.CharField(_("Prüfwert"), max_length=64, unique=True)
    issued_on = models.DateField(_("ausgegeben am"))

    class Meta:
        verbose_name = _("Einmal-Code")
        verbose_name_plural = _("Einmal-Codes")


DRAFT_DAYS = 3


class AnswerDraft(TenantModel):
    """Answers of a multi-page pulse between its pages, kept on the server (no cookie).

    Keyed by a keyed hash of the one-time code (another domain than `SurveyCode.code_hash`),
    deleted when the sheet is submitted, when it expires (`DRAFT_DAYS` after the last page)
    and when the wave closes. Only a day, never a time.
    """

    created_at = None  # type: ignore[assignment]
    updated_at = None  # type: ignore[assignment]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(
        Wave, on_delete=models.CASCADE, related_name="drafts", verbose_name=_("Welle")
    )
    key = models.CharField(_("Schlüssel"), max_length=64, unique=True)
    answers = models.JSONField(_("Antworten bisher"), default=dict)
    expires_on = models.DateField(_("verfällt am"))

    class Meta:
        verbose_name = _("Zwischenstand")
        verbose_name_plural = _("Zwischenstände")


class IndicatorMeasure(models.TextChoices):
    MEAN = "mean", _("Mittelwert")
    TOP_BOX = "top_box", _("Anteil der zwei besten Stufen (%)")
    RESPONSES = "responses", _("Zahl der Antwortbögen")


class SurveyIndicatorBinding(TenantModel):
    """Feeds a plans.Indicator of kind "survey" from a survey figure when a wave closes."""

    indicator = models.ForeignKey(
        "plans.Indicator",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Indikator"),
    )
    survey = models.ForeignKey(
        Survey,
        on_delete=models.CASCADE,
        related_name="indicator_bindings",
        verbose_name=_("Umfrage"),
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Frage"),
    )
    measure = models.CharField(
        _("Kennzahl"),
        max_length=20,
        choices=IndicatorMeasure.choices,
        default=IndicatorMeasure.MEAN,
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nur Standort"),
    )
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nur Organisationseinheit"),
    )

    class Meta:
        verbose_name = _("Indikator aus Umfrage")
        verbose_name_plural = _("Indikatoren aus Umfragen")

    def __str__(self) -> str:
        return f"{self.survey} → {self.indicator}"


class SuggestionCategory(models.TextChoices):
    SUGGESTION = "Anregung", _("Anregung")
    COMPLAINT = "Beschwerde", _("Beschwerde")
    PRAISE = "Lob", _("Lob")
    QUESTION = "Frage", _("Frage")
    # From the portal's accessibility statement (feedback mechanism, § 12b BGG).
    BARRIER = "Barriere", _("Barriere melden")


class SuggestionStatus(models.TextChoices):
    NEW = "new", _("eingegangen")
    IN_PROGRESS = "in_progress", _("in Bearbeitung")
    ANSWERED = "answered", _("beantwortet")


SUGGESTION_RESPONSE_DAYS = 14


class Suggestion(TenantModel):
    """Anregung oder Beschwerde, with a response deadline."""

    category = models.CharField(
        _("Kategorie"), max_length=100, blank=True, choices=SuggestionCategory.choices
    )
    text = models.TextField(_("Anliegen"))
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zuständige Einheit"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Leistung"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Standort"),
    )
    contact = models.CharField(
        _("Kontakt für die Antwort (freiwillig)"), max_length=300, blank=True
    )
    received_on = models.DateField(_("eingegangen am"), null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=SuggestionStatus.choices, default=SuggestionStatus.NEW
    )
    due_on = models.DateField(_("Antwort fällig am"))
    answer = models.TextField(_("Antwort"), blank=True)
    answered_on = models.DateField(_("beantwortet am"), null=True, blank=True)
    answer_public = models.BooleanField(_("Antwort öffentlich"), default=False)

    class Meta:
        verbose_name = _("Anregung oder Beschwerde")
        verbose_name_plural = _("Anregungen und Beschwerden")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, today) -> bool:
        return self.answered_on is None and self.due_on < today

    @property
    def answered_in_time(self) -> bool | None:
        if self.answered_on is None:
            return None
        return self.answered_on <= self.due_on


class SuggestionIndicatorBinding(TenantModel):
    """The indicator a municipality measures "share of suggestions answered in time" with.

    One per municipality. The daily job records one value per calendar month, once every
    deadline of that month has passed, so the figure never changes after it was written.
    """

    indicator = models.ForeignKey(
        "plans.Indicator",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Indikator"),
    )
    recorded_through = models.DateField(
        _("erfasst bis einschließlich"),
        null=True,
        blank=True,
        help_text=_("Letzter Tag des zuletzt als Messwert erfassten Monats."),
    )

    class Meta:
        verbose_name = _("Indikator aus Anregungen")
        verbose_name_plural = _("Indikatoren aus Anregungen")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"], name="feedback_one_suggestion_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"Anregungen → {self.indicator}"


class DiscussionItem(TenantModel):
    """A Gesprächsthema: one low-rated statement of a pulse wave that a team talks about.

    Only statements of groups that disclosure published (n ≥ k) can become one, and the
    statement and mean are copied so the item stays readable after raw answers are purged.
    """

    wave = models.ForeignKey(
        Wave,
        on_delete=models.CASCADE,
        related_name="discussion_items",
        verbose_name=_("Befragungswelle"),
    )
    unit = models.ForeignKey(
        "municipalities.OrganisationalUnit",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Team"),
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Frage"),
    )
    statement_text = models.CharField(_("Aussage"), max_length=500)
    mean = models.DecimalField(_("Mittelwert"), max_digits=5, decimal_places=2)
    agreed_action = models.TextField(_("vereinbarter Schritt"), blank=True)
    initiative = models.ForeignKey(
        "plans.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("daraus entstandenes Vorhaben"),
    )

    class Meta:
        verbose_name = _("Gesprächsthema")
        verbose_name_plural = _("Gesprächsthemen")
        ordering = ["-wave__opened_on", "unit__name", "mean", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "unit", "question"], name="feedback_one_item_per_statement"
            )
        ]

    def __str__(self) -> str:
        return self.statement_text[:80]
