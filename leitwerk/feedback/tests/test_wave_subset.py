"""A survey author asks one dimension per wave: 10–15 questions instead of 60."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from leitwerk.feedback import services
from leitwerk.feedback.models import Survey, SurveyStatus
from leitwerk.feedback.selectors import question_pages, wave_questions
from leitwerk.feedback.tests.pulse_helpers import DAY, make_pulse
from leitwerk.guidelines.models import GuidelineSection

pytestmark = pytest.mark.django_db


def _closed_pulse(musterstadt, editor_unit) -> Survey:
    survey, wave = make_pulse(musterstadt, [editor_unit], per_section=8)
    services.wave_close(wave=wave, actor=None, today=DAY)
    return survey


def test_strategy_office_starts_a_wave_with_one_dimension(
    musterstadt, editor_unit, strategy_user, client_for
):
    survey = _closed_pulse(musterstadt, editor_unit)
    client = client_for(strategy_user)
    page = client.get(reverse("feedback:survey_detail", args=[survey.pk]))
    html = page.content.decode()
    assert "Nur diese Abschnitte fragen" in html
    assert "GEMEINSAM GESUND (8 Aussagen)" in html
    gesund = GuidelineSection.objects.get(title="GEMEINSAM GESUND")
    done = client.post(
        reverse("feedback:survey_wave_open", args=[survey.pk]),
        {"wave-label": "2027, 1. Quartal", "wave-sections": [str(gesund.pk)]},
    )
    assert done.status_code == 302
    wave = survey.waves.get(label="2027, 1. Quartal")
    asked = wave_questions(wave)
    # Eight statements of the dimension plus the closing free-text question.
    assert len(asked) == 9
    assert all(q.statement is None or q.statement.section == gesund for q in asked)
    pages = question_pages(asked)
    assert [p.title for p in pages] == ["GEMEINSAM GESUND"]
    assert (
        "8 ausgewählte Aussagen"
        in client.get(reverse("feedback:survey_detail", args=[survey.pk])).content.decode()
    )


def test_single_statements_can_be_added_to_a_dimension(
    musterstadt, editor_unit, strategy_user, client_for
):
    survey = _closed_pulse(musterstadt, editor_unit)
    lernen = GuidelineSection.objects.get(title="GEMEINSAM LERNEN")
    extra = survey.questions.filter(statement__section__title="GEMEINSAM VERNETZT").first()
    client_for(strategy_user).post(
        reverse("feedback:survey_wave_open", args=[survey.pk]),
        {"wave-label": "Q2", "wave-sections": [str(lernen.pk)], "wave-questions": [str(extra.pk)]},
    )
    wave = survey.waves.get(label="Q2")
    assert len(wave_questions(wave)) == 8 + 1 + 1
    assert [p.title for p in question_pages(wave_questions(wave))] == [
        "GEMEINSAM LERNEN",
        "GEMEINSAM VERNETZT",
    ]


def test_without_a_choice_every_question_is_asked(musterstadt, editor_unit):
    survey = _closed_pulse(musterstadt, editor_unit)
    wave = services.wave_open(survey=survey, actor=None, label="alle", today=DAY)
    assert len(wave_questions(wave)) == 7 * 8 + 1


def test_questions_of_another_survey_are_refused(musterstadt, editor_unit):
    survey = _closed_pulse(musterstadt, editor_unit)
    other, _wave = make_pulse(musterstadt, [editor_unit], sections=["X"], per_section=1)
    foreign = other.questions.first()
    with pytest.raises(ValidationError):
        services.wave_open(
            survey=survey, actor=None, label="x", today=DAY, question_ids=[foreign.pk]
        )
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED
    assert not survey.waves.filter(label="x").exists()


def test_answers_to_questions_not_asked_in_the_wave_are_refused(musterstadt, editor_unit):
    survey = _closed_pulse(musterstadt, editor_unit)
    gesund = list(survey.questions.filter(statement__section__title="GEMEINSAM GESUND"))
    wave = services.wave_open(
        survey=survey, actor=None, label="Q3", today=DAY, question_ids=[q.pk for q in gesund]
    )
    [code] = services.codes_generate(wave=wave, unit=editor_unit, count=1, actor=None, today=DAY)
    not_asked = survey.questions.filter(statement__section__title="GEMEINSAM LERNEN").first()
    response = services.response_submit(
        survey=survey, answers={gesund[0].pk: 4, not_asked.pk: 1}, today=DAY, code=code
    )
    assert list(response.answers.values_list("question_id", flat=True)) == [gesund[0].pk]
