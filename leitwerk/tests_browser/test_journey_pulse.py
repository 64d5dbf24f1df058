"""Journey: a staff member answers a seven-page Leitlinien-Puls on a 390 px phone without
JavaScript (issue 17): code, pages with progress, back and next with answers kept on the
server, the closing free text, and submission. Screenshots: docs/screenshots/pulse-*.png.
"""

from __future__ import annotations

import pytest

from .audit import run_axe, scroll_width_at
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SECTIONS = [
    "GEMEINSAM LERNEN",
    "GEMEINSAM GESUND",
    "GEMEINSAM VERANTWORTLICH",
    "GEMEINSAM NACHHALTIG",
    "GEMEINSAM AUF AUGENHÖHE",
    "GEMEINSAM INNOVATIV",
    "GEMEINSAM VERNETZT",
]


@pytest.fixture
def pulse():
    """A pulse over a seven-section guideline of Musterstadt, a running wave, two codes."""
    from leitwerk.feedback import services
    from leitwerk.guidelines.tests.factories import (
        GuidelineDocumentFactory,
        GuidelineSectionFactory,
        StatementFactory,
    )
    from leitwerk.municipalities.models import Municipality, OrganisationalUnit

    town = Municipality.objects.get(slug="musterstadt")
    team = OrganisationalUnit.objects.get(municipality=town, code="FB 4.1")
    doc = GuidelineDocumentFactory(municipality=town, title="Leitlinien (Puls-Reise)")
    for order, title in enumerate(SECTIONS, start=1):
        section = GuidelineSectionFactory(municipality=town, document=doc, title=title, order=order)
        for n, start in enumerate(("Wir", "Ich"), start=1):
            StatementFactory(
                municipality=town,
                section=section,
                kind="wir" if start == "Wir" else "ich",
                order=n,
                text=f"{start} {title.split()[-1].lower()} im Alltag (Aussage {n}).",
            )
    survey = services.pulse_survey_create(
        guideline=doc, units=[team], actor=None, title="Leitlinien-Puls Bürgeramt Nord"
    )
    from django.utils import timezone

    today = timezone.localdate()
    wave = services.wave_open(survey=survey, actor=None, label="Puls 2026", today=today)
    codes = services.codes_generate(wave=wave, unit=team, count=2, actor=None, today=today)
    return survey, codes


def _rate(page, value: str) -> None:
    for radio_group in page.locator("fieldset[role=radiogroup]").all():
        radio_group.locator(f"input[type=radio][value='{value}']").check()


def test_staff_member_answers_seven_pages_on_a_phone_without_javascript(new_page, pulse):
    survey, (code, second_code) = pulse
    url = f"/musterstadt/umfragen/{survey.pk}/"
    page = new_page("musterstadt-viewer", width=390, height=844, js=False)
    page.goto(url)
    assert "Die Befragung hat 7 Seiten" in page.content()
    page.get_by_label("Ihr Einmal-Code").fill(code.lower())
    screenshot(page, "pulse-01-start-390")
    page.get_by_role("button", name="Befragung beginnen").click()

    assert page.get_by_text("Seite 1 von 7").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "GEMEINSAM LERNEN"
    assert page.get_by_role("button", name="Zurück").count() == 0
    _rate(page, "4")
    page.get_by_role("button", name="Weiter").click()

    assert page.get_by_text("Seite 2 von 7").is_visible()
    _rate(page, "2")
    screenshot(page, "pulse-02-page-2-of-7-390", full_page=True)
    page.get_by_role("button", name="Weiter").click()
    assert page.get_by_text("Seite 3 von 7").is_visible()

    # Back: the answers of page 2 are still there, kept on the server under the code.
    page.get_by_role("button", name="Zurück").click()
    assert page.get_by_text("Seite 2 von 7").is_visible()
    checked = page.locator("input[type=radio]:checked")
    assert checked.count() == 2
    assert {checked.nth(i).get_attribute("value") for i in range(2)} == {"2"}
    screenshot(page, "pulse-03-back-answers-kept-390")
    page.get_by_role("button", name="Weiter").click()

    for number in range(3, 7):
        assert page.get_by_text(f"Seite {number} von 7").is_visible()
        assert page.get_by_role("heading", level=1).inner_text() == SECTIONS[number - 1]
        _rate(page, "3")
        page.get_by_role("button", name="Weiter").click()

    assert page.get_by_text("Seite 7 von 7").is_visible()
    _rate(page, "5")
    page.get_by_label("Was sollten wir in unserem Team besprechen?").fill(
        "Mehr Zeit für Einarbeitung neuer Kolleginnen und Kollegen."
    )
    screenshot(page, "pulse-04-last-page-390", full_page=True)
    page.get_by_role("button", name="Antworten abschicken").click()
    assert page.get_by_role("heading", name="Vielen Dank!").is_visible()
    screenshot(page, "pulse-05-thanks-390")

    from leitwerk.feedback.models import Answer, AnswerDraft, Response

    [sheet] = Response.objects.filter(wave__survey=survey)
    values = sorted(a.value for a in Answer.objects.filter(response=sheet) if a.value)
    assert values == [2, 2] + [3] * 8 + [4, 4] + [5, 5]
    assert Answer.objects.filter(response=sheet, text__startswith="Mehr Zeit").exists()
    assert not AnswerDraft.objects.filter(wave__survey=survey).exists()
    assert {c["name"] for c in page.context.cookies()} <= {"csrftoken", "sessionid"}

    # The same code again: refused with a plain message.
    page.goto(url)
    page.get_by_label("Ihr Einmal-Code").fill(code)
    page.get_by_role("button", name="Befragung beginnen").click()
    assert "bereits verwendet" in page.content()

    # A page of the pulse passes axe and fits 390 px (both need JavaScript to measure).
    checker = new_page("anonym", width=390, height=844)
    checker.goto(url)
    checker.get_by_label("Ihr Einmal-Code").fill(second_code)
    checker.get_by_role("button", name="Befragung beginnen").click()
    serious = [v for v in run_axe(checker) if v["impact"] in ("serious", "critical")]
    assert serious == []
    # No sideways scrolling on the phone (measured with JavaScript, too).
    width, culprits = scroll_width_at(checker, 390)
    assert width <= 390, culprits
