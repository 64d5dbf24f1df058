"""Small builders for feedback tests: answer sheets straight through the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from leitwerk.feedback import services
from leitwerk.feedback.models import Question, QuestionKind, Survey

DAY = dt.date(2026, 3, 10)


def question(survey: Survey, core_key: str) -> Question:
    return survey.questions.get(core_key=core_key)


def answer_many(
    survey: Survey,
    ratings: list[int],
    *,
    location_id: int | None = None,
    text: str = "",
    today: dt.date = DAY,
) -> None:
    """One sheet per rating of the "overall" question (other questions left out)."""
    overall = question(survey, "overall")
    extra: dict[int, Any] = {}
    if text:
        improve = survey.questions.get(kind=QuestionKind.TEXT)
        extra[improve.pk] = text
    for rating in ratings:
        services.response_submit(
            survey=survey,
            answers={overall.pk: rating, **extra},
            today=today,
            location_id=location_id,
        )


def with_codes(survey: Survey) -> Survey:
    """The survey hands out one-time codes: its location groups count toward k (H2)."""
    Survey.objects.filter(pk=survey.pk).update(requires_code=True)
    survey.requires_code = True
    return survey


def answer_coded(
    survey: Survey, ratings: list[int], *, location_id: int | None = None, text: str = ""
) -> None:
    """Like `answer_many`, each sheet with its own one-time code of the running wave."""
    wave = survey.waves.get(status="open")
    overall = question(survey, "overall")
    extra: dict[int, Any] = {}
    if text:
        extra[survey.questions.get(kind=QuestionKind.TEXT).pk] = text
    codes = services.codes_generate(wave=wave, unit=None, count=len(ratings), actor=None, today=DAY)
    for code, rating in zip(codes, ratings, strict=True):
        services.response_submit(
            survey=survey,
            answers={overall.pk: rating, **extra},
            today=DAY,
            location_id=location_id,
            code=code,
        )


def close(survey: Survey, today: dt.date = DAY) -> None:
    services.wave_close(wave=survey.waves.get(status="open"), actor=None, today=today)
