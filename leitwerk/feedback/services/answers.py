"""Anonymous answer sheets.

Submissions are deliberately *not* audited: an audit entry carries a precise timestamp and
would tie a response to the moment a code was used.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import OperationalError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from leitwerk.feedback import selectors
from leitwerk.feedback.models import (
    Answer,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyCode,
    SurveyStatus,
    Wave,
)

from .codes import hash_code


class SubmissionError(Exception):
    """A friendly reason why an answer sheet was not taken."""


class CodeAlreadyUsed(SubmissionError):
    pass


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


def _wave_for_answers(*, survey: Survey, today: dt.date) -> Wave | None:
    """The running wave; an open survey without one (e.g. demo data) gets its first."""
    wave = selectors.open_wave(survey)
    if wave is None and survey.status == SurveyStatus.OPEN:
        with transaction.atomic():
            Survey.objects.select_for_update().filter(pk=survey.pk).first()
            wave = selectors.open_wave(survey) or Wave.objects.create(
                municipality=survey.municipality,
                survey=survey,
                label=str(today.year),
                opened_on=today,
            )
    return wave


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
    wave = _wave_for_answers(survey=survey, today=today)
    if wave is None or selectors.survey_is_past_end(survey, wave, today):
        raise SubmissionError(_("Diese Umfrage ist gerade nicht geöffnet."))
    questions = list(survey.questions.all())
    cleaned = _clean_answers(questions, answers)
    unit_id = None
    if survey.requires_code:
        code_row = (
            SurveyCode.objects.belonging_to(wave, via="wave")
            .filter(code_hash=hash_code(code))
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
