"""The staff pulse a team will answer: one page per guideline section, back and next without
JavaScript, answers kept on the server under the one-time code, required questions marked,
and never listed among the public surveys."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from leitwerk.feedback import services
from leitwerk.feedback.models import Answer, AnswerDraft, Response, SurveyCode
from leitwerk.feedback.tests.factories import make_open_survey
from leitwerk.feedback.tests.pulse_helpers import DAY, SECTIONS, make_pulse

pytestmark = pytest.mark.django_db


def _url(survey):
    return reverse("feedback_public:detail", args=["musterstadt", survey.pk])


def _post(client, survey, page, code, aktion, answers=None):
    data = {"token": page.context["token"], "code": code, "aktion": aktion}
    if "page" in page.context:
        data["seite"] = page.context["page"].number
    else:
        data["seite"] = 0
    data.update(answers or {})
    return client.post(_url(survey), data)


def _questions_on(page):
    return [q for q in page.context["page"].questions if q.kind == "scale5"]


@pytest.fixture
def pulse(musterstadt, editor_unit):
    survey, wave = make_pulse(musterstadt, [editor_unit])
    [code] = services.codes_generate(wave=wave, unit=editor_unit, count=1, actor=None, today=DAY)
    return survey, wave, code


def test_seven_sections_make_seven_pages_with_progress(client, pulse):
    survey, _wave, code = pulse
    start = client.get(_url(survey))
    assert "Die Befragung hat 7 Seiten" in start.content.decode()
    page = _post(client, survey, start, code, "weiter")
    html = page.content.decode()
    assert "Seite 1 von 7" in html
    assert "<h1>GEMEINSAM LERNEN</h1>" in html
    assert "Gemeinsam Lernen – Aussage 1" in html and "Gemeinsam Gesund" not in html
    assert 'value="zurueck"' not in html  # nothing to go back to on page 1
    titles = [page.context["page"].title]
    for _ in range(6):
        answers = {f"q_{q.pk}": "3" for q in _questions_on(page)}
        page = _post(client, survey, page, code, "weiter", answers)
        titles.append(page.context["page"].title)
    assert titles == SECTIONS
    assert "Seite 7 von 7" in page.content.decode()
    assert "Antworten abschicken" in page.content.decode()
    # The closing free-text question sits on the last page.
    assert "Was sollten wir in unserem Team besprechen?" in page.content.decode()


def test_answers_are_kept_when_going_back_and_forth(client, pulse):
    survey, _wave, code = pulse
    page = _post(client, survey, client.get(_url(survey)), code, "weiter")
    first = _questions_on(page)
    page = _post(client, survey, page, code, "weiter", {f"q_{first[0].pk}": "5"})
    second = _questions_on(page)
    page = _post(client, survey, page, code, "zurueck", {f"q_{second[0].pk}": "2"})
    assert page.context["page"].number == 1
    assert page.context["form"][f"q_{first[0].pk}"].value() == "5"
    assert f'value="5" id="id_q_{first[0].pk}_4" checked' in page.content.decode()
    page = _post(client, survey, page, code, "weiter", {f"q_{first[0].pk}": "5"})
    assert page.context["page"].number == 2
    assert page.context["form"][f"q_{second[0].pk}"].value() == "2"


def test_a_started_pulse_continues_with_the_same_code_on_another_day(client, pulse):
    survey, _wave, code = pulse
    page = _post(client, survey, client.get(_url(survey)), code, "weiter")
    first = _questions_on(page)[0]
    _post(client, survey, page, code, "weiter", {f"q_{first.pk}": "4"})
    other_device = client.__class__()
    again = _post(other_device, survey, other_device.get(_url(survey)), code, "weiter")
    assert again.context["form"][f"q_{first.pk}"].value() == "4"


def test_submitting_the_last_page_stores_one_sheet_and_deletes_the_draft(client, pulse):
    survey, wave, code = pulse
    page = _post(client, survey, client.get(_url(survey)), code, "weiter")
    rated = 0
    while not page.context["page"].is_last:
        answers = {f"q_{q.pk}": "4" for q in _questions_on(page)}
        rated += len(answers)
        page = _post(client, survey, page, code, "weiter", answers)
    assert AnswerDraft.objects.filter(wave=wave).count() == 1
    last = {f"q_{q.pk}": "2" for q in _questions_on(page)}
    done = _post(client, survey, page, code, "abschicken", last)
    assert "Vielen Dank" in done.content.decode()
    assert Response.objects.filter(wave=wave).count() == 1
    assert Answer.objects.filter(value=4).count() == rated
    assert Answer.objects.filter(value=2).count() == len(last)
    assert not AnswerDraft.objects.exists()
    assert not SurveyCode.objects.exists()  # a used code is gone, not marked
    assert set(client.cookies.keys()) <= {"csrftoken"}


def test_the_draft_is_keyed_by_the_code_but_shares_no_value_with_the_code_row(client, pulse):
    survey, _wave, code = pulse
    _post(client, survey, client.get(_url(survey)), code, "weiter")
    draft = AnswerDraft.objects.get()
    code_row = SurveyCode.objects.get()
    assert draft.key != code_row.code_hash
    assert code not in draft.key and code.replace("-", "") not in draft.key


def test_a_used_or_unknown_code_cannot_open_the_pages(client, pulse):
    survey, _wave, code = pulse
    bad = _post(client, survey, client.get(_url(survey)), "AAAAA-BBBBB", "weiter")
    assert bad.status_code == 400
    assert "nicht gültig" in bad.content.decode()
    SurveyCode.objects.all().delete()  # what answering does with the code
    used = _post(client, survey, client.get(_url(survey)), code, "weiter")
    assert used.status_code == 400
    assert "bereits verwendet" in used.content.decode()
    assert not AnswerDraft.objects.exists()


def test_a_required_question_is_marked_and_next_asks_for_it(client, musterstadt, editor_unit):
    survey, wave = make_pulse(musterstadt, [editor_unit], sections=["A", "B"], per_section=1)
    first = survey.questions.get(text__contains="A – Aussage 1")
    first.required = True
    first.save()
    [code] = services.codes_generate(wave=wave, unit=editor_unit, count=1, actor=None, today=DAY)
    page = _post(client, survey, client.get(_url(survey)), code, "weiter")
    html = page.content.decode()
    assert "(Pflichtfrage)" in html
    assert 'role="radiogroup" aria-required="true"' in html
    assert f'name="q_{first.pk}" value="1" required' in html
    refused = _post(client, survey, page, code, "weiter")
    assert refused.status_code == 400
    assert refused.context["page"].number == 1
    assert "Das ist eine Pflichtfrage" in refused.content.decode()


def test_required_citizen_question_is_marked_pflichtfrage(client, musterstadt):
    survey = make_open_survey(musterstadt)
    overall = survey.questions.get(core_key="overall")
    overall.required = True
    overall.save()
    html = client.get(_url(survey)).content.decode()
    legend = html.split("Wie zufrieden sind Sie insgesamt mit unserer Leistung?")[1][:80]
    assert "(Pflichtfrage)" in legend
    assert html.count("(Pflichtfrage)") == 1


def test_the_internal_pulse_is_not_listed_for_citizens_but_reachable_by_link(client, pulse):
    survey, _wave, _code = pulse
    make_open_survey(pulse[0].municipality, title="Bürgeramt Mitte")
    listing = client.get(reverse("feedback_public:list", args=["musterstadt"]))
    html = listing.content.decode()
    assert "Bürgeramt Mitte" in html
    assert survey.title not in html
    assert client.get(_url(survey)).status_code == 200


def test_expired_drafts_go_with_the_daily_purge_and_all_drafts_when_the_wave_closes(client, pulse):
    survey, wave, code = pulse
    _post(client, survey, client.get(_url(survey)), code, "weiter")
    draft = AnswerDraft.objects.get()
    services.feedback_purge_expired(today=draft.expires_on)
    assert AnswerDraft.objects.count() == 1
    result = services.feedback_purge_expired(today=draft.expires_on + dt.timedelta(days=1))
    assert result.drafts == 1 and not AnswerDraft.objects.exists()
    _post(client, survey, client.get(_url(survey)), code, "weiter")
    services.wave_close(wave=wave, actor=None, today=DAY)
    assert not AnswerDraft.objects.exists()
