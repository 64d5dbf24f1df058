"""The audit's attacks on survey results (security-audit-2.md H1, H2), run as an attacker
would, and shown to fail now."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leitwerk.feedback import services
from leitwerk.feedback.tests.factories import LocationFactory, make_open_survey
from leitwerk.feedback.tests.helpers import DAY, answer_coded, answer_many, close, with_codes

pytestmark = pytest.mark.django_db


def _csv(client, survey) -> list[str]:
    response = client.get(reverse("feedback:survey_results_csv", args=[survey.pk]))
    assert response.status_code == 200
    return response.content.decode("utf-8-sig").splitlines()


def _page(client, survey) -> str:
    response = client.get(reverse("feedback:survey_results", args=[survey.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_h1_reading_results_before_and_after_one_answer_reveals_nothing(
    musterstadt, viewer, client_for
):
    """H1: a viewer reads the CSV and the page just before and just after one person
    answers; the difference used to be that person's answer sheet."""
    nord = LocationFactory(municipality=musterstadt, name="Nord")
    survey = with_codes(make_open_survey(musterstadt, locations=[nord]))
    answer_coded(survey, [4] * 12, location_id=nord.pk)
    client = client_for(viewer)
    before_csv, before_page = _csv(client, survey), _page(client, survey)
    answer_coded(survey, [1], location_id=nord.pk)  # the person the attacker watches
    after_csv, after_page = _csv(client, survey), _page(client, survey)
    assert after_csv == before_csv
    # The page differs only in the CSRF token and request ids, not in any figure.
    strip = lambda html: [line for line in html.splitlines() if "csrf" not in line]  # noqa: E731
    assert strip(after_page) == strip(before_page)
    # The running total moves in steps of ten only: 12 and 13 both read "mindestens 10".
    assert "mindestens 10" in after_page


def test_h1_a_running_staff_pulse_shows_no_team_count(
    musterstadt, editor_unit, admin_user, viewer, client_for
):
    """A supervisor watching "3 answers from team X" live could time them: nothing per team
    (and no total) while the wave runs."""
    survey = services.survey_create(
        municipality=musterstadt,
        actor=admin_user,
        title="Puls",
        kind="staff_pulse",
        units=[editor_unit],
    )
    services.question_add(survey=survey, actor=admin_user, text="Wie geht es?", kind="scale5")
    wave = services.wave_open(survey=survey, actor=admin_user, label="2026", today=DAY)
    codes = services.codes_generate(wave=wave, unit=editor_unit, count=9, actor=None, today=DAY)
    q = survey.questions.get()
    client = client_for(viewer)
    pages = []
    for code in codes:
        services.response_submit(survey=survey, answers={q.pk: 2}, today=DAY, code=code)
        pages.append(client.get(reverse("feedback:survey_results", args=[survey.pk])).context)
    assert all(p["result"].groups.running is None for p in pages)
    assert all(p["result"].groups.sizes.sizes == (None,) for p in pages)
    assert all(p["trend"].rows[0].means == [None] for p in pages)


def test_h2_padding_a_small_location_with_known_answers_reveals_nothing(
    musterstadt, viewer, client_for
):
    """H2: Süd has 2 genuine answers. The attacker posts 30 answers of their own to Süd
    (5 per value), waits for the close and subtracts their own part from Süd's figures."""
    nord = LocationFactory(municipality=musterstadt, name="Nord")
    sued = LocationFactory(municipality=musterstadt, name="Süd")
    survey = make_open_survey(musterstadt, locations=[nord, sued])
    answer_many(survey, [3] * 20, location_id=nord.pk)
    answer_many(survey, [4, 5], location_id=sued.pk)  # the two genuine answers
    padding = [v for v in range(1, 6) for _ in range(6)]
    answer_many(survey, padding, location_id=sued.pk)
    close(survey)
    lines = _csv(client_for(viewer), survey)
    sued_lines = [line for line in lines if ";Süd;" in line]
    # The attack needs Süd's distribution; all there is, is "weniger als 5 Antworten" –
    # although Süd holds 32 sheets, they came without a code and do not count toward k.
    assert sued_lines
    assert all(line.endswith("weniger als 5 Antworten") for line in sued_lines)
    assert not any(";Nord;" in line and line[-1].isdigit() for line in lines)


def test_h2_with_codes_a_location_with_k_coded_answers_is_shown(musterstadt, viewer, client_for):
    """The other side of the rule: where answers need a one-time code, the location groups
    count and are shown in full once they have k."""
    nord = LocationFactory(municipality=musterstadt, name="Nord")
    sued = LocationFactory(municipality=musterstadt, name="Süd")
    survey = with_codes(make_open_survey(musterstadt, locations=[nord, sued]))
    answer_coded(survey, [3] * 6, location_id=nord.pk)
    answer_coded(survey, [5] * 5 + [1], location_id=sued.pk)
    close(survey)
    lines = _csv(client_for(viewer), survey)
    assert any(line.endswith("Süd;1 (gar nicht zufrieden);1") for line in lines)
