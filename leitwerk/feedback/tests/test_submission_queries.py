"""A citizen's answer sheet is stored with a fixed, small number of statements (issue 21)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leitwerk.feedback import selectors
from leitwerk.feedback.models import Answer, Response
from leitwerk.feedback.tests.factories import LocationFactory, make_open_survey


def _post(client, survey):
    url = reverse("feedback_public:detail", args=[survey.municipality.slug, survey.pk])
    token = client.get(url).context["form"]["token"].value()
    data = {"token": token, "website": ""}
    data.update({f"q_{q.pk}": "4" for q in survey.questions.filter(kind="scale5")})
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data)
    return response, [q["sql"] for q in ctx.captured_queries]


def test_a_sheet_is_stored_without_a_counter_update_or_a_second_read(client, musterstadt):
    survey = make_open_survey(musterstadt, locations=[LocationFactory(municipality=musterstadt)])
    first, _ = _post(client, survey)
    assert first.status_code == 200
    second, statements = _post(client, survey)
    assert second.status_code == 200 and "Vielen Dank" in second.content.decode()
    assert Response.objects.filter(municipality=musterstadt).count() == 2
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    # One sheet, its answers: no UPDATE of a counter row, nothing else written.
    assert len(writes) == 2 and all(s.lstrip().upper().startswith("INSERT") for s in writes)
    # The survey with its municipality, the open wave, the wave's questions (one query with
    # the wave's choice marked); the survey's locations are not loaded for a POST.
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) <= 3, reads
    assert not any('"feedback_location"' in s for s in reads)


def test_the_number_of_sheets_is_counted_from_the_rows(client, musterstadt):
    survey = make_open_survey(musterstadt)
    for _ in range(3):
        _post(client, survey)
    wave = survey.waves.get()
    assert selectors.wave_response_count(wave) == 3
    assert Answer.objects.filter(response__wave=wave).exists()
