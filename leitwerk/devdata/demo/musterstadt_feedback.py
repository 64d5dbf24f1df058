"""Musterstadt's feedback: services, Bürgeramt locations, a citizen survey with a closed and an
open wave, a draft survey and the staff pulse on the Leitlinien."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from leitwerk.feedback.models import (
    Answer,
    AnswerAggregate,
    AnswerDraft,
    DiscussionItem,
    IndicatorMeasure,
    Location,
    Question,
    QuestionKind,
    Response,
    Service,
    Survey,
    SurveyCode,
    SurveyIndicatorBinding,
    SurveyKind,
    SurveyStatus,
    Wave,
    WaveStatus,
)
from leitwerk.feedback.results import ISSUED_CODES
from leitwerk.guidelines.models import GuidelineDocument, Statement, StatementKind
from leitwerk.municipalities.models import OrganisationalUnit
from leitwerk.plans.models import Indicator

from . import musterstadt_data as data
from .base import Tenant, quarter

# The staff pulse: FB 4 answered with 8 of its 10 codes (above the minimum group of 7).
PULSE_CODES = 10
PULSE_RESPONSES = 8


def pulse_score(n: int, i: int) -> int:
    """Answer of pulse response n to question i: fixed, between 3 and 5, varied per question."""
    return 3 + (n + i) % 3


def build_feedback(
    t: Tenant,
    *,
    units: dict[str, OrganisationalUnit],
    leitlinien_doc: GuidelineDocument,
    leitlinien: list[Statement],
    goal_indicator: Indicator,
    pulse_indicator: Indicator,
) -> tuple[list[Service], list[Location]]:
    services = [
        t.make(Service, name=name, leika_key=leika_key, unit=units[unit])
        for name, leika_key, unit in data.SERVICES
    ]
    locations = [t.make(Location, name=name) for name in data.LOCATIONS]
    _citizen_survey(t, services[0], locations, goal_indicator)
    t.make(
        Survey,
        title="Zufriedenheit Wohnsitzanmeldung (Entwurf)",
        kind=SurveyKind.CITIZEN,
        status=SurveyStatus.DRAFT,
        service=services[1],
        opens_on=t.d(30),
        closes_on=t.d(120),
        locations=locations[:1],
    )
    _online_survey(t, services[3])
    _pulse(t, units["FB 3"], units["FB 4"], leitlinien_doc, leitlinien, pulse_indicator)
    return services, locations


def _online_survey(t: Tenant, service: Service) -> None:
    """An open survey without codes (answered online, no location): its results are only
    ever shown for all answers together."""
    survey = t.make(
        Survey,
        title="Wie zufrieden sind Sie mit dem Online-Antrag?",
        kind=SurveyKind.CITIZEN,
        status=SurveyStatus.OPEN,
        intro="Ihre Antworten sind anonym. Die Befragung dauert etwa eine Minute.",
        service=service,
        opens_on=t.d(-20),
        closes_on=t.d(70),
        min_group_size=5,
    )
    t.make(
        Question,
        survey=survey,
        order=0,
        text="Wie zufrieden sind Sie mit dem Online-Antrag insgesamt?",
        kind=QuestionKind.SCALE_5,
        low_label="gar nicht zufrieden",
        high_label="sehr zufrieden",
        core_key="gesamtzufriedenheit",
    )
    t.make(
        Question,
        survey=survey,
        order=1,
        text="Was können wir besser machen?",
        kind=QuestionKind.TEXT,
    )


def _citizen_survey(
    t: Tenant, service: Service, locations: list[Location], goal_indicator: Indicator
) -> None:
    survey = t.make(
        Survey,
        title="Wie zufrieden waren Sie mit Ihrem Besuch im Bürgeramt?",
        kind=SurveyKind.CITIZEN,
        status=SurveyStatus.OPEN,
        intro=(
            "Ihre Antworten sind anonym. Die Befragung dauert etwa eine Minute. Den Code finden "
            "Sie auf Ihrem Wartemarken-Bon."
        ),
        service=service,
        opens_on=t.d(-200),
        closes_on=t.d(60),
        min_group_size=5,
        locations=locations,
        # One code per visit, on the waiting ticket: nobody can pad a location with answers
        # of their own, so the results are shown per location (issue 17, audit H2).
        requires_code=True,
    )
    questions = _citizen_questions(t, survey)
    _closed_wave(t, survey, locations, questions)
    _open_wave(t, survey, locations, questions)
    t.make(
        SurveyIndicatorBinding,
        indicator=goal_indicator,
        survey=survey,
        question=questions[0],
        measure=IndicatorMeasure.MEAN,
    )


def _citizen_questions(t: Tenant, survey: Survey) -> list[Question]:
    """Overall satisfaction, solved, waiting time, wish – in this order."""
    return [
        t.make(
            Question,
            survey=survey,
            order=0,
            text="Wie zufrieden sind Sie insgesamt mit Ihrem Besuch?",
            kind=QuestionKind.SCALE_5,
            low_label="gar nicht zufrieden",
            high_label="sehr zufrieden",
            required=True,
            core_key="gesamtzufriedenheit",
        ),
        t.make(
            Question,
            survey=survey,
            order=1,
            text="Wurde Ihr Anliegen erledigt?",
            kind=QuestionKind.YES_NO,
            core_key="anliegen-erledigt",
        ),
        t.make(
            Question,
            survey=survey,
            order=2,
            text="Wie lange haben Sie gewartet?",
            kind=QuestionKind.SINGLE,
            choices=["unter 10 Minuten", "10 bis 30 Minuten", "über 30 Minuten"],
        ),
        t.make(
            Question,
            survey=survey,
            order=3,
            text="Was können wir besser machen?",
            kind=QuestionKind.TEXT,
        ),
    ]


def _closed_wave(
    t: Tenant, survey: Survey, locations: list[Location], questions: list[Question]
) -> None:
    """The first wave is closed and purged: only its counts remain, as after the retention."""
    wave = t.make(
        Wave,
        survey=survey,
        label="Welle 1",
        status=WaveStatus.CLOSED,
        opened_on=t.d(-200),
        closed_on=t.d(-110),
        response_count=36,
        raw_purged_on=t.d(-20),
    )
    overall, solved, waited, _wish = questions
    per_location = zip(
        locations,
        data.CLOSED_WAVE_COUNTS,
        data.CLOSED_WAVE_SOLVED,
        data.CLOSED_WAVE_WAITED,
        strict=True,
    )
    for location, counts, yes_no, waits in per_location:
        t.make(AnswerAggregate, wave=wave, question=None, location=location, count=sum(counts))
        cells = [(overall, value, n) for value, n in enumerate(counts, 1)]
        cells += [(solved, value, n) for value, n in zip((1, 0), yes_no, strict=True)]
        cells += [(waited, value, n) for value, n in enumerate(waits)]
        for question, value, count in cells:
            t.make(
                AnswerAggregate,
                wave=wave,
                question=question,
                location=location,
                value=value,
                count=count,
            )


def _open_wave(
    t: Tenant, survey: Survey, locations: list[Location], questions: list[Question]
) -> None:
    overall, solved, waited, wish = questions
    wave = t.make(Wave, survey=survey, label="Welle 2", status=WaveStatus.OPEN, opened_on=t.d(-30))
    for location, score, yes, wait, text in data.CITIZEN_ANSWERS:
        response = t.make(Response, wave=wave, location=locations[location])
        t.make(Answer, response=response, question=overall, value=score)
        t.make(Answer, response=response, question=solved, value=yes)
        t.make(Answer, response=response, question=waited, value=wait)
        if text:
            t.make(Answer, response=response, question=wish, text=text)
    wave.response_count = len(data.CITIZEN_ANSWERS)
    wave.save(update_fields=["response_count"])


def _pulse(
    t: Tenant,
    it_unit: OrganisationalUnit,
    unit: OrganisationalUnit,
    leitlinien_doc: GuidelineDocument,
    leitlinien: list[Statement],
    pulse_indicator: Indicator,
) -> None:
    """The Leitlinien pulse for FB 3 and FB 4; FB 4 answered and discussed the result."""
    pulse = t.make(
        Survey,
        title="Leitlinien-Puls: Wie leben wir unsere Zusammenarbeit?",
        kind=SurveyKind.STAFF_PULSE,
        status=SurveyStatus.OPEN,
        intro="Bitte schätzen Sie ein, wie gut wir die Leitlinien in Ihrem Team leben.",
        guideline=leitlinien_doc,
        opens_on=t.d(-7),
        closes_on=t.d(21),
        min_group_size=7,
        requires_code=True,
        units=[it_unit, unit],
    )
    ich = [s for s in leitlinien if s.kind == StatementKind.ICH]
    questions = [
        t.make(
            Question,
            survey=pulse,
            order=i,
            text=f"„{statement.text}“ – so erlebe ich es in meinem Team.",
            kind=QuestionKind.SCALE_5,
            low_label="trifft nicht zu",
            high_label="trifft voll zu",
            statement=statement,
            core_key=f"leitlinie-{i + 1}",
        )
        for i, statement in enumerate(ich)
    ]
    wave = t.make(
        Wave, survey=pulse, label=f"{quarter(t.today)}", status=WaveStatus.OPEN, opened_on=t.d(-7)
    )
    _pulse_answers(t, wave, unit, questions)
    # FB 4 (8 answers, above k = 7) talked about its lowest-rated statement and agreed a step.
    totals = [sum(pulse_score(n, i) for n in range(PULSE_RESPONSES)) for i in range(len(questions))]
    lowest = min(range(len(questions)), key=lambda i: totals[i])
    t.make(
        DiscussionItem,
        wave=wave,
        unit=unit,
        question=questions[lowest],
        statement_text=ich[lowest].text[:500],
        mean=(Decimal(totals[lowest]) / PULSE_RESPONSES).quantize(Decimal("0.01")),
        agreed_action="Jede Teamsitzung beginnt mit fünf Minuten für offene Punkte.",
    )
    t.make(
        SurveyIndicatorBinding,
        indicator=pulse_indicator,
        survey=pulse,
        measure=IndicatorMeasure.TOP_BOX,
    )


def _pulse_answers(
    t: Tenant, wave: Wave, unit: OrganisationalUnit, questions: list[Question]
) -> None:
    # Stored as hashes only; these demo codes have no known plain text and cannot be redeemed.
    # Used codes are gone (audit M2); the number issued is counted apart, as codes_generate does.
    for n in range(PULSE_RESPONSES, PULSE_CODES):
        t.make(
            SurveyCode,
            wave=wave,
            unit=unit,
            code_hash=hashlib.sha256(f"leitwerk-demo-code-{n}".encode()).hexdigest(),
            issued_on=t.d(-7),
        )
    t.make(AnswerAggregate, wave=wave, unit=unit, value=ISSUED_CODES, count=PULSE_CODES)
    for n in range(PULSE_RESPONSES):
        response = t.make(Response, wave=wave, unit=unit)
        for i, question in enumerate(questions):
            t.make(Answer, response=response, question=question, value=pulse_score(n, i))
    wave.response_count = PULSE_RESPONSES
    wave.save(update_fields=["response_count"])
    # One colleague stopped after the first page; the draft waits under the (hashed) code.
    t.make(
        AnswerDraft,
        wave=wave,
        key=hashlib.sha256(f"leitwerk-demo-code-{PULSE_RESPONSES}".encode()).hexdigest(),
        answers={str(questions[0].pk): [4]},
        expires_on=t.d(2),
    )
