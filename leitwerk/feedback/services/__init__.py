"""Writes of the feedback stage: surveys, waves, anonymous answers, codes, suggestions.

One module per sub-domain; this package re-exports every public name, so callers keep
writing `from leitwerk.feedback import services` / `services.survey_create(...)`:

- `surveys`: surveys, questions, waves (open, close, close when due), indicator bindings
- `codes`: one-time codes for surveys that require them
- `answers`: anonymous answer sheets
- `suggestions`: citizens' suggestions and the indicator fed by their deadlines
- `dialogue`: team dialogue (Gesprächsthemen) of a staff pulse
- `retention`: deleting raw answers and codes after the retention period

Anonymous submissions are deliberately *not* audited: an audit entry carries a precise
timestamp and would tie a response to the moment a code was used. Everything staff do is.
Reads live in `leitwerk.feedback.selectors`.
"""

from __future__ import annotations

from .answers import AnswerInput, CodeAlreadyUsed, SubmissionError, draft_save, response_submit
from .codes import CODE_ALPHABET, codes_generate
from .dialogue import discussion_item_save, discussion_item_to_initiative, discussion_item_update
from .retention import PurgeResult, feedback_purge_expired
from .suggestions import (
    suggestion_answer,
    suggestion_indicator_record,
    suggestion_indicator_set,
    suggestion_indicators_record_due,
    suggestion_route,
    suggestion_submit,
)
from .surveys import (
    CITIZEN_CORE_QUESTIONS,
    DEFAULT_RETENTION_DAYS,
    PULSE_PROMPT,
    WaveCloseResult,
    binding_add,
    pulse_survey_create,
    question_add,
    survey_create,
    survey_update_schedule,
    wave_close,
    wave_open,
    waves_close_due,
)

__all__ = [
    "CITIZEN_CORE_QUESTIONS",
    "CODE_ALPHABET",
    "DEFAULT_RETENTION_DAYS",
    "PULSE_PROMPT",
    "AnswerInput",
    "CodeAlreadyUsed",
    "PurgeResult",
    "SubmissionError",
    "WaveCloseResult",
    "binding_add",
    "codes_generate",
    "discussion_item_save",
    "discussion_item_to_initiative",
    "discussion_item_update",
    "draft_save",
    "feedback_purge_expired",
    "pulse_survey_create",
    "question_add",
    "response_submit",
    "suggestion_answer",
    "suggestion_indicator_record",
    "suggestion_indicator_set",
    "suggestion_indicators_record_due",
    "suggestion_route",
    "suggestion_submit",
    "survey_create",
    "survey_update_schedule",
    "wave_close",
    "wave_open",
    "waves_close_due",
]
