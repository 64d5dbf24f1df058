"""Pages: public answering without JavaScript, results through the k-filter (F3, F5, F6),
no participation view for supervisors (F9), codes, QR codes, inbox, tenant isolation."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.feedback import selectors, services
from leitwerk.feedback.models import Answer, Response, Survey, SurveyKind
from leitwerk.feedback.tests.factories import LocationFactory, make_open_survey
from leitwerk.feedback.tests.helpers import (
    DAY,
    answer_coded,
    answer_many,
    close,
    question,
    with_codes,
)
from leitwerk.municipalities.models import Role
from leitwerk.municipalities.tests.factories import MembershipFactory, OrganisationalUnitFactory

pytestmark = pytest.mark.django_db

# The forms of the survey page, each posting to its own URL.
SURVEY_ACTIONS = [
    "survey_question_add",
    "survey_wave_open",
    "survey_wave_close",
    "survey_schedule",
    "survey_binding_add",
]


def _numbers_in_table_cells(html: str) -> list[int]:
    """Every integer shown in a numeric table cell (the figure before any percentage)."""
    cells = re.findall(r'<td class="num">(\d+)(?:\s*<span class="meta">|</td>)', html)
    return [int(c) for c in cells]


# --------------------------------------------------------------------------- public


def test_citizen_answers_on_a_phone_without_javascript(client, musterstadt):
    nord = LocationFactory(municipality=musterstadt, name="Bürgeramt Nord")
    survey = make_open_survey(musterstadt, locations=[nord])
    listing = client.get(reverse("feedback_public:list", args=["musterstadt"]))
    assert survey.title in listing.content.decode()
    url = reverse("feedback_public:detail", args=["musterstadt", survey.pk])
    page = client.get(url + f"?standort={nord.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script" not in html
    assert 'name="viewport" content="width=device-width' in html
    assert re.search(r"https?://(?!testserver)", html.replace("http://testserver", "")) is None
    assert "freiwillig" in html.lower()
    data = {"token": page.context["form"]["token"].value(), "standort": str(nord.pk)}
    data[f"q_{question(survey, 'overall').pk}"] = "4"
    data[f"q_{question(survey, 'waiting').pk}"] = "1"
    done = client.post(url, data)
    assert done.status_code == 200
    assert "Vielen Dank" in done.content.decode()
    response = Response.objects.get()
    assert response.location == nord
    assert set(done.cookies.keys()) <= {"csrftoken"}


def test_the_first_answer_to_an_open_survey_without_a_wave_opens_one(client, musterstadt):
    """The demo's open online survey has no wave yet; answering it answered 500 (A6 guard)."""
    survey = make_open_survey(musterstadt)
    survey.waves.all().delete()
    url = reverse("feedback_public:detail", args=["musterstadt", survey.pk])
    page = client.get(url)
    data = {"token": page.context["form"]["token"].value()}
    data[f"q_{question(survey, 'overall').pk}"] = "4"
    data[f"q_{question(survey, 'waiting').pk}"] = "1"
    done = client.post(url, data)
    assert done.status_code == 200 and "Vielen Dank" in done.content.decode()
    assert survey.waves.count() == 1


def test_expired_or_forged_form_token_is_refused(client, musterstadt):
    survey = make_open_survey(musterstadt)
    url = reverse("feedback_public:detail", args=["musterstadt", survey.pk])
    answer = {f"q_{question(survey, 'overall').pk}": "4"}
    forged = client.post(url, {"token": "1:abc:def", **answer})
    assert forged.status_code == 400
    assert "abgelaufen" in forged.content.decode()
    assert Response.objects.count() == 0


def test_rate_limit_counts_per_survey_without_addresses(client, musterstadt, settings):
    settings.FEEDBACK_SUBMISSIONS_PER_MINUTE = 2
    survey = make_open_survey(musterstadt)
    url = reverse("feedback_public:detail", args=["musterstadt", survey.pk])
    answer = {f"q_{question(survey, 'overall').pk}": "5"}
    # A fresh form for each sheet: form tokens are one-time (audit M3).
    codes = [
        client.post(url, {"token": client.get(url).context["token"], **answer}).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    assert Response.objects.count() == 2


def test_draft_survey_shows_a_friendly_closed_page(client, musterstadt):
    survey = services.survey_create(municipality=musterstadt, actor=None, title="Entwurf X")
    page = client.get(reverse("feedback_public:detail", args=["musterstadt", survey.pk]))
    assert page.status_code == 200
    assert "nicht geöffnet" in page.content.decode()
    assert "Entwurf X" not in page.content.decode()


def test_public_suggestion_form(client, musterstadt):
    url = reverse("feedback_suggestions:form", args=["musterstadt"])
    page = client.get(url)
    assert "<script" not in page.content.decode()
    done = client.post(
        url,
        {
            "token": page.context["form"]["token"].value(),
            "category": "Beschwerde",
            "text": "Die Wartezeit war zu lang.",
        },
    )
    assert done.status_code == 200
    assert "antworten bis spätestens" in done.content.decode()


@pytest.mark.parametrize("which", ["suggestion", "survey"])
def test_honeypot_field_is_no_tab_stop(client, musterstadt, which):
    if which == "suggestion":
        url = reverse("feedback_suggestions:form", args=["musterstadt"])
    else:
        survey = make_open_survey(musterstadt)
        url = reverse("feedback_public:detail", args=["musterstadt", survey.pk])
    html = client.get(url).content.decode()
    trap = re.search(r'<div class="trap" aria-hidden="true">.*?</div>', html, re.S)
    assert trap, "Honigtopf-Feld fehlt"
    field = re.search(r'<input[^>]*name="website"[^>]*>', trap.group(0))
    assert field
    assert 'tabindex="-1"' in field.group(0)
    assert 'autocomplete="off"' in field.group(0)


def test_public_pages_of_another_municipality_404(client, musterstadt, other_town):
    foreign = make_open_survey(other_town, title="Fremde Umfrage")
    assert (
        client.get(reverse("feedback_public:detail", args=["musterstadt", foreign.pk])).status_code
        == 404
    )
    assert client.get(reverse("feedback_public:list", args=["gibtsnicht"])).status_code == 404


# --------------------------------------------------------------------------- results


def _row_of(html: str, label: str) -> str:
    """The first table row whose header is `label`."""
    match = re.search(rf'<th scope="row">{label}</th>(.*?)</tr>', html, re.S)
    assert match, label
    return match.group(1)


def test_results_never_show_a_group_below_k(musterstadt, viewer, client_for):
    """Catalogue row F3, issue 17: the group, not the cell, is the protected unit."""
    nord = LocationFactory(municipality=musterstadt, name="Nord")
    ost = LocationFactory(municipality=musterstadt, name="Ost")
    sued = LocationFactory(municipality=musterstadt, name="Süd")
    survey = with_codes(make_open_survey(musterstadt, locations=[nord, ost, sued]))
    answer_coded(survey, [5] * 9 + [4] * 8 + [1] * 2, location_id=nord.pk)
    answer_coded(survey, [3] * 12 + [2] * 6, location_id=ost.pk)
    answer_coded(survey, [1, 2, 3], location_id=sued.pk)  # a group of 3
    close(survey)
    page = client_for(viewer).get(reverse("feedback:survey_results", args=[survey.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    # Nord (19) in full: the option chosen twice is shown, with its share.
    nord_row = _row_of(html[html.index("Verteilung der Antworten") :], "Nord")
    assert '<td class="num">2 <span class="meta">(11&nbsp;%)</span>' in nord_row
    assert "4,16" in nord_row  # (9×5 + 8×4 + 2×1) / 19
    # Süd (3) shows nothing; Ost (18) is hidden too, or Süd would be "all minus Nord minus Ost".
    for label in ("Süd", "Ost"):
        assert "weniger als 5 Antworten" in _row_of(html[html.index("Verteilung") :], label)
    assert "2,00" not in html  # Süd's mean


def test_filter_bypass_through_parameters_is_not_possible(musterstadt, viewer, client_for):
    """Catalogue row F5."""
    survey = make_open_survey(musterstadt)
    answer_many(survey, [1, 2])
    client = client_for(viewer)
    base = reverse("feedback:survey_results", args=[survey.pk])
    for query in ["?standort=1", "?gruppe=x&k=1", "?welle=99999", "?welle=abc", "?k=0"]:
        response = client.get(base + query)
        assert response.status_code in (200, 404), query
        if response.status_code == 200:
            assert all(n == 0 or n >= 5 for n in _numbers_in_table_cells(response.content.decode()))


def test_free_text_only_for_groups_of_k_and_authorised_roles(
    musterstadt, strategy_user, viewer, client_for
):
    """Catalogue row F6."""
    big = LocationFactory(municipality=musterstadt, name="Groß")
    medium = LocationFactory(municipality=musterstadt, name="Mittel")
    small = LocationFactory(municipality=musterstadt, name="Klein")
    survey = with_codes(make_open_survey(musterstadt, locations=[big, medium, small]))
    answer_coded(survey, [4] * 20, location_id=big.pk, text="TEXT-GROSSE-GRUPPE")
    # Hidden as the complement of the small group: its size would give the small one away.
    answer_coded(survey, [3] * 12, location_id=medium.pk, text="TEXT-MITTLERE-GRUPPE")
    answer_coded(survey, [2] * 2, location_id=small.pk, text="TEXT-KLEINE-GRUPPE")
    url = reverse("feedback:survey_results", args=[survey.pk])
    running = client_for(strategy_user).get(url).content.decode()
    assert "TEXT-GROSSE-GRUPPE" not in running  # nothing while the wave runs
    close(survey)
    as_strategy = client_for(strategy_user).get(url).content.decode()
    assert "TEXT-GROSSE-GRUPPE" in as_strategy
    assert "TEXT-KLEINE-GRUPPE" not in as_strategy
    assert "TEXT-MITTLERE-GRUPPE" not in as_strategy
    assert "Freitexte aus zu kleinen Gruppen" in as_strategy
    as_viewer = client_for(viewer).get(url).content.decode()
    assert "TEXT-GROSSE-GRUPPE" not in as_viewer


def test_supervisors_cannot_see_participation(musterstadt, editor_unit, client_for, admin_user):
    """Catalogue row F9."""
    dept_head = UserFactory(email="leitung@musterstadt.test")
    MembershipFactory(
        user=dept_head, municipality=musterstadt, role=Role.UNIT_EDITOR, unit=editor_unit
    )
    team_b = OrganisationalUnitFactory(municipality=musterstadt, name="Team B")
    team_c = OrganisationalUnitFactory(municipality=musterstadt, name="Team C")
    survey = services.survey_create(
        municipality=musterstadt,
        actor=admin_user,
        title="Puls",
        kind=SurveyKind.STAFF_PULSE,
        units=[editor_unit, team_b, team_c],
    )
    services.question_add(survey=survey, actor=admin_user, text="Wie geht es?", kind="scale5")
    wave = services.wave_open(survey=survey, actor=admin_user, label="2026", today=DAY)
    codes_a = services.codes_generate(wave=wave, unit=editor_unit, count=10, actor=None, today=DAY)
    codes_b = services.codes_generate(wave=wave, unit=team_b, count=10, actor=None, today=DAY)
    codes_c = services.codes_generate(wave=wave, unit=team_c, count=10, actor=None, today=DAY)
    q = survey.questions.get()
    for code in codes_a[:8]:
        services.response_submit(survey=survey, answers={q.pk: 4}, today=DAY, code=code)
    for code in codes_b[:3]:
        services.response_submit(survey=survey, answers={q.pk: 2}, today=DAY, code=code)
    for code in codes_c[:7]:
        services.response_submit(survey=survey, answers={q.pk: 3}, today=DAY, code=code)

    client = client_for(dept_head)
    # No page lists codes or who used them; the code page refuses to make new ones.
    codes_page = client.get(reverse("feedback:survey_codes", args=[survey.pk]))
    assert not any(c in codes_page.content.decode() for c in codes_a + codes_b + codes_c)
    # The survey is visible to them, making codes is not their action: 403.
    assert (
        client.post(reverse("feedback:survey_codes", args=[survey.pk]), {"count": 5}).status_code
        == 403
    )
    for url in ["/admin/feedback/surveycode/", "/admin/feedback/response/"]:
        assert client.get(url).status_code in (302, 403, 404)
    # While the wave runs: no count, no rate per team (a supervisor could time them).
    html = client.get(reverse("feedback:survey_results", args=[survey.pk])).content.decode()
    assert "&nbsp;%" not in html
    assert _numbers_in_table_cells(html) == []
    # After the close (the codes are deleted; the rate comes from the kept counts): the rate
    # only where the unit's count is published: Team A (8 of 10); not Team B (3 < k) nor
    # Team C (7, hidden so that B cannot be computed from the total).
    services.wave_close(wave=wave, actor=admin_user, today=DAY)
    closed = client.get(reverse("feedback:survey_results", args=[survey.pk])).content.decode()
    assert "80&nbsp;%" in closed
    assert "30&nbsp;%" not in closed and "70&nbsp;%" not in closed


# --------------------------------------------------------------------------- internal pages


def test_strategy_builds_a_survey_without_javascript(musterstadt, strategy_user, client_for):
    nord = LocationFactory(municipality=musterstadt, name="Nord")
    client = client_for(strategy_user)
    assert client.get(reverse("feedback:list")).status_code == 200
    created = client.post(
        reverse("feedback:survey_create"),
        {"title": "Meldeamt", "kind": "citizen", "locations": [nord.pk]},
    )
    assert created.status_code == 302
    detail_url = created["Location"]
    survey = Survey.objects.get(title="Meldeamt")
    page = client.get(detail_url).content.decode()
    add_url = reverse("feedback:survey_question_add", args=[survey.pk])
    assert f'action="{add_url}"' in page  # each form posts to its own URL
    added = client.post(
        add_url,
        {
            "question-text": "Wie freundlich waren wir?",
            "question-kind": "single",
            "question-choices": "sehr\nes ging\ngar nicht",
        },
    )
    assert added.status_code == 302 and added["Location"] == detail_url
    opened = client.post(
        reverse("feedback:survey_wave_open", args=[survey.pk]), {"wave-label": "2026"}
    )
    assert opened.status_code == 302 and opened["Location"] == detail_url
    page = client.get(detail_url).content.decode()
    assert "Wie freundlich waren wir?" in page
    assert "abschließen" in page
    closed = client.post(reverse("feedback:survey_wave_close", args=[survey.pk]))
    assert closed.status_code == 302 and closed["Location"] == detail_url
    assert "Die Welle ist abgeschlossen." in client.get(detail_url).content.decode()


def test_survey_forms_take_only_post_and_only_from_those_who_manage_surveys(
    musterstadt, strategy_user, viewer, client_for
):
    survey = make_open_survey(musterstadt)
    manager, reader = client_for(strategy_user), client_for(viewer)
    detail = reverse("feedback:survey_detail", args=[survey.pk])
    assert manager.post(detail, {"action": "close_wave"}).status_code == 405
    assert "abschließen" not in reader.get(detail).content.decode()  # no forms for readers
    for name in SURVEY_ACTIONS:
        url = reverse(f"feedback:{name}", args=[survey.pk])
        assert manager.get(url).status_code == 405, name
        # The survey is visible to readers; managing it is not their action: 403.
        assert reader.post(url, {"wave-label": "x"}).status_code == 403, name
    assert survey.waves.get().status == "open"


def test_a_refused_survey_form_shows_the_page_again_with_the_form_and_400(
    musterstadt, strategy_user, client_for
):
    survey = services.survey_create(
        municipality=musterstadt, actor=None, title="Meldeamt", with_core_questions=False
    )
    client = client_for(strategy_user)
    # Invalid input: the bound form comes back, its <details> open, nothing is stored.
    empty = client.post(
        reverse("feedback:survey_question_add", args=[survey.pk]), {"question-kind": "scale5"}
    )
    assert empty.status_code == 400
    assert empty.context["question_form"].errors
    assert '<details class="card" open>' in empty.content.decode()
    assert not survey.questions.exists()
    # Refused by the service: the same page with the service's message.
    no_questions = client.post(
        reverse("feedback:survey_wave_open", args=[survey.pk]), {"wave-label": "2026"}
    )
    assert no_questions.status_code == 400
    assert "Die Umfrage hat noch keine Fragen." in no_questions.content.decode()
    assert no_questions.context["wave_form"]["label"].value() == "2026"
    services.question_add(survey=survey, actor=None, text="Wie war es?", kind="scale5")
    services.wave_open(survey=survey, actor=None, label="2026", today=DAY)
    late = client.post(
        reverse("feedback:survey_question_add", args=[survey.pk]),
        {"question-text": "Noch eine?", "question-kind": "scale5"},
    )
    assert late.status_code == 400
    assert "Nach dem Start der ersten Welle" in late.content.decode()
    binding = client.post(reverse("feedback:survey_binding_add", args=[survey.pk]), {})
    assert binding.status_code == 400 and binding.context["binding_form"].errors
    from leitwerk.plans.models import IndicatorKind
    from leitwerk.plans.tests.factories import IndicatorFactory

    indicator: Any = IndicatorFactory(municipality=musterstadt, kind=IndicatorKind.SURVEY)
    no_scale = client.post(
        reverse("feedback:survey_binding_add", args=[survey.pk]),
        {"binding-indicator": indicator.pk, "binding-measure": "mean"},
    )
    assert no_scale.status_code == 400
    assert "Bitte eine Frage mit Skala wählen." in no_scale.content.decode()
    assert not survey.indicator_bindings.exists()


def test_closing_without_a_running_wave_answers_409_with_a_message(
    musterstadt, strategy_user, client_for
):
    survey = make_open_survey(musterstadt)
    client = client_for(strategy_user)
    close = reverse("feedback:survey_wave_close", args=[survey.pk])
    assert client.post(close).status_code == 302
    again = client.post(close)  # e.g. the button sent twice
    assert again.status_code == 409
    assert "Es läuft gerade keine Welle." in again.content.decode()


def test_indicator_linked_on_the_survey_page_gets_its_value_when_the_wave_closes(
    musterstadt, strategy_user, client_for
):
    from leitwerk.plans.models import IndicatorKind, Measurement
    from leitwerk.plans.tests.factories import IndicatorFactory

    nord: Any = LocationFactory(municipality=musterstadt, name="Bürgeramt Nord")
    ost: Any = LocationFactory(municipality=musterstadt, name="Bürgeramt Ost")
    survey = with_codes(make_open_survey(musterstadt, locations=[nord, ost]))
    fed: Any = IndicatorFactory(municipality=musterstadt, kind=IndicatorKind.SURVEY)
    starved: Any = IndicatorFactory(municipality=musterstadt, kind=IndicatorKind.SURVEY)
    client = client_for(strategy_user)
    detail = reverse("feedback:survey_detail", args=[survey.pk])
    for indicator, location in [(fed, nord), (starved, ost)]:
        linked = client.post(
            reverse("feedback:survey_binding_add", args=[survey.pk]),
            {
                "binding-indicator": indicator.pk,
                "binding-measure": "mean",
                "binding-question": question(survey, "overall").pk,
                "binding-location": location.pk,
            },
        )
        assert linked.status_code == 302 and linked["Location"] == detail
    assert "Der Indikator ist verknüpft." in client.get(detail).content.decode()
    answer_coded(survey, [4] * 10, location_id=nord.pk)  # nobody answered at Ost
    closed = client.post(reverse("feedback:survey_wave_close", args=[survey.pk]), follow=True)
    page = closed.content.decode()
    assert "1 Indikator(en) haben einen neuen Messwert." in page
    assert "1 Indikator(en) bleiben ohne Wert, weil die Gruppe zu klein ist." in page
    assert Measurement.objects.filter(indicator=fed).get().value == 4
    assert not Measurement.objects.filter(indicator=starved).exists()


def test_qr_codes_as_svg_and_png(musterstadt, strategy_user, client_for):
    survey = make_open_survey(musterstadt)
    client = client_for(strategy_user)
    svg = client.get(reverse("feedback:survey_qr_svg", args=[survey.pk]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    png = client.get(reverse("feedback:survey_qr_png", args=[survey.pk]))
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")


def test_code_sheet_is_printed_once_and_not_cached(
    musterstadt, strategy_user, editor_unit, client_for
):
    survey = services.survey_create(
        municipality=musterstadt,
        actor=None,
        title="Puls",
        kind=SurveyKind.STAFF_PULSE,
        units=[editor_unit],
    )
    services.question_add(survey=survey, actor=None, text="Wie geht es?", kind="scale5")
    services.wave_open(survey=survey, actor=None, label="2026", today=DAY)
    client = client_for(strategy_user)
    sheet = client.post(
        reverse("feedback:survey_codes", args=[survey.pk]), {"unit": editor_unit.pk, "count": 3}
    )
    assert sheet.status_code == 200
    assert "no-store" in sheet["Cache-Control"]
    codes = re.findall(r'<span class="code">([A-Z0-9-]+)</span>', sheet.content.decode())
    assert len(codes) == 3
    again = client.get(reverse("feedback:survey_codes", args=[survey.pk])).content.decode()
    assert not any(code in again for code in codes)


def test_inbox_shows_deadlines_and_overdue(musterstadt, strategy_user, client_for):
    services.suggestion_submit(
        municipality=musterstadt, text="Alte Beschwerde", today=dt.date(2020, 1, 1)
    )
    html = client_for(strategy_user).get(reverse("feedback:suggestion_inbox")).content.decode()
    assert "Alte Beschwerde" in html
    assert "überfällig" in html
    assert "15.01.2020" in html


def test_internal_pages_of_another_municipality_404_without_canary(
    musterstadt, other_town, strategy_user, client_for
):
    canary = "KANARIE-feedback-77"
    foreign = make_open_survey(other_town, title=canary)
    answer_many(foreign, [5] * 6, text=canary)
    suggestion = services.suggestion_submit(municipality=other_town, text=canary, today=DAY)
    client = client_for(strategy_user)
    urls = [
        reverse(f"feedback:{name}", args=[foreign.pk])
        for name in [
            "survey_detail",
            "survey_results",
            "survey_qr_svg",
            "survey_qr_png",
            "survey_codes",
            *SURVEY_ACTIONS,
        ]
    ]
    for url in [*urls, reverse("feedback:suggestion_detail", args=[suggestion.pk])]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert canary not in response.content.decode(errors="replace")
        # The survey page itself takes no POST any more: its forms have their own URLs.
        posted = client.post(url, {})
        assert posted.status_code == (405 if url == urls[0] else 404), url
        assert canary not in posted.content.decode(errors="replace")
    for url in [reverse("feedback:list"), reverse("feedback:suggestion_inbox")]:
        assert canary not in client.get(url).content.decode()


def test_pulse_results_name_the_lowest_rated_statements_per_team(
    musterstadt, editor_unit, strategy_user, client_for
):
    from leitwerk.guidelines.tests.factories import (
        GuidelineDocumentFactory,
        GuidelineSectionFactory,
        StatementFactory,
    )

    doc: Any = GuidelineDocumentFactory(municipality=musterstadt)
    section = GuidelineSectionFactory(municipality=musterstadt, document=doc)
    for text in ["Ich spreche Probleme offen an.", "Wir feiern Erfolge.", "Ich priorisiere."]:
        StatementFactory(municipality=musterstadt, section=section, kind="ich", text=text)
    survey = services.pulse_survey_create(guideline=doc, units=[editor_unit], actor=None)
    wave = services.wave_open(survey=survey, actor=None, label="2026", today=DAY)
    codes = services.codes_generate(wave=wave, unit=editor_unit, count=8, actor=None, today=DAY)
    open_q, celebrate_q, prio_q = list(survey.questions.filter(statement__isnull=False))
    for code in codes:
        services.response_submit(
            survey=survey,
            answers={open_q.pk: 2, celebrate_q.pk: 5, prio_q.pk: 3},
            today=DAY,
            code=code,
        )
    services.wave_close(wave=wave, actor=None, today=DAY)
    html = (
        client_for(strategy_user)
        .get(reverse("feedback:survey_results", args=[survey.pk]))
        .content.decode()
    )
    assert "Gesprächsanlass im Team" in html
    start = html.index("Gesprächsanlass im Team")
    dialogue = html[start : html.index("</ol>", start)]
    assert dialogue.index("Probleme offen") < dialogue.index("priorisiere")


def test_export_hides_the_same_groups_as_the_page(musterstadt, strategy_user, client_for):
    """Catalogue row F3: the CSV follows the same rule as the page."""
    nord = LocationFactory(municipality=musterstadt, name="Nord")
    sued = LocationFactory(municipality=musterstadt, name="Süd")
    ost = LocationFactory(municipality=musterstadt, name="Ost")
    survey = with_codes(make_open_survey(musterstadt, locations=[nord, sued, ost]))
    answer_coded(survey, [5] * 10 + [1] * 2, location_id=nord.pk, text="FREITEXT-EXPORT")
    answer_coded(survey, [4] * 9, location_id=sued.pk)
    answer_coded(survey, [3] * 3, location_id=ost.pk)
    close(survey)
    client = client_for(strategy_user)
    csv_text = client.get(reverse("feedback:survey_results_csv", args=[survey.pk])).content.decode(
        "utf-8-sig"
    )
    overall = [line.split(";") for line in csv_text.splitlines() if "insgesamt" in line]
    by_group: dict[str, list[str]] = {}
    for _wave, _question, group, column, value in overall:
        by_group.setdefault(group, []).append(f"{column}={value}")
    assert by_group["Ost"] == ["Antwortbögen=weniger als 5 Antworten"]
    assert by_group["Süd"] == ["Antwortbögen=weniger als 5 Antworten"]  # covers Ost
    assert "Antwortbögen=12" in by_group["Nord"] and "1 (gar nicht zufrieden)=2" in by_group["Nord"]
    assert "Mittelwert=4,33" in by_group["Nord"]
    assert "Antwortbögen=24" in by_group["Alle"]
    assert "FREITEXT-EXPORT" not in csv_text


def _csv_values(response) -> list[str]:
    return [line.rsplit(";", 1)[-1] for line in response.content.decode("utf-8-sig").splitlines()]


def test_export_ignores_filter_parameters_the_ui_does_not_offer(musterstadt, viewer, client_for):
    """Catalogue row F5."""
    nord = LocationFactory(municipality=musterstadt, name="Nord")
    klein = LocationFactory(municipality=musterstadt, name="Klein")
    survey = with_codes(make_open_survey(musterstadt, locations=[nord, klein]))
    answer_coded(survey, [4] * 9, location_id=nord.pk)
    answer_coded(survey, [1, 2], location_id=klein.pk)
    close(survey)
    client = client_for(viewer)
    base = reverse("feedback:survey_results_csv", args=[survey.pk])
    plain = client.get(base).content
    for query in [
        f"?standort={klein.pk}",
        "?gruppe=x&k=1",
        "?k=0&min_group_size=1",
        f"?standort={klein.pk}&frage={question(survey, 'overall').pk}",
        "?welle=",
    ]:
        response = client.get(base + query)
        assert response.status_code == 200, query
        assert response.content == plain, query
    # Nord (9) alone with Klein (2) would give Klein away as "all minus Nord": both hidden.
    assert "Nord;Antwortbögen;weniger als 5 Antworten" in plain.decode("utf-8-sig")
    assert client.get(base + "?welle=99999").status_code == 404
    assert client.get(base + "?welle=abc").status_code == 404


def test_export_neutralises_cells_that_look_like_formulas(musterstadt, strategy_user, client_for):
    evil = LocationFactory(municipality=musterstadt, name='=HYPERLINK("http://x.test","Nord")')
    plus = LocationFactory(municipality=musterstadt, name="+Ost")
    survey = services.survey_create(
        municipality=musterstadt,
        actor=None,
        title="CSV",
        locations=[evil, plus],
        with_core_questions=False,
    )
    services.question_add(survey=survey, actor=None, text="@SUM(A1:A9) zufrieden?", kind="scale5")
    services.question_add(survey=survey, actor=None, text="-1+1 gut?", kind="yes_no")
    wave = services.wave_open(survey=survey, actor=None, label="=1+1", today=DAY)
    scale, yes_no = list(survey.questions.order_by("order"))
    for loc in (evil, plus):
        for _ in range(6):
            services.response_submit(
                survey=survey, answers={scale.pk: 4, yes_no.pk: 1}, today=DAY, location_id=loc.pk
            )
    services.wave_close(wave=wave, actor=None, today=DAY)
    text = (
        client_for(strategy_user)
        .get(reverse("feedback:survey_results_csv", args=[survey.pk]))
        .content.decode("utf-8-sig")
    )
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    cells = [cell for row in rows for cell in row]
    assert rows
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r", "\0")]
    assert '\'=HYPERLINK("http://x.test","Nord")' in cells
    assert "'@SUM(A1:A9) zufrieden?" in cells and "'=1+1" in cells
    assert "12" in cells  # figures stay numbers


# Text typed by staff that a spreadsheet program could run as a formula: the plain starts, and
# the ones hidden behind a control character that some programs drop before they parse.
FORMULA_LIKE_TEXTS = [
    "=1+1",
    "+1 zufrieden?",
    "-1 gut?",
    "@SUM(A1:A9)",
    "\n=1+1",
    "\x1b=1",
    "\x01=HYPERLINK(1)",
    "\t=1",
]


def test_survey_csv_download_neutralises_formula_like_text_like_the_xlsx_exports(
    musterstadt, strategy_user, client_for
):
    """C6: the survey CSV follows `core.spreadsheet`, the rule of every XLSX export."""
    from leitwerk.core.spreadsheet import is_formula_like, neutralise, xlsx_text

    survey = services.survey_create(
        municipality=musterstadt, actor=None, title="CSV", with_core_questions=False
    )
    for text in FORMULA_LIKE_TEXTS:
        services.question_add(survey=survey, actor=None, text=text, kind="scale5")
    wave = services.wave_open(survey=survey, actor=None, label="\x01=HYPERLINK(2)", today=DAY)
    questions = list(survey.questions.order_by("order"))
    for _ in range(6):
        services.response_submit(
            survey=survey, answers={q.pk: 4 for q in questions}, today=DAY, location_id=None
        )
    services.wave_close(wave=wave, actor=None, today=DAY)
    response = client_for(strategy_user).get(
        reverse("feedback:survey_results_csv", args=[survey.pk])
    )
    import csv
    import io

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))[1:]
    cells = {cell for row in rows for cell in row}
    assert rows
    assert not [cell for cell in cells if is_formula_like(cell)]
    for text in [*FORMULA_LIKE_TEXTS, "\x01=HYPERLINK(2)"]:
        assert neutralise(text) == "'" + text
        assert neutralise(text) in cells, repr(text)  # the CSV cell, as typed behind a "'"
        assert xlsx_text(text).startswith("'"), repr(text)  # the XLSX cell of the same text
    assert "6" in cells  # figures stay numbers


def test_second_submission_with_the_same_code_gets_409_and_stores_nothing(
    client, musterstadt, editor_unit
):
    """Catalogue row E4."""
    survey = services.survey_create(
        municipality=musterstadt,
        actor=None,
        title="Puls",
        kind=SurveyKind.STAFF_PULSE,
        units=[editor_unit],
    )
    services.question_add(survey=survey, actor=None, text="Wie geht es?", kind="scale5")
    wave = services.wave_open(survey=survey, actor=None, label="2026", today=DAY)
    [code] = services.codes_generate(wave=wave, unit=editor_unit, count=1, actor=None, today=DAY)
    url = reverse("feedback_public:detail", args=["musterstadt", survey.pk])
    token = client.get(url).context["form"]["token"].value()
    q = survey.questions.get()
    first = client.post(url, {"token": token, "code": code, f"q_{q.pk}": "4"})
    assert first.status_code == 200
    assert "Vielen Dank" in first.content.decode()
    token = client.get(url).context["token"]
    again = client.post(url, {"token": token, "code": code.lower(), f"q_{q.pk}": "1"})
    html = again.content.decode()
    assert again.status_code == 400
    assert "bereits verwendet" in html
    assert Response.objects.count() == 1
    assert not Answer.objects.filter(value=1).exists()
    assert selectors.wave_response_count(wave) == 1


def _post_sheet(client, survey, answers: dict[int, Any], location) -> Any:
    url = reverse("feedback_public:detail", args=["musterstadt", survey.pk])
    token = client.get(url).context["form"]["token"].value()
    data: dict[str, Any] = {"token": token, "standort": str(location.pk)}
    data.update({f"q_{pk}": value for pk, value in answers.items()})
    return client.post(url, data)


def _scale10_and_multiple_survey(musterstadt, locations):
    survey = services.survey_create(
        municipality=musterstadt,
        actor=None,
        title="Bibliothek",
        locations=locations,
        with_core_questions=False,
    )
    services.question_add(
        survey=survey, actor=None, text="Wie wahrscheinlich empfehlen Sie uns?", kind="scale10"
    )
    services.question_add(
        survey=survey,
        actor=None,
        text="Was haben Sie genutzt?",
        kind="multiple",
        choices=["Ausleihe", "Lesesaal", "WLAN"],
    )
    services.wave_open(survey=survey, actor=None, label="2026-1", today=DAY)
    scale, multiple = list(survey.questions.order_by("order"))
    return survey, scale, multiple


def test_scale_0_10_and_multiple_choice_are_answered_and_shown_only_above_k(
    client, musterstadt, viewer, client_for
):
    nord = LocationFactory(municipality=musterstadt, name="Nord")
    ost = LocationFactory(municipality=musterstadt, name="Ost")
    klein = LocationFactory(municipality=musterstadt, name="Klein")
    survey, scale, multiple = _scale10_and_multiple_survey(musterstadt, [nord, ost, klein])
    # 0 is a real answer on the 0–10 scale, and several options may be ticked.
    first = _post_sheet(client, survey, {scale.pk: "0", multiple.pk: ["0", "2"]}, nord)
    assert first.status_code == 200 and "Vielen Dank" in first.content.decode()
    assert sorted(Answer.objects.filter(question=multiple).values_list("value", flat=True)) == [
        0,
        2,
    ]
    assert Answer.objects.get(question=scale).value == 0
    refused = _post_sheet(client, survey, {scale.pk: "11"}, nord)
    assert refused.status_code == 400
    assert Response.objects.count() == 1
    for rating in [10] * 10 + [0] * 9:
        services.response_submit(
            survey=survey,
            answers={scale.pk: rating, multiple.pk: [0]},
            today=DAY,
            location_id=nord.pk,
        )
    for rating in [8] * 8:
        services.response_submit(
            survey=survey,
            answers={scale.pk: rating, multiple.pk: [0, 1]},
            today=DAY,
            location_id=ost.pk,
        )
    for rating in [10, 0]:  # two people: must never be readable
        services.response_submit(
            survey=survey,
            answers={scale.pk: rating, multiple.pk: [1]},
            today=DAY,
            location_id=klein.pk,
        )

    url = reverse("feedback:survey_results", args=[survey.pk])
    running = client_for(viewer).get(url)
    assert [qr.total.suppressed for qr in running.context["result"].questions] == [True, True]
    services.wave_close(wave=survey.waves.get(), actor=None, today=DAY)
    page = client_for(viewer).get(url)
    html = page.content.decode()
    assert page.status_code == 200
    by_question = {qr.question.pk: qr for qr in page.context["result"].questions}
    scale_result, multiple_result = by_question[scale.pk], by_question[multiple.pk]
    assert scale_result.columns[0] == "0" and scale_result.columns[10] == "10"
    # The locations are chosen by whoever answers (no codes): no location is shown (H2) ...
    assert all(row.suppressed for row in scale_result.rows + multiple_result.rows)
    # ... but all 30 sheets together are, in full: 0 counts as a value, the mean is
    # (10×10 + 8×8 + 10) / 30 and WLAN, ticked by one person, is shown with its count.
    total = scale_result.total
    assert total is not None and total.n == 30
    assert total.counts is not None and total.counts[0] == 11 and total.counts[10] == 11
    assert total.mean == pytest.approx(174 / 30)
    assert multiple_result.columns == ["Ausleihe", "Lesesaal", "WLAN"]
    assert multiple_result.total is not None and multiple_result.total.counts == [28, 10, 1]
    assert "WLAN" in html and "weniger als 5 Antworten" in html


def test_trend_table_lists_every_wave_and_hides_small_waves(musterstadt, viewer, client_for):
    nord = LocationFactory(municipality=musterstadt, name="Nord")
    survey, scale, _multiple = _scale10_and_multiple_survey(musterstadt, [nord])
    for rating in [0] * 5 + [10] * 5:  # 0 is a value, not a skipped answer
        services.response_submit(
            survey=survey, answers={scale.pk: rating}, today=DAY, location_id=nord.pk
        )
    services.wave_close(wave=survey.waves.get(), actor=None, today=dt.date(2026, 3, 31))
    second = services.wave_open(
        survey=survey, actor=None, label="2026-2", today=dt.date(2026, 4, 1)
    )
    for rating in [9] * 6:
        services.response_submit(
            survey=survey,
            answers={scale.pk: rating},
            today=dt.date(2026, 4, 2),
            location_id=nord.pk,
        )
    services.wave_close(wave=second, actor=None, today=dt.date(2026, 6, 30))
    services.wave_open(survey=survey, actor=None, label="2026-3", today=dt.date(2026, 7, 1))
    for rating in [0, 1]:
        services.response_submit(
            survey=survey,
            answers={scale.pk: rating},
            today=dt.date(2026, 7, 2),
            location_id=nord.pk,
        )
    page = client_for(viewer).get(reverse("feedback:survey_results", args=[survey.pk]))
    html = page.content.decode()
    start = html.index('id="trend-caption"')
    trend = html[start : html.index("</table>", start)]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", trend, flags=re.S)
    assert len(rows) == 3
    assert "2026-1" in rows[0] and ">10<" in rows[0] and "5,00" in rows[0]
    assert "2026-2" in rows[1] and ">6<" in rows[1] and "9,00" in rows[1]
    # Two answers in the running wave: neither their count nor their mean is shown.
    assert "2026-3" in rows[2] and "mindestens 0" in rows[2]
    assert ">2<" not in rows[2] and "0,50" not in rows[2]
    # Each wave's row links to that wave's own results.
    first_pk = survey.waves.order_by("opened_on").first().pk
    older = client_for(viewer).get(
        reverse("feedback:survey_results", args=[survey.pk]) + f"?welle={first_pk}"
    )
    assert older.context["result"].wave.label == "2026-1"


def test_end_date_and_retention_are_set_in_the_forms(musterstadt, strategy_user, client_for):
    client = client_for(strategy_user)
    refused = client.post(
        reverse("feedback:survey_create"),
        {"title": "Kurz", "kind": "citizen", "retention_days": "3"},
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["retention_days"]
    assert 'aria-invalid="true"' in refused.content.decode()
    created = client.post(
        reverse("feedback:survey_create"),
        {
            "title": "Meldeamt",
            "kind": "citizen",
            "retention_days": "60",
            "closes_on": "2026-05-31",
        },
    )
    assert created.status_code == 302
    survey = Survey.objects.get(title="Meldeamt")
    assert survey.retention_days == 60 and survey.closes_on == dt.date(2026, 5, 31)
    detail = reverse("feedback:survey_detail", args=[survey.pk])
    schedule = reverse("feedback:survey_schedule", args=[survey.pk])
    bad = client.post(schedule, {"schedule-retention_days": "1000", "schedule-closes_on": ""})
    assert bad.status_code == 400
    assert bad.context["schedule_form"]["retention_days"].value() == "1000"  # bound, shown again
    survey.refresh_from_db()
    assert survey.retention_days == 60
    good = client.post(schedule, {"schedule-retention_days": "365", "schedule-closes_on": ""})
    assert good.status_code == 302 and good["Location"] == detail
    survey.refresh_from_db()
    assert survey.retention_days == 365 and survey.closes_on is None


def test_management_answers_403_for_visible_objects_and_404_for_foreign_ones(
    musterstadt, other_town, viewer, client_for
):
    """Issue 16/17: a reader sees the survey list, a survey and a suggestion, but may not
    build a survey or answer a suggestion (403); another town's rows stay 404."""
    from leitwerk.feedback.tests.factories import SuggestionFactory

    survey = make_open_survey(musterstadt)
    suggestion = SuggestionFactory(municipality=musterstadt)
    foreign = make_open_survey(other_town, title="Fremd")
    foreign_suggestion = SuggestionFactory(municipality=other_town)
    client = client_for(viewer)
    assert client.get(reverse("feedback:survey_create")).status_code == 403
    assert client.get(reverse("feedback:survey_detail", args=[survey.pk])).status_code == 200
    wave_close = reverse("feedback:survey_wave_close", args=[survey.pk])
    assert client.post(wave_close).status_code == 403
    detail = reverse("feedback:suggestion_detail", args=[suggestion.pk])
    assert client.get(detail).status_code == 200
    assert client.post(detail, {"answer": "x"}).status_code == 403
    assert client.post(reverse("feedback:survey_wave_close", args=[foreign.pk])).status_code == 404
    foreign_detail = reverse("feedback:suggestion_detail", args=[foreign_suggestion.pk])
    assert client.post(foreign_detail, {"answer": "x"}).status_code == 404
    assert survey.waves.get().status == "open"


def test_a_minimum_group_size_below_three_is_refused_in_the_form_with_a_german_message(
    musterstadt, strategy_user, client_for
):
    client = client_for(strategy_user)
    refused = client.post(
        reverse("feedback:survey_create"),
        {"title": "Klein", "kind": "citizen", "min_group_size": "2"},
    )
    assert refused.status_code in (200, 400)
    assert "Mindestgruppengröße: bitte mindestens 3 eintragen." in refused.content.decode()
    assert not Survey.objects.filter(title="Klein").exists()
    accepted = client.post(
        reverse("feedback:survey_create"),
        {"title": "Drei", "kind": "citizen", "min_group_size": "3"},
    )
    assert accepted.status_code == 302
    assert Survey.objects.get(title="Drei").min_group_size == 3
