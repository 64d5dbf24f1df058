"""Surveys and their waves: build a survey, open a wave, close it (aggregates, indicators)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from leitwerk.core.audit import audit
from leitwerk.feedback import disclosure, results, selectors
from leitwerk.feedback.models import (
    RETENTION_MAX_DAYS,
    RETENTION_MIN_DAYS,
    AnswerAggregate,
    AnswerDraft,
    IndicatorMeasure,
    Location,
    Question,
    QuestionKind,
    Service,
    Survey,
    SurveyCode,
    SurveyIndicatorBinding,
    SurveyKind,
    SurveyStatus,
    Wave,
    WaveStatus,
)
from leitwerk.guidelines.models import GuidelineDocument, Statement
from leitwerk.municipalities.models import Municipality, OrganisationalUnit
from leitwerk.plans.models import Indicator, IndicatorKind, Measurement, MeasurementSource
from leitwerk.plans.services import measurement_period

if TYPE_CHECKING:
    from leitwerk.accounts.models import User

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
        raise ValidationError(
            _("Die Mindestgruppengröße darf nicht unter %(min)s liegen.")
            % {"min": disclosure.MIN_K}
        ) from exc


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
    actor: User | None,
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
    actor: User | None,
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
    *, survey: Survey, actor: User | None, closes_on: dt.date | None, retention_days: int
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
    actor: User | None,
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
def wave_open(
    *,
    survey: Survey,
    actor: User | None,
    label: str,
    today: dt.date,
    question_ids: Sequence[int] = (),
) -> Wave:
    """Start a wave; `question_ids` asks only those questions (plus any without a guideline
    statement, like the closing free text), e.g. one dimension of the Leitlinien a quarter."""
    survey = Survey.objects.select_for_update().get(
        pk=survey.pk, municipality_id=survey.municipality_id
    )
    if survey.waves.filter(status=WaveStatus.OPEN).exists():
        raise ValidationError(_("Es läuft bereits eine Welle."))
    if not survey.questions.exists():
        raise ValidationError(_("Die Umfrage hat noch keine Fragen."))
    chosen = list(survey.questions.filter(pk__in=list(question_ids)))
    if len(chosen) != len(set(question_ids)):
        raise ValidationError(
            {"questions": _("Eine gewählte Frage gehört nicht zu dieser Umfrage.")}
        )
    wave = Wave.objects.create(
        municipality=survey.municipality, survey=survey, label=label, opened_on=today
    )
    wave.questions.set(chosen)
    survey.status = SurveyStatus.OPEN
    if survey.opens_on is None:
        survey.opens_on = today
    if survey.closes_on is not None and survey.closes_on < today:
        # The end date of an earlier wave; left in place, the daily job would close the
        # new wave at once.
        survey.closes_on = None
    survey.save(update_fields=["status", "opens_on", "closes_on"])
    audit(
        actor=actor,
        action="feedback.wave_open",
        target=wave,
        data={"questions": len(chosen) or None},
    )
    return wave


@dataclass
class WaveCloseResult:
    wave: Wave
    measurements: list[Measurement]
    withheld: list[SurveyIndicatorBinding]


def aggregates_from_counts(wave: Wave, counts: results.WaveCounts) -> list[AnswerAggregate]:
    """Unsaved aggregate rows of a wave's counts: respondents per group, then answers per
    (question, group, value). Kept when the raw answers are purged."""
    gf = results.group_field(wave.survey)
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
    return rows


def _interval_days(indicator: Any) -> int | None:
    """The reporting interval of an indicator's plan, from the rows already loaded (None for a
    goal's own indicator)."""
    initiative = indicator.initiative
    return initiative.action_field.plan.reporting_interval_days if initiative else None


def _feed_indicators(
    *, wave: Wave, counts: results.WaveCounts, actor: User | None, today: dt.date
) -> tuple[list[Measurement], list[SurveyIndicatorBinding]]:
    """One measurement per bound indicator; withheld where the group is too small."""
    survey = wave.survey
    # A row edited below the minimum outside the forms still never publishes smaller groups.
    k = disclosure.effective_k(survey.min_group_size)
    names = results.group_names(survey)
    groups = results.groups_for(wave, counts, k=k, names=names)
    measurements: list[Measurement] = []
    withheld: list[SurveyIndicatorBinding] = []
    bindings = SurveyIndicatorBinding.objects.belonging_to(survey, via="survey").select_related(
        "indicator__initiative__action_field__plan", "question"
    )
    scale_questions = [q for q in survey.questions.all() if q.has_mean]
    for binding in bindings:
        value = results.figure_for_binding(
            measure=binding.measure,
            question=binding.question,
            counts=counts,
            groups=groups,
            group_key=binding.unit_id if survey.is_staff else binding.location_id,
            k=k,
            pool=scale_questions,
        )
        if value is None:
            withheld.append(binding)
            continue
        measurements.append(
            Measurement.objects.create(
                municipality=wave.municipality,
                indicator=binding.indicator,
                measured_on=today,
                period_label=measurement_period(
                    indicator=binding.indicator,
                    measured_on=today,
                    interval_days=_interval_days(binding.indicator),
                ),
                value=Decimal(str(round(value, 4))),
                source=MeasurementSource.SURVEY,
                note=f"{survey.title} – {wave.label}",
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        )
    return measurements, withheld


@transaction.atomic
def wave_close(*, wave: Wave, actor: User | None, today: dt.date) -> WaveCloseResult:
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
    # The issued codes per unit are already counted (`codes_generate`).
    AnswerAggregate.objects.bulk_create(aggregates_from_counts(wave, counts))
    # Codes go when the wave closes: whoever knows who got which code (e.g. mailed codes)
    # could otherwise still read off who took part.
    SurveyCode.objects.belonging_to(wave, via="wave").delete()
    AnswerDraft.objects.belonging_to(wave, via="wave").delete()
    wave.status = WaveStatus.CLOSED
    wave.closed_on = today
    # Submissions do not touch a counter row (one hot row serialised them); the number of
    # sheets is counted once here, before the raw rows may be purged.
    wave.response_count = selectors.wave_response_count(wave)
    wave.save(update_fields=["status", "closed_on", "response_count"])
    Survey.objects.filter(pk=survey.pk, municipality_id=survey.municipality_id).update(
        status=SurveyStatus.CLOSED, closes_on=today
    )
    measurements, withheld = _feed_indicators(wave=wave, counts=counts, actor=actor, today=today)
    audit(
        actor=actor,
        action="feedback.wave_close",
        target=wave,
        data={"measurements": len(measurements), "withheld": len(withheld)},
    )
    return WaveCloseResult(wave=wave, measurements=measurements, withheld=withheld)


def waves_close_due(*, today: dt.date, actor: User | None = None) -> list[WaveCloseResult]:
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


@transaction.atomic
def binding_add(
    *,
    survey: Survey,
    indicator: Indicator,
    actor: User | None,
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
