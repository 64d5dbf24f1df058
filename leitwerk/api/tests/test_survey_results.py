"""`GET /api/v1/surveys/<id>/results/`: the survey results contract of issue 17, under the
same disclosure rule as the results page and the CSV."""

from __future__ import annotations

import datetime as dt

import pytest

from leitwerk.feedback import services
from leitwerk.feedback.models import Survey
from leitwerk.feedback.tests.factories import LocationFactory, make_open_survey

pytestmark = pytest.mark.django_db

API = "/api/v1"
DAY = dt.date(2026, 3, 10)


def _answer(survey: Survey, ratings: list[int], location_id: int) -> None:
    overall = survey.questions.get(core_key="overall")
    wave = survey.waves.get(status="open")
    codes = services.codes_generate(wave=wave, unit=None, count=len(ratings), actor=None, today=DAY)
    for code, rating in zip(codes, ratings, strict=True):
        services.response_submit(
            survey=survey,
            answers={overall.pk: rating},
            today=DAY,
            location_id=location_id,
            code=code,
        )


@pytest.fixture
def survey_with_two_waves(musterstadt):
    nord = LocationFactory(municipality=musterstadt, name="Nord")
    ost = LocationFactory(municipality=musterstadt, name="Ost")
    sued = LocationFactory(municipality=musterstadt, name="Süd")
    survey = make_open_survey(musterstadt, locations=[nord, ost, sued])
    Survey.objects.filter(pk=survey.pk).update(requires_code=True)
    survey.refresh_from_db()
    _answer(survey, [5] * 6 + [1], nord.pk)  # 7: shown, the single 1 included
    _answer(survey, [4] * 12, ost.pk)
    _answer(survey, [2, 3], sued.pk)  # 2: "weniger als 5"; Nord (7) is hidden to cover it
    services.wave_close(wave=survey.waves.get(), actor=None, today=dt.date(2026, 3, 31))
    services.wave_open(survey=survey, actor=None, label="2026-2", today=dt.date(2026, 4, 1))
    _answer(survey, [3] * 13, ost.pk)
    return survey


def test_the_closed_wave_answers_with_the_contract_and_the_disclosure_rule(
    survey_with_two_waves, viewer, musterstadt, token_client
):
    survey = survey_with_two_waves
    response = token_client(viewer, musterstadt).get(f"{API}/surveys/{survey.pk}/results/?wave=1")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"survey", "wave", "waves", "responses", "min_group_size", "questions"}
    assert body["survey"] == survey.pk and body["wave"] == 1 and body["min_group_size"] == 5
    assert body["waves"] == [
        {"number": 1, "closed": True, "responses": 21},
        {"number": 2, "closed": False, "responses": 10},  # 13, in steps of ten
    ]
    assert body["responses"] == 21
    overall = next(q for q in body["questions"] if q["text"].startswith("Wie zufrieden"))
    assert overall["kind"] == "scale5" and overall["suppressed"] is False
    assert overall["n"] == 21
    assert overall["distribution"] == {"1": 1, "2": 1, "3": 1, "4": 12, "5": 6}
    # Σ value × count / n of the distribution.
    weighted = sum(int(v) * c for v, c in overall["distribution"].items())
    assert overall["mean"] == pytest.approx(weighted / overall["n"])
    assert overall["groups"] == [
        {"name": "Nord", "n": None, "mean": None, "suppressed": True},
        {"name": "Ost", "n": 12, "mean": 4.0, "suppressed": False},
        {"name": "Süd", "n": None, "mean": None, "suppressed": True},
    ]


def test_without_a_wave_the_open_wave_answers_without_any_figure(
    survey_with_two_waves, viewer, musterstadt, token_client
):
    survey = survey_with_two_waves
    body = token_client(viewer, musterstadt).get(f"{API}/surveys/{survey.pk}/results/").json()
    assert body["wave"] == 2 and body["responses"] == 10
    for question in body["questions"]:
        assert question["suppressed"] is True
        assert question["n"] is None and question["mean"] is None
        assert question["distribution"] is None
        assert all(group["suppressed"] for group in question["groups"])


def test_a_bad_wave_number_is_named_in_german_and_an_unknown_one_is_404(
    survey_with_two_waves, viewer, musterstadt, token_client
):
    client = token_client(viewer, musterstadt)
    url = f"{API}/surveys/{survey_with_two_waves.pk}/results/"
    bad = client.get(url + "?wave=abc")
    assert bad.status_code == 400 and "Welle" in bad.json()["wave"][0]
    assert client.get(url + "?wave=0").status_code == 400
    assert client.get(url + "?wave=3").status_code == 404


def test_the_results_of_another_municipality_are_not_found(
    survey_with_two_waves, other_town_admin, other_town, token_client
):
    client = token_client(other_town_admin, other_town)
    response = client.get(f"{API}/surveys/{survey_with_two_waves.pk}/results/?wave=1")
    assert response.status_code == 404
