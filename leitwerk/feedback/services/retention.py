"""Retention: raw answers and codes are deleted after the survey's retention period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from leitwerk.core.audit import audit
from leitwerk.feedback import results
from leitwerk.feedback.models import (
    Answer,
    AnswerAggregate,
    AnswerDraft,
    Response,
    SurveyCode,
    Wave,
    WaveStatus,
)

from .surveys import aggregates_from_counts

if TYPE_CHECKING:
    from leitwerk.accounts.models import User


@dataclass(frozen=True)
class PurgeResult:
    waves: int
    responses: int
    answers: int
    codes: int
    drafts: int = 0


@transaction.atomic
def feedback_purge_expired(*, today: dt.date, actor: User | None = None) -> PurgeResult:
    """Delete raw answers and codes of waves closed longer ago than their survey's retention.

    Aggregates stay (they were written when the wave closed). The audit entry records
    counts only, never content. Drafts of multi-page pulses go once they expired.
    """
    drafts = AnswerDraft.objects.filter(expires_on__lt=today).delete()[0]
    waves = [
        wave
        for wave in Wave.objects.filter(status=WaveStatus.CLOSED, raw_purged_on__isnull=True)
        .exclude(closed_on__isnull=True)
        .select_related("survey")
        if wave.closed_on is not None
        and wave.closed_on + dt.timedelta(days=wave.survey.retention_days) <= today
    ]
    totals = {"responses": 0, "answers": 0, "codes": 0}
    for wave in waves:
        if not wave.aggregates.exists():
            # Closed before aggregates existed: keep counts first, then delete.
            counts = results.counts_from_raw(wave)
            AnswerAggregate.objects.bulk_create(aggregates_from_counts(wave, counts))
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
    return PurgeResult(waves=len(waves), drafts=drafts, **totals)
