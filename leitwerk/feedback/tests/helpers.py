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
