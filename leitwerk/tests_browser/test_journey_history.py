"""History a council can use: "Stand am", "Stand zur Sitzung", "seit der letzten Sitzung", and
the Amt balance before and after compensation. Screenshots: docs/screenshots/history-*.png.

The plan with a past is written into Musterstadt inside the test's transaction
(leitwerk/testing/history.py: 20 % and "gefährdet" in February, council session on 10 March,
milestone and 60 % in April), so the demo stays as it is for the next test.
"""

from __future__ import annotations

import re

import pytest

from leitwerk.testing.history import build_history_story

from .audit import run_axe
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def blocking(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['targets']}"
        for v in run_axe(page)
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def story(demo_server):
    from leitwerk.accounts.models import User
    from leitwerk.municipalities.models import Body, Municipality

    musterstadt = Municipality.objects.get(slug="musterstadt")
    council = Body.objects.get(municipality=musterstadt, name="Rat der Stadt Musterstadt")
    actor = User.objects.get(email="strategie@musterstadt.example")
    return build_history_story(municipality=musterstadt, body=council, actor=actor)


def test_a_council_member_reads_the_plan_as_it_was_and_what_changed_since_the_session(
    new_page, story
):
    page = new_page("musterstadt-council")
    page.goto(f"/arbeitsbereich/plaene/{story.plan.pk}/")
    page.get_by_role("link", name="Stand an einem Datum").click()
    # A past date: progress, Ampel and the owner's assessment of that day.
    page.get_by_label("Stand am").fill("2026-02-15")
    page.get_by_role("button", name="Anzeigen").first.click()
    page.wait_for_url(re.compile(r"datum=2026-02-15"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Stand am 15. Februar 2026")
    row = page.get_by_role("row", name=re.compile("Digitale Akte"))
    assert "10 % erreicht" in row.inner_text()
    assert "gefährdet" in row.inner_text()
    assert blocking(page) == []
    screenshot(page, "history-plan-stand-am", full_page=True)

    # The Vorhaben on that day: the value 20 % and the lead's report.
    page.get_by_role("link", name="Digitale Akte").click()
    body = page.locator("main").inner_text()
    assert "Anteil digitaler Akten" in body and "20 %" in body
    assert "Der Scanner-Dienstleister liefert später." in body
    assert blocking(page) == []
    screenshot(page, "history-vorhaben-stand-am", full_page=True)

    # The state at the council session, chosen from the sessions list.
    page.goto(f"/arbeitsbereich/plaene/{story.plan.pk}/stand/")
    page.get_by_label("Stand zur Sitzung").select_option("2026-03-10")
    page.get_by_role("button", name="Anzeigen").nth(1).click()
    assert "Stand am 10. März 2026" in page.get_by_role("heading", level=1).inner_text()

    # What changed since that session, up to 15 April.
    page.goto(f"/arbeitsbereich/plaene/{story.plan.pk}/")
    page.get_by_role("link", name="Was hat sich seit der letzten Sitzung geändert?").click()
    page.get_by_label("seit der Sitzung").select_option("2026-03-10")
    page.get_by_label("bis zum Datum").fill("2026-04-15")
    page.get_by_role("button", name="Vergleichen").click()
    row = page.get_by_role("row", name=re.compile("Digitale Akte"))
    text = row.inner_text()
    assert "10 % → 80 %" in text and "+70 Prozentpunkte" in text
    assert "1 neu, zuletzt 60 %" in text and "erreicht: Pilotamt angeschlossen" in text
    assert blocking(page) == []
    screenshot(page, "history-seit-der-sitzung", full_page=True)

    # The goal on the day after the session: its own value and the Vorhaben of then.
    page.goto(f"/arbeitsbereich/ziele/ziel/{story.goal.pk}/")
    page.get_by_role("link", name="Stand an einem Datum oder zu einer Sitzung").click()
    page.get_by_label("Stand am").fill("2026-04-15")
    page.get_by_role("button", name="Anzeigen").first.click()
    main = page.locator("main").inner_text()
    assert "3 Punkte" in main and "65 % erreicht" in main
    screenshot(page, "history-ziel-stand-am", full_page=True)


def test_the_amt_balance_shows_before_and_after_compensation(new_page):
    page = new_page("amt-strategy")
    page.goto("/arbeitsbereich/prioritaeten/ausgleich/")
    select = page.get_by_role("combobox", name="Mitgliedsgemeinde")
    select.select_option(index=1)
    member = select.evaluate("s => s.options[s.selectedIndex].text")
    page.get_by_role("textbox", name="Ausgleichsmaßnahme").fill(
        "Amt übernimmt den Eigenanteil Feuerwehr"
    )
    page.get_by_role("spinbutton", name="Betrag in Euro").fill("50000")
    page.get_by_role("button", name="Maßnahme eintragen").click()
    page.wait_for_url(re.compile(r"/ausgleich/$"))
    assert "Die Ausgleichsmaßnahme ist eingetragen." in page.locator("main").inner_text()
    after = page.get_by_role("table", name=re.compile("Nach Ausgleich"))
    row = after.get_by_role("row", name=re.compile(re.escape(member)))
    assert "50.000" in row.inner_text()
    assert "Amt übernimmt den Eigenanteil Feuerwehr (50.000 Euro)" in row.inner_text()
    assert page.get_by_role("table", name=re.compile("Vor Ausgleich")).is_visible()
    assert blocking(page) == []
    screenshot(page, "history-amt-bilanz-nach-ausgleich", full_page=True)
