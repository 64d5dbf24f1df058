"""Anonymous answer sheets.

Submissions are deliberately *not* audited: an audit entry carries a precise timestamp and
would tie a response to the moment a code was used.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.db import OperationalError, transaction
from django.utils.translation import gettext as _

from leitwerk.feedback import selectors
from leitwerk.feedback.models import (
    DRAFT_DAYS,
    Answer,
    AnswerDraft,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyCode,
    SurveyStatus,
    Wave,
    WaveStatus,
)
from leitwerk.feedback.selectors import draft_key

from .codes import hash_code

T = TypeVar("T")


class SubmissionError(Exception):
    """A friendly reason why an answer sheet was not taken."""


class CodeAlreadyUsed(SubmissionError):
    """The code is unknown or was used: the two cannot be told apart, as a used code is gone."""


CODE_NOT_USABLE = _(
    "Dieser Code ist nicht gültig oder wurde bereits verwendet. Bitte prüfen Sie die "
    "Schreibweise; jeder Code gilt für genau eine Abgabe."
)


AnswerInput = Mapping[int, Any]  # question id -> int, list[int] or str


def _clean_answers(
    questions: Iterable[Question], raw: AnswerInput, *, enforce_required: bool = True
) -> list[tuple[Question, Any]]:
    cleaned: list[tuple[Question, Any]] = []
    for question in questions:
        value = raw.get(question.pk)
        if value in (None, "", []):
            if question.required and enforce_required:
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


def _retrying(work: Callable[[], T]) -> T:
    """SQLite answers a write collision with "locked" instead of waiting in some modes
    (shared cache); a burst of citizens at one counter must not lose answers, so each
    transaction is retried a few times with a random pause."""
    deadline = time.monotonic() + 20  # as long as SQLite's own busy timeout
    while True:
        try:
            return work()
        except OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.005, 0.05))  # noqa: S311 - jitter, not security


def _usable_code(wave: Wave, code: str) -> dict[str, Any]:
    code_row = (
        SurveyCode.objects.belonging_to(wave, via="wave")
        .filter(code_hash=hash_code(code))
        .values("pk", "unit_id", "issued_on")
        .first()
    )
    if code_row is None:
        # A used code is deleted (audit M2), so unknown and used look alike here.
        raise CodeAlreadyUsed(CODE_NOT_USABLE)
    return dict(code_row)


def _open_wave_or_refuse(survey: Survey, today: dt.date) -> Wave:
    wave = _wave_for_answers(survey=survey, today=today)
    if wave is None or selectors.survey_is_past_end(survey, wave, today):
        raise SubmissionError(_("Diese Umfrage ist gerade nicht geöffnet."))
    return wave


def draft_save(
    *, survey: Survey, code: str, answers: AnswerInput, today: dt.date
) -> dict[str, Any]:
    """Keep the answers of one page of a multi-page pulse until the sheet is submitted.

    Keyed by the one-time code (hashed), not by a cookie or session: whoever holds the code
    continues where they left off, and nothing identifies the device. Answers that are not
    valid for their question are not kept; required questions are checked on submission.
    Returns all answers kept so far. Not audited (an audit row carries the time).
    """

    def prepare() -> tuple[Wave, list[Question]]:
        wave = _open_wave_or_refuse(survey, today)
        _usable_code(wave, code)
        return wave, [q for q in selectors.wave_questions(wave) if q.pk in answers]

    wave, questions = _retrying(prepare)
    kept: dict[str, Any] = {}
    for question in questions:
        try:
            cleaned = _clean_answers([question], answers, enforce_required=False)
        except SubmissionError:
            continue
        for q, value in cleaned:
            kept[str(q.pk)] = value
    cleared = [str(q.pk) for q in questions if str(q.pk) not in kept]

    def save() -> dict[str, Any]:
        with transaction.atomic():
            drafts = AnswerDraft.objects.filter(municipality_id=wave.municipality_id, wave=wave)
            draft, _created = drafts.select_for_update().get_or_create(
                key=draft_key(code),
                defaults={
                    "municipality": survey.municipality,
                    "wave": wave,
                    "expires_on": today + dt.timedelta(days=DRAFT_DAYS),
                },
            )
            merged = {k: v for k, v in draft.answers.items() if k not in cleared} | kept
            draft.answers = merged
            draft.expires_on = today + dt.timedelta(days=DRAFT_DAYS)
            draft.save(update_fields=["answers", "expires_on"])
            return merged

    return _retrying(save)


def response_submit(
    *,
    survey: Survey,
    answers: AnswerInput,
    today: dt.date,
    location_id: int | None = None,
    code: str = "",
    wave: Wave | None = None,
    questions: list[Question] | None = None,
) -> Response:
    """Store one anonymous answer sheet. Takes no request, user or address by design.

    `wave` and `questions` are the open wave and its questions when the caller (the public
    form) has just read them for the same request: they are not read a second time.

    Two transactions that share nothing (audit M2; on PostgreSQL rows written in one
    transaction carry the same `xmin`, which linked a used code to its sheet):

    1. the code is consumed by deleting it, so of many parallel submissions with one code
       exactly one wins, and no row marked "used" stays behind to carry this transaction's
       id; its draft goes with it;
    2. the sheet and its answers are stored, with only the unit copied from the code (the
       group the results are shown for anyway).

    Should the second fail, the code is given back, so the person can try again.
    """

    known_wave = wave

    def prepare() -> tuple[Wave, list[tuple[Question, Any]]]:
        if known_wave is not None and known_wave.status == WaveStatus.OPEN:
            if selectors.survey_is_past_end(survey, known_wave, today):
                raise SubmissionError(_("Diese Umfrage ist gerade nicht geöffnet."))
            asked = questions if questions is not None else selectors.wave_questions(known_wave)
            return known_wave, _clean_answers(asked, answers)
        open_wave = _open_wave_or_refuse(survey, today)
        return open_wave, _clean_answers(selectors.wave_questions(open_wave), answers)

    wave, cleaned = _retrying(prepare)
    unit_id = None
    code_row: dict[str, Any] = {}
    if survey.requires_code:
        code_row = _retrying(lambda: _code_consume(wave=wave, code=code))
        unit_id = code_row["unit_id"]

    def store() -> Response:
        return _sheet_store(
            survey=survey, wave=wave, cleaned=cleaned, location_id=location_id, unit_id=unit_id
        )

    try:
        return _retrying(store)
    except Exception:
        if survey.requires_code:
            _retrying(lambda: _code_give_back(wave=wave, code=code, code_row=code_row))
        raise


def _wave_for_answers(*, survey: Survey, today: dt.date) -> Wave | None:
    """The running wave; an open survey without one (e.g. demo data) gets its first."""
    wave = selectors.open_wave(survey)
    if wave is None and survey.status == SurveyStatus.OPEN:
        with transaction.atomic():
            Survey.objects.for_municipality(survey.municipality_id).select_for_update().filter(
                pk=survey.pk
            ).first()
            wave = selectors.open_wave(survey) or Wave.objects.create(
                municipality=survey.municipality,
                survey=survey,
                label=str(today.year),
                opened_on=today,
            )
    return wave


@transaction.atomic
def _code_consume(*, wave: Wave, code: str) -> dict[str, Any]:
    """Delete the code (of many parallel submissions with one code exactly one deletes it)
    and its draft. Nothing is marked: no row is left behind by this transaction."""
    code_row = _usable_code(wave, code)
    taken, _detail = SurveyCode.objects.filter(
        pk=code_row["pk"], municipality_id=wave.municipality_id
    ).delete()
    if taken != 1:
        raise CodeAlreadyUsed(CODE_NOT_USABLE)
    AnswerDraft.objects.belonging_to(wave, via="wave").filter(key=draft_key(code)).delete()
    return code_row


@transaction.atomic
def _code_give_back(*, wave: Wave, code: str, code_row: dict[str, Any]) -> None:
    SurveyCode.objects.create(
        municipality_id=wave.municipality_id,
        wave=wave,
        unit_id=code_row["unit_id"],
        code_hash=hash_code(code),
        issued_on=code_row["issued_on"],
    )


@transaction.atomic
def _sheet_store(
    *,
    survey: Survey,
    wave: Wave,
    cleaned: list[tuple[Question, Any]],
    location_id: int | None,
    unit_id: int | None,
) -> Response:
    location = None
    if location_id is not None and not survey.is_staff:
        location = survey.locations.filter(pk=location_id).first()
    # The tenant by id: the survey's municipality row is not needed (no lazy query).
    municipality_id = survey.municipality_id
    response = Response.objects.create(
        municipality_id=municipality_id, wave=wave, location=location, unit_id=unit_id
    )
    rows = []
    for question, value in cleaned:
        if question.kind == QuestionKind.TEXT:
            rows.append(
                Answer(
                    municipality_id=municipality_id,
                    response=response,
                    question=question,
                    text=value,
                )
            )
        else:
            rows += [
                Answer(
                    municipality_id=municipality_id,
                    response=response,
                    question=question,
                    value=v,
                )
                for v in value
            ]
    Answer.objects.bulk_create(rows)
    # No counter update here: one hot counter row per wave serialised every submission.
    # The wave's number of sheets is counted from the rows (`wave_response_count`) and kept
    # in `Wave.response_count` when the wave closes (the rows may be purged later).
    return response
