"""Writes of the feedback stage: surveys, waves, anonymous answers, codes, suggestions.

Anonymous submissions are deliberately *not* audited: an audit entry carries a precise
timestamp and would tie a response to the moment a code was used. Everything staff do is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import random
import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.db.models import Count, F
from django.utils.translation import gettext as _

from leitwerk.core.audit import audit
from leitwerk.guidelines.models import GuidelineDocument, Statement
from leitwerk.municipalities.models import Municipality, OrganisationalUnit
from leitwerk.plans.models import (
    ActionField,
    Indicator,
    IndicatorKind,
    Initiative,
    Measurement,
    MeasurementSource,
)
from leitwerk.plans.services import initiative_create

from . import disclosure, results
from .models import (
    RETENTION_MAX_DAYS,
    RETENTION_MIN_DAYS,
    SUGGESTION_RESPONSE_DAYS,
    Answer,
    AnswerAggregate,
    DiscussionItem,
    IndicatorMeasure,
    Location,
    Question,
    QuestionKind,
    Response,
    Service,
    Suggestion,
    SuggestionIndicatorBinding,
    SuggestionStatus,
    Survey,
    SurveyCode,
    SurveyIndicatorBinding,
    SurveyKind,
    SurveyStatus,
    Wave,
    WaveStatus,
)


class SubmissionError(Exception):
    """A friendly reason why an answer sheet was not taken."""


class CodeAlreadyUsed(SubmissionError):
    pass


# --------------------------------------------------------------------------- surveys

CITIZEN_CORE_QUESTIONS: list[dict[str, Any]] = [
    {
        "core_key": "overall",
        "text": "Wie zufrieden sind Sie insgesamt mit unserer Leistung?",
        "kind": QuestionKind.SCALE_5,
        "low_label": "gar nicht zufrieden",
        "high_label": "sehr zufrieden",
    },
    {
        "core_key": "goal_reached",
        "text": "Konnten Sie Ihr Anliegen erledigen?",
        "kind": QuestionKind.YES_NO,
    },
    {
        "core_key": "clarity",
        "text": "Wie verständlich waren unsere Auskünfte und Schreiben?",
        "kind": QuestionKind.SCALE_5,
        "low_label": "gar nicht verständlich",
        "high_label": "sehr verständlich",
    },
    {
        "core_key": "waiting",
        "text": "Wie lange haben Sie gewartet?",
        "kind": QuestionKind.SINGLE,
        "choices": ["unter 10 Minuten", "10 bis 30 Minuten", "über 30 Minuten"],
    },
    {
        "core_key": "improve",
        "text": "Was können wir besser machen?",
        "kind": QuestionKind.TEXT,
    },
]

PULSE_PROMPT = "Wie sehr erleben Sie in Ihrem Team: {statement}"


def _check_k(k: int) -> int:
    try:
        return disclosure.validate_k(k)
    except disclosure.DisclosureConfigError as exc:
        raise ValidationError(_("Die Mindestgruppengröße darf nicht unter 5 liegen.")) from exc


def _check_retention(days: int) -> int:
    if not RETENTION_MIN_DAYS <= days <= RETENTION_MAX_DAYS:
        raise ValidationError(
            {
                "retention_days": _(
                    "Die Rohdaten werden frühestens nach %(min)s und spätestens nach %(max)s "
                    "Tagen gelöscht. Bitte einen Wert dazwischen wählen."
                )
                % {"min": RETENTION_MIN_DAYS, "max": RETENTION_MAX_DAYS}
            }
        )
    return days


DEFAULT_RETENTION_DAYS = 180


@transaction.atomic
def survey_create(
    *,
    municipality: Municipality,
    actor: Any,
    title: str,
    kind: str = SurveyKind.CITIZEN,
    service: Service | None = None,
    locations: Sequence[Location] = (),
    units: Sequence[OrganisationalUnit] = (),
    min_group_size: int | None = None,
    with_core_questions: bool = True,
    closes_on: dt.date | None = None,
    retention_days: int | None = None,
) -> Survey:
    staff = kind == SurveyKind.STAFF_PULSE
    survey = Survey(
        municipality=municipality,
        title=title,
        kind=kind,
        service=service,
        min_group_size=_check_k(min_group_size or disclosure.default_k(staff=staff)),
        requires_code=staff,
        closes_on=closes_on,
        retention_days=_check_retention(retention_days or DEFAULT_RETENTION_DAYS),
    )
    survey.full_clean()
    survey.save()
    survey.locations.set([loc for loc in locations if loc.municipality_id == municipality.pk])
    survey.units.set([u for u in units if u.municipality_id == municipality.pk])
    if with_core_questions and not staff:
        for order, spec in enumerate(CITIZEN_CORE_QUESTIONS, start=1):
            Question.objects.create(municipality=municipality, survey=survey, order=order, **spec)
    audit(actor=actor, action="feedback.survey_create", target=survey)
    return survey


@transaction.atomic
def pulse_survey_create(
    *,
    guideline: GuidelineDocument,
    units: Sequence[OrganisationalUnit],
    actor: Any,
    title: str = "",
    min_group_size: int | None = None,
    closes_on: dt.date | None = None,
    retention_days: int | None = None,
) -> Survey:
    """A Leitlinien-Puls: one scale question per statement of the guideline, per unit."""
    municipality = guideline.municipality
    survey = survey_create(
        municipality=municipality,
        actor=actor,
        title=title or f"Leitlinien-Puls: {guideline.title}",
        kind=SurveyKind.STAFF_PULSE,
        units=units,
        min_group_size=min_group_size,
        with_core_questions=False,
        closes_on=closes_on,
        retention_days=retention_days,
    )
    survey.guideline = guideline
    survey.save(update_fields=["guideline"])
    statements = (
        Statement.objects.for_municipality(municipality)
        .filter(section__document=guideline)
        .order_by("section__order", "order", "id")
    )
    for order, statement in enumerate(statements, start=1):
        Question.objects.create(
            municipality=municipality,
            survey=survey,
            order=order,
            text=PULSE_PROMPT.format(statement=statement.text)[:500],
            kind=QuestionKind.SCALE_5,
            low_label="gar nicht",
            high_label="voll und ganz",
            statement=statement,
        )
    Question.objects.create(
        municipality=municipality,
        survey=survey,
        order=statements.count() + 1,
        text="Was sollten wir in unserem Team besprechen?",
        kind=QuestionKind.TEXT,
    )
    return survey


@transaction.atomic
def survey_update_schedule(
    *, survey: Survey, actor: Any, closes_on: dt.date | None, retention_days: int
) -> Survey:
    """End date of the running wave and how long its raw answers are kept."""
    survey.closes_on = closes_on
    survey.retention_days = _check_retention(retention_days)
    survey.save(update_fields=["closes_on", "retention_days", "updated_at"])
    audit(
        actor=actor,
        action="feedback.survey_update_schedule",
        target=survey,
        data={
            "closes_on": closes_on.isoformat() if closes_on else None,
            "retention_days": retention_days,
        },
    )
    return survey


@transaction.atomic
def question_add(
    *,
    survey: Survey,
    actor: Any,
    text: str,
    kind: str,
    choices: Sequence[str] = (),
    low_label: str = "",
    high_label: str = "",
    required: bool = False,
) -> Question:
    if survey.waves.exists():
        # Changing the questions after answers exist would break comparisons across waves.
        raise ValidationError(
            _("Nach dem Start der ersten Welle lassen sich keine Fragen mehr ergänzen.")
        )
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(choices) < 2:
        raise ValidationError(_("Bitte mindestens zwei Antwortmöglichkeiten angeben."))
    last = survey.questions.order_by("-order").values_list("order", flat=True).first() or 0
    question = Question(
        municipality=survey.municipality,
        survey=survey,
        order=last + 1,
        text=text,
        kind=kind,
        choices=list(choices) if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else [],
        low_label=low_label,
        high_label=high_label,
        required=required,
    )
    question.full_clean()
    question.save()
    audit(actor=actor, action="feedback.question_add", target=question)
    return question


@transaction.atomic
def wave_open(*, survey: Survey, actor: Any, label: str, today: dt.date) -> Wave:
    survey = Survey.objects.select_for_update().get(
        pk=survey.pk, municipality_id=survey.municipality_id
    )
    if survey.waves.filter(status=WaveStatus.OPEN).exists():
        raise ValidationError(_("Es läuft bereits eine Welle."))
    if not survey.questions.exists():
        raise ValidationError(_("Die Umfrage hat noch keine Fragen."))
    wave = Wave.objects.create(
        municipality=survey.municipality, survey=survey, label=label, opened_on=today
    )
    survey.status = SurveyStatus.OPEN
    if survey.opens_on is None:
        survey.opens_on = today
    if survey.closes_on is not None and survey.closes_on < today:
        # The end date of an earlier wave; left in place, the daily job would close the
        # new wave at once.
        survey.closes_on = None
    survey.save(update_fields=["status", "opens_on", "closes_on"])
    audit(actor=actor, action="feedback.wave_open", target=wave)
    return wave


def wave_current(*, survey: Survey, today: dt.date) -> Wave | None:
    """The running wave; an open survey without one (e.g. demo data) gets its first."""
    wave = survey.waves.filter(status=WaveStatus.OPEN).first()
    if wave is None and survey.status == SurveyStatus.OPEN:
        with transaction.atomic():
            Survey.objects.select_for_update().filter(pk=survey.pk).first()
            wave = survey.waves.filter(status=WaveStatus.OPEN).first() or Wave.objects.create(
                municipality=survey.municipality,
                survey=survey,
                label=str(today.year),
                opened_on=today,
            )
    return wave


@dataclass
class WaveCloseResult:
    wave: Wave
    measurements: list[Measurement]
    withheld: list[SurveyIndicatorBinding]


@transaction.atomic
def wave_close(*, wave: Wave, actor: Any, today: dt.date) -> WaveCloseResult:
    """Close a wave: keep its counts as aggregates and feed the bound indicators."""
    wave = (
        Wave.objects.select_for_update()
        .select_related("survey")
        .get(pk=wave.pk, municipality_id=wave.municipality_id)
    )
    if wave.status != WaveStatus.OPEN:
        raise ValidationError(_("Die Welle ist bereits abgeschlossen."))
    survey = wave.survey
    counts = results.counts_from_raw(wave)
    gf = results.group_field(survey)
    rows = [
        AnswerAggregate(
            municipality=wave.municipality, wave=wave, question=None, count=n, **{gf: group}
        )
        for group, n in counts.respondents.items()
    ]
    rows += [
        AnswerAggregate(
            municipality=wave.municipality,
            wave=wave,
            question_id=question_id,
            value=value,
            count=n,
            **{gf: group},
        )
        for (question_id, group, value), n in counts.answers.items()
    ]
    issued = (
        SurveyCode.objects.belonging_to(wave, via="wave").values("unit_id").annotate(n=Count("id"))
    )
    rows += [
        AnswerAggregate(
            municipality=wave.municipality,
            wave=wave,
            unit_id=row["unit_id"],
            value=results.ISSUED_CODES,
            count=row["n"],
        )
        for row in issued
    ]
    AnswerAggregate.objects.bulk_create(rows)
    # Codes go when the wave closes: whoever knows who got which code (e.g. mailed codes)
    # could otherwise still read off who took part.
    SurveyCode.objects.belonging_to(wave, via="wave").delete()
    wave.status = WaveStatus.CLOSED
    wave.closed_on = today
    wave.save(update_fields=["status", "closed_on"])
    Survey.objects.filter(pk=survey.pk, municipality_id=survey.municipality_id).update(
        status=SurveyStatus.CLOSED, closes_on=today
    )

    # A row edited below 5 outside the forms still never publishes smaller groups.
    k = max(disclosure.MIN_K, survey.min_group_size)
    names = _group_names(survey)
    groups = results.groups_for(wave, counts, k=k, names=names)
    measurements: list[Measurement] = []
    withheld: list[SurveyIndicatorBinding] = []
    bindings = SurveyIndicatorBinding.objects.belonging_to(survey, via="survey").select_related(
        "indicator", "question"
    )
    for binding in bindings:
        value = results.figure_for_binding(
            measure=binding.measure,
            question=binding.question,
            counts=counts,
            groups=groups,
            group_key=binding.unit_id if survey.is_staff else binding.location_id,
            k=k,
        )
        if value is None:
            withheld.append(binding)
            continue
        measurements.append(
            Measurement.objects.create(
                municipality=wave.municipality,
                indicator=binding.indicator,
                measured_on=today,
                period_label=wave.label[:50],
                value=Decimal(str(round(value, 4))),
                source=MeasurementSource.SURVEY,
                note=f"{survey.title} – {wave.label}",
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        )
    audit(
        actor=actor,
        action="feedback.wave_close",
        target=wave,
        data={"measurements": len(measurements), "withheld": len(withheld)},
    )
    return WaveCloseResult(wave=wave, measurements=measurements, withheld=withheld)


def waves_close_due(*, today: dt.date, actor: Any = None) -> list[WaveCloseResult]:
    """Close every running wave whose survey ended ("offen bis") before today.

    Run daily (`purge_expired`). The wave is closed as of its end date, so the indicator
    measurement and the retention period count from the day the survey really ended, even
    if the job ran late. Each wave closes in its own transaction: one broken survey does not
    keep the others open.
    """
    due = (
        Wave.objects.filter(
            status=WaveStatus.OPEN,
            survey__closes_on__lt=today,
            survey__closes_on__gte=F("opened_on"),
        )
        .select_related("survey")
        .order_by("pk")
    )
    closed = []
    for wave in due:
        end = wave.survey.closes_on
        assert end is not None  # filtered above
        closed.append(wave_close(wave=wave, actor=actor, today=end))
    return closed


def survey_is_past_end(survey: Survey, wave: Wave, today: dt.date) -> bool:
    """True after the last day of a running wave, before the daily job closed it."""
    end = survey.closes_on
    return end is not None and wave.opened_on <= end < today


def _group_names(survey: Survey) -> dict[int, str]:
    if survey.is_staff:
        qs = OrganisationalUnit.objects.for_municipality(survey.municipality_id)
    else:
        qs = Location.objects.for_municipality(survey.municipality_id)
    return {row.pk: str(row) for row in qs}


@transaction.atomic
def binding_add(
    *,
    survey: Survey,
    indicator: Indicator,
    actor: Any,
    measure: str = IndicatorMeasure.MEAN,
    question: Question | None = None,
    location: Location | None = None,
    unit: OrganisationalUnit | None = None,
) -> SurveyIndicatorBinding:
    if indicator.kind != IndicatorKind.SURVEY:
        raise ValidationError(_("Nur Indikatoren der Art „Umfragewert“ lassen sich verknüpfen."))
    if measure != IndicatorMeasure.RESPONSES and (question is None or not question.has_mean):
        raise ValidationError(_("Bitte eine Frage mit Skala wählen."))
    binding = SurveyIndicatorBinding(
        municipality=survey.municipality,
        indicator=indicator,
        survey=survey,
        question=question,
        measure=measure,
        location=location,
        unit=unit,
    )
    binding.full_clean()
    binding.save()
    audit(actor=actor, action="feedback.binding_add", target=binding)
    return binding


# --------------------------------------------------------------------------- codes


def _code_hash(code: str) -> str:
    normalised = code.strip().upper().replace("-", "").replace(" ", "")
    return hmac.new(
        settings.SECRET_KEY.encode(), f"feedback-code:{normalised}".encode(), hashlib.sha256
    ).hexdigest()


# Without 0/O and 1/I/L, so printed codes are typed without mistakes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def codes_generate(
    *, wave: Wave, unit: OrganisationalUnit | None, count: int, actor: Any, today: dt.date
) -> list[str]:
    """New one-time codes; the plain codes exist only in the return value (for printing)."""
    if not 1 <= count <= 500:
        raise ValidationError(_("Bitte zwischen 1 und 500 Codes erzeugen."))
    if wave.status != WaveStatus.OPEN:
        raise ValidationError(_("Codes gibt es nur für eine laufende Welle."))
    if unit is not None and unit.municipality_id != wave.municipality_id:
        raise ValidationError(_("Unbekannte Organisationseinheit."))
    codes = [_new_code() for _ in range(count)]
    SurveyCode.objects.bulk_create(
        SurveyCode(
            municipality=wave.municipality,
            wave=wave,
            unit=unit,
            code_hash=_code_hash(code),
            issued_on=today,
        )
        for code in codes
    )
    audit(
        actor=actor,
        action="feedback.codes_generate",
        target=wave,
        data={"count": count, "unit": unit.pk if unit else None},
    )
    return codes


# --------------------------------------------------------------------------- answers

AnswerInput = Mapping[int, Any]  # question id -> int, list[int] or str


def _clean_answers(questions: Iterable[Question], raw: AnswerInput) -> list[tuple[Question, Any]]:
    cleaned: list[tuple[Question, Any]] = []
    for question in questions:
        value = raw.get(question.pk)
        if value in (None, "", []):
            if question.required:
                raise SubmissionError(_("Bitte beantworten Sie alle Pflichtfragen."))
            continue
        if question.kind == QuestionKind.TEXT:
            cleaned.append((question, str(value).strip()[:5000]))
            continue
        allowed = set(question.value_keys())
        values = value if isinstance(value, list | tuple) else [value]
        try:
            ints = sorted({int(v) for v in values})
        except (TypeError, ValueError) as exc:
            raise SubmissionError(_("Eine Antwort war ungültig.")) from exc
        if not ints or any(v not in allowed for v in ints):
            raise SubmissionError(_("Eine Antwort war ungültig."))
        if question.kind != QuestionKind.MULTIPLE and len(ints) > 1:
            raise SubmissionError(_("Eine Antwort war ungültig."))
        cleaned.append((question, ints))
    return cleaned


def response_submit(
    *,
    survey: Survey,
    answers: AnswerInput,
    today: dt.date,
    location_id: int | None = None,
    code: str = "",
) -> Response:
    """Store one anonymous answer sheet; see `_response_submit`.

    SQLite answers a write collision with "locked" instead of waiting in some modes (shared
    cache); a burst of citizens at one counter must not lose answers, so the whole
    transaction is retried a few times with a random pause.
    """
    deadline = time.monotonic() + 20  # as long as SQLite's own busy timeout
    while True:
        try:
            return _response_submit(
                survey=survey, answers=answers, today=today, location_id=location_id, code=code
            )
        except OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.005, 0.05))  # noqa: S311 - jitter, not security


@transaction.atomic
def _response_submit(
    *,
    survey: Survey,
    answers: AnswerInput,
    today: dt.date,
    location_id: int | None,
    code: str,
) -> Response:
    """Store one anonymous answer sheet.

    Takes no request, user or address by design. A code is consumed by a conditional update
    (`used=False` → `True`), so of many parallel submissions with one code exactly one wins.
    The code row and the response share no key: only the unit is copied, which is the
    group the results are shown for anyway.
    """
    wave = wave_current(survey=survey, today=today)
    if wave is None or survey_is_past_end(survey, wave, today):
        raise SubmissionError(_("Diese Umfrage ist gerade nicht geöffnet."))
    questions = list(survey.questions.all())
    cleaned = _clean_answers(questions, answers)
    unit_id = None
    if survey.requires_code:
        code_row = (
            SurveyCode.objects.belonging_to(wave, via="wave")
            .filter(code_hash=_code_hash(code))
            .values("pk", "unit_id", "used")
            .first()
        )
        if code_row is None:
            raise SubmissionError(_("Dieser Code ist nicht gültig."))
        taken = SurveyCode.objects.filter(
            pk=code_row["pk"], municipality_id=wave.municipality_id, used=False
        ).update(used=True)
        if taken != 1:
            raise CodeAlreadyUsed(_("Mit diesem Code wurde bereits abgegeben."))
        unit_id = code_row["unit_id"]
    location = None
    if location_id is not None and not survey.is_staff:
        location = survey.locations.filter(pk=location_id).first()
    response = Response.objects.create(
        municipality=survey.municipality,
        wave=wave,
        location=location,
        unit_id=unit_id,
        submitted_on=today,
    )
    rows = []
    for question, value in cleaned:
        if question.kind == QuestionKind.TEXT:
            rows.append(
                Answer(
                    municipality=survey.municipality,
                    response=response,
                    question=question,
                    text=value,
                )
            )
        else:
            rows += [
                Answer(
                    municipality=survey.municipality, response=response, question=question, value=v
                )
                for v in value
            ]
    Answer.objects.bulk_create(rows)
    Wave.objects.filter(pk=wave.pk, municipality_id=wave.municipality_id).update(
        response_count=F("response_count") + 1
    )
    return response


# --------------------------------------------------------------------------- suggestions


@transaction.atomic
def suggestion_submit(
    *,
    municipality: Municipality,
    text: str,
    today: dt.date,
    category: str = "",
    service: Service | None = None,
    location: Location | None = None,
    contact: str = "",
) -> Suggestion:
    """A citizen's Anregung or Beschwerde: routed by service, answer due in 14 days."""
    if service is not None and service.municipality_id != municipality.pk:
        service = None
    if location is not None and location.municipality_id != municipality.pk:
        location = None
    suggestion = Suggestion(
        municipality=municipality,
        category=category,
        text=text.strip(),
        service=service,
        location=location,
        unit=service.unit if service is not None else None,
        contact=contact.strip(),
        received_on=today,
        due_on=today + dt.timedelta(days=SUGGESTION_RESPONSE_DAYS),
    )
    suggestion.full_clean()
    suggestion.save()
    # No actor and no request data: the audit row only says that something arrived.
    audit(actor=None, action="feedback.suggestion_submit", target=suggestion, data={})
    return suggestion


@transaction.atomic
def suggestion_route(
    *, suggestion: Suggestion, unit: OrganisationalUnit | None, actor: Any
) -> Suggestion:
    if unit is not None and unit.municipality_id != suggestion.municipality_id:
        raise ValidationError(_("Unbekannte Organisationseinheit."))
    suggestion.unit = unit
    if suggestion.status == SuggestionStatus.NEW:
        suggestion.status = SuggestionStatus.IN_PROGRESS
    suggestion.save(update_fields=["unit", "status", "updated_at"])
    audit(
        actor=actor,
        action="feedback.suggestion_route",
        target=suggestion,
        data={"unit": unit.pk if unit else None},
    )
    return suggestion


@transaction.atomic
def suggestion_answer(
    *, suggestion: Suggestion, answer: str, public: bool, actor: Any, today: dt.date
) -> Suggestion:
    if not answer.strip():
        raise ValidationError(_("Bitte eine Antwort schreiben."))
    suggestion.answer = answer.strip()
    suggestion.answer_public = public
    suggestion.status = SuggestionStatus.ANSWERED
    suggestion.answered_on = suggestion.answered_on or today
    suggestion.save(
        update_fields=["answer", "answer_public", "status", "answered_on", "updated_at"]
    )
    audit(
        actor=actor,
        action="feedback.suggestion_answer",
        target=suggestion,
        data={"public": public, "in_time": suggestion.answered_in_time},
    )
    return suggestion


@dataclass(frozen=True)
class SuggestionStats:
    total: int
    answered: int
    answered_in_time: int
    overdue: int

    @property
    def share_in_time(self) -> float | None:
        """Share answered within the deadline, of all whose deadline has passed or which
        were answered (open ones still within their deadline don't count yet)."""
        decided = self.answered + self.overdue
        return (100 * self.answered_in_time / decided) if decided else None


def suggestion_stats(*, suggestions: Iterable[Suggestion], today: dt.date) -> SuggestionStats:
    items = list(suggestions)
    answered = [s for s in items if s.answered_on is not None]
    return SuggestionStats(
        total=len(items),
        answered=len(answered),
        answered_in_time=sum(1 for s in answered if s.answered_in_time),
        overdue=sum(1 for s in items if s.is_overdue(today)),
    )


@transaction.atomic
def suggestion_indicator_record(
    *,
    municipality: Municipality,
    indicator: Indicator,
    period_start: dt.date,
    period_end: dt.date,
    actor: Any,
    today: dt.date,
) -> Measurement | None:
    """Write the share of suggestions answered in time (received in the period) as a
    measurement of a survey-kind indicator; None when nothing was decided yet."""
    if indicator.municipality_id != municipality.pk or indicator.kind != IndicatorKind.SURVEY:
        raise ValidationError(_("Nur Indikatoren der Art „Umfragewert“ lassen sich verknüpfen."))
    received = Suggestion.objects.for_municipality(municipality).filter(
        received_on__gte=period_start, received_on__lte=period_end
    )
    stats = suggestion_stats(suggestions=received, today=today)
    if stats.share_in_time is None:
        return None
    measurement = Measurement.objects.create(
        municipality=municipality,
        indicator=indicator,
        # The value belongs to the period; a late run must not stack values on one day.
        measured_on=min(period_end, today),
        period_label=f"{period_start:%d.%m.%Y}–{period_end:%d.%m.%Y}",
        value=Decimal(str(round(stats.share_in_time, 4))),
        source=MeasurementSource.SURVEY,
        note="Anteil fristgerecht beantworteter Anregungen und Beschwerden",
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit(actor=actor, action="feedback.suggestion_indicator_record", target=measurement)
    return measurement


@transaction.atomic
def suggestion_indicator_set(
    *, municipality: Municipality, indicator: Indicator | None, actor: Any
) -> SuggestionIndicatorBinding | None:
    """Choose (or, with None, remove) the indicator fed by the share answered in time."""
    current = SuggestionIndicatorBinding.objects.for_municipality(municipality).first()
    if indicator is None:
        if current is not None:
            audit(actor=actor, action="feedback.suggestion_indicator_unset", target=current)
            current.delete()
        return None
    if indicator.municipality_id != municipality.pk or indicator.kind != IndicatorKind.SURVEY:
        raise ValidationError(_("Nur Indikatoren der Art „Umfragewert“ lassen sich verknüpfen."))
    if current is not None and current.indicator_id == indicator.pk:
        return current
    if current is None:
        current = SuggestionIndicatorBinding(municipality=municipality, indicator=indicator)
    else:
        # A new indicator starts its own series from the first month again.
        current.indicator = indicator
        current.recorded_through = None
    current.full_clean()
    current.save()
    audit(
        actor=actor,
        action="feedback.suggestion_indicator_set",
        target=current,
        data={"indicator": indicator.pk},
    )
    return current


def _month_end(day: dt.date) -> dt.date:
    first_next = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first_next - dt.timedelta(days=1)


def suggestion_indicators_record_due(*, today: dt.date, actor: Any = None) -> list[Measurement]:
    """Record one value per calendar month and municipality, once every suggestion of the
    month is past its deadline, so the share is final when it is written.

    Run daily (`purge_expired`). Months without a decided suggestion get no value but count
    as done. Each municipality in its own transaction.
    """
    written: list[Measurement] = []
    bindings = SuggestionIndicatorBinding.objects.select_related("indicator", "municipality")
    for binding in bindings.order_by("pk"):
        if binding.indicator.kind != IndicatorKind.SURVEY:
            continue  # changed behind the form's back; don't break the others
        if binding.recorded_through is not None:
            start = binding.recorded_through + dt.timedelta(days=1)
        else:
            first = (
                Suggestion.objects.for_municipality(binding.municipality)
                .exclude(received_on=None)
                .order_by("received_on")
                .values_list("received_on", flat=True)
                .first()
            )
            if first is None:
                continue
            start = first.replace(day=1)
        with transaction.atomic():
            end = _month_end(start)
            while end + dt.timedelta(days=SUGGESTION_RESPONSE_DAYS) < today:
                measurement = suggestion_indicator_record(
                    municipality=binding.municipality,
                    indicator=binding.indicator,
                    period_start=start,
                    period_end=end,
                    actor=actor,
                    today=today,
                )
                if measurement is not None:
                    written.append(measurement)
                binding.recorded_through = end
                start = end + dt.timedelta(days=1)
                end = _month_end(start)
            binding.save(update_fields=["recorded_through", "updated_at"])
    return written


# --------------------------------------------------------------------------- team dialogue


@transaction.atomic
def discussion_item_save(
    *,
    wave: Wave,
    unit: OrganisationalUnit,
    question: Question,
    mean: float,
    agreed_action: str,
    actor: Any,
) -> DiscussionItem:
    """Keep a talking point of the team dialogue (or update its agreed action).

    The caller passes a point the selector found in the published dialogue, so nothing
    below the minimum group size can be saved.
    """
    if not (wave.municipality_id == unit.municipality_id == question.municipality_id):
        raise ValidationError(_("Unbekannte Organisationseinheit."))
    item = (
        DiscussionItem.objects.belonging_to(wave, via="wave")
        .filter(unit=unit, question=question)
        .first()
    )
    created = item is None
    if item is None:
        item = DiscussionItem(
            municipality_id=wave.municipality_id,
            wave=wave,
            unit=unit,
            question=question,
            statement_text=question.text[:500],
            mean=Decimal(str(round(mean, 2))),
        )
    item.agreed_action = agreed_action.strip()
    item.full_clean()
    item.save()
    audit(
        actor=actor,
        action="feedback.discussion_item_create" if created else "feedback.discussion_item_update",
        target=item,
        data={"has_action": bool(item.agreed_action)},
    )
    return item


@transaction.atomic
def discussion_item_update(
    *, item: DiscussionItem, agreed_action: str, actor: Any
) -> DiscussionItem:
    item.agreed_action = agreed_action.strip()
    item.save(update_fields=["agreed_action", "updated_at"])
    audit(actor=actor, action="feedback.discussion_item_update", target=item)
    return item


@transaction.atomic
def discussion_item_to_initiative(
    *, item: DiscussionItem, action_field: ActionField, actor: Any
) -> Initiative:
    """Turn the agreed action into a Vorhaben of the chosen action field, led by the team."""
    item = DiscussionItem.objects.select_for_update().get(
        pk=item.pk, municipality_id=item.municipality_id
    )
    if item.initiative_id is not None:
        raise ValidationError(_("Aus diesem Gesprächsthema ist schon ein Vorhaben entstanden."))
    if not item.agreed_action:
        raise ValidationError(_("Bitte zuerst den vereinbarten Schritt eintragen."))
    if action_field.municipality_id != item.municipality_id:
        raise ValidationError(_("Unbekanntes Handlungsfeld."))
    first_line = item.agreed_action.splitlines()[0].strip()
    initiative = initiative_create(
        action_field=action_field,
        actor=actor,
        title=first_line[:500],
        values={
            "lead_unit": item.unit,
            "description": (
                f"{item.agreed_action}\n\nAus dem Teamgespräch zur Aussage "
                f"„{item.statement_text}“ ({item.wave.survey.title}, {item.wave.label})."
            ),
        },
    )
    item.initiative = initiative
    item.save(update_fields=["initiative", "updated_at"])
    audit(
        actor=actor,
        action="feedback.discussion_item_to_initiative",
        target=item,
        data={"initiative": initiative.pk},
    )
    return initiative


# --------------------------------------------------------------------------- retention


@dataclass(frozen=True)
class PurgeResult:
    waves: int
    responses: int
    answers: int
    codes: int


@transaction.atomic
def feedback_purge_expired(*, today: dt.date, actor: Any = None) -> PurgeResult:
    """Delete raw answers and codes of waves closed longer ago than their survey's retention.

    Aggregates stay (they were written when the wave closed). The audit entry records
    counts only, never content.
    """
    waves = [
        wave
        for wave in Wave.objects.filter(status=WaveStatus.CLOSED, raw_purged_on__isnull=True)
        .exclude(closed_on__isnull=True)
        .select_related("survey")
        if wave.closed_on + dt.timedelta(days=wave.survey.retention_days) <= today
    ]
    totals = {"responses": 0, "answers": 0, "codes": 0}
    for wave in waves:
        if not wave.aggregates.exists():
            # Closed before aggregates existed: keep counts first, then delete.
            counts = results.counts_from_raw(wave)
            gf = results.group_field(wave.survey)
            AnswerAggregate.objects.bulk_create(
                [
                    AnswerAggregate(municipality=wave.municipality, wave=wave, count=n, **{gf: g})
                    for g, n in counts.respondents.items()
                ]
                + [
                    AnswerAggregate(
                        municipality=wave.municipality,
                        wave=wave,
                        question_id=q,
                        value=v,
                        count=n,
                        **{gf: g},
                    )
                    for (q, g, v), n in counts.answers.items()
                ]
            )
        answers, _detail = Answer.objects.filter(response__wave=wave).delete()
        responses = Response.objects.filter(wave=wave).delete()[1].get("feedback.Response", 0)
        codes = SurveyCode.objects.filter(wave=wave).delete()[0]
        wave.raw_purged_on = today
        wave.save(update_fields=["raw_purged_on"])
        totals["answers"] += answers
        totals["responses"] += responses
        totals["codes"] += codes
        audit(
            actor=actor,
            action="feedback.purge_expired",
            target=wave,
            data={"responses": responses, "answers": answers, "codes": codes},
        )
    return PurgeResult(waves=len(waves), **totals)
