"""Portal for everyone (issue 23): Leichte Sprache, the accessibility statement, following a
Vorhaben by e-mail and a moderated comment, in the Musterstadt demo, mostly without JavaScript.

Writes docs/screenshots/portal-*.png.
"""

from __future__ import annotations

import time

import pytest
from django.core import mail

from .audit import run_axe, scroll_width_at
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# The public forms refuse what comes back faster than a person types (portal/spam.py).
HUMAN_PAUSE = 3.2


def _blocking(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['targets']}"
        for v in run_axe(page)
        if v["impact"] in ("serious", "critical")
    ]


def _easy_vorhaben():
    from leitwerk.plans.models import Initiative

    found = (
        Initiative.objects.filter(municipality__slug="musterstadt")
        .exclude(easy_summary="")
        .visible_in_portal()
        .order_by("pk")
        .first()
    )
    assert found is not None, "Die Demo hat kein Vorhaben mit Text in Leichter Sprache"
    return found


def test_leichte_sprache_and_the_statement_are_linked_from_every_portal_page(new_page):
    citizen = new_page(js=False)
    citizen.goto("/musterstadt/vorhaben/")
    footer = citizen.locator("footer")
    for name in ("Leichte Sprache", "Gebärdensprache", "Erklärung zur Barrierefreiheit"):
        assert footer.get_by_role("link", name=name, exact=True).count() == 1, name
    footer.get_by_role("link", name="Leichte Sprache", exact=True).click()
    citizen.wait_for_url("**/musterstadt/leichte-sprache/")
    assert citizen.get_by_role("heading", level=1).inner_text() == "Leichte Sprache"
    assert citizen.get_by_role("heading", name="Wie benutze ich die Seite?").count() == 1
    screenshot(citizen, "portal-leichte-sprache", full_page=True)

    citizen.goto("/amt-musterland/leichte-sprache/")
    assert "Das ist die Internet·seite von Amt Musterland." in citizen.content()

    checked = new_page()
    for path in ("/musterstadt/leichte-sprache/", "/musterstadt/barrierefreiheit/"):
        checked.goto(path)
        assert not _blocking(checked), f"{path}: axe schwerwiegend"
        # 320 CSS px (WCAG 1.4.10) and 200 % zoom of a 1280 px window (1.4.4).
        for width in (320, 640):
            scroll, wide = scroll_width_at(checked, width)
            assert scroll <= width, (path, width, wide)


def test_the_statement_names_the_state_bodies_and_takes_a_barrier_report(new_page):
    from leitwerk.feedback.models import Suggestion, SuggestionCategory

    citizen = new_page(js=False)
    citizen.goto("/musterstadt/barrierefreiheit/")
    table = citizen.get_by_role("table", name="Zuständige Stellen im Land")
    assert table.count() == 1
    assert "Durchsetzungsstelle" in table.inner_text()
    screenshot(citizen, "portal-barrierefreiheit", full_page=True)

    citizen.get_by_role("link", name="Barriere melden").first.click()
    citizen.get_by_label("Auf welcher Seite ist die Barriere?").fill("/musterstadt/termine/")
    citizen.get_by_label("Was ist die Barriere?").fill("Der Kalender ist schwer zu bedienen.")
    time.sleep(HUMAN_PAUSE)
    citizen.get_by_role("button", name="Meldung senden").click()
    assert citizen.get_by_role("heading", level=1).inner_text() == "Danke für Ihre Meldung"
    assert Suggestion.objects.filter(
        municipality__slug="musterstadt", category=SuggestionCategory.BARRIER
    ).exists()


def test_a_follower_confirms_and_gets_a_mail_when_the_released_status_changes(
    new_page, django_capture_on_commit_callbacks
):
    from leitwerk.plans.models import InitiativeStatus
    from leitwerk.portal.models import Follow

    initiative = _easy_vorhaben()
    citizen = new_page(js=False)
    citizen.goto(f"/musterstadt/vorhaben/{initiative.pk}/")
    citizen.get_by_text("Leichte Sprache: Das Vorhaben kurz erklärt").click()  # <details>
    assert "Bürger·amt" in citizen.locator("#leichte-sprache").inner_text()
    screenshot(citizen, "portal-vorhaben-leichte-sprache")

    citizen.get_by_role("link", name="Neuigkeiten per E-Mail bekommen").click()
    citizen.get_by_label("Ihre E-Mail-Adresse").fill("anna@example.org")
    time.sleep(HUMAN_PAUSE)
    citizen.get_by_role("button", name="Anmelden").click()
    assert "Bitte bestätigen" in citizen.get_by_role("heading", level=1).inner_text()

    # The confirmation link of the mail (sent after the commit; here read from the database).
    follow = Follow.objects.get(email="anna@example.org", initiative=initiative)
    citizen.goto(f"/musterstadt/folgen/{follow.token}/bestaetigen/")
    citizen.get_by_role("button", name="Ja, ich möchte Neuigkeiten bekommen").click()
    assert citizen.get_by_role("heading", level=1).inner_text() == "Danke, Sie sind angemeldet"
    screenshot(citizen, "portal-folgen-bestaetigt")

    office = new_page("musterstadt-strategy", js=False)
    office.goto(f"/arbeitsbereich/plaene/vorhaben/{initiative.pk}/bearbeiten/")
    new_status = (
        InitiativeStatus.PAUSED
        if initiative.status != InitiativeStatus.PAUSED
        else InitiativeStatus.ACTIVE
    )
    office.locator("select[name=status]").select_option(new_status.value)
    office.get_by_role("button", name="Änderungen speichern").click()
    office.wait_for_url(f"**/arbeitsbereich/plaene/vorhaben/{initiative.pk}/")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        office.get_by_role("button", name="Für das Portal freigeben").click()
        office.wait_for_url(f"**/arbeitsbereich/plaene/vorhaben/{initiative.pk}/#freigabe")
    news = [m for m in mail.outbox if m.to == ["anna@example.org"]]
    assert len(news) == 1, [m.subject for m in mail.outbox]
    assert f"Neuer Status: {new_status.label}" in news[0].body
    assert "/abmelden/" in news[0].body


def test_a_comment_shows_after_the_office_published_it_with_an_answer(new_page):
    initiative = _easy_vorhaben()
    citizen = new_page(js=False)
    citizen.goto(f"/musterstadt/vorhaben/{initiative.pk}/")
    citizen.get_by_role("link", name="Kommentar schreiben").first.click()
    citizen.get_by_label("Ihr Kommentar").fill("Bitte auch Termine am Samstag anbieten.")
    time.sleep(HUMAN_PAUSE)
    citizen.get_by_role("button", name="Kommentar senden").click()
    assert citizen.get_by_role("heading", level=1).inner_text() == "Danke für Ihren Kommentar"
    citizen.goto(f"/musterstadt/vorhaben/{initiative.pk}/?neu=1")
    assert "Termine am Samstag" not in citizen.content()

    office = new_page("musterstadt-strategy", js=False)
    office.goto("/arbeitsbereich/buergerportal/kommentare/")
    screenshot(office, "portal-kommentare-moderation", full_page=True)
    row = office.get_by_role("row").filter(has_text="Termine am Samstag")
    row.get_by_role("link").click()
    office.get_by_label("Veröffentlichen", exact=True).check()
    office.get_by_label("Antwort der Verwaltung (freiwillig)").fill(
        "Danke. Wir prüfen Samstags-Termine im Herbst."
    )
    office.get_by_role("button", name="Entscheidung speichern").click()
    office.wait_for_url("**/arbeitsbereich/buergerportal/kommentare/")

    citizen = new_page(js=False)
    citizen.goto(f"/musterstadt/vorhaben/{initiative.pk}/")
    comments = citizen.locator("#kommentare").locator("..")
    assert "Bitte auch Termine am Samstag anbieten." in comments.inner_text()
    assert "Wir prüfen Samstags-Termine im Herbst." in comments.inner_text()
    citizen.locator("#kommentare").scroll_into_view_if_needed()
    screenshot(citizen, "portal-kommentar-veroeffentlicht")

    settings = new_page("musterstadt-strategy")
    settings.goto("/arbeitsbereich/buergerportal/")
    assert not _blocking(settings), "Einstellungen Bürgerportal: axe schwerwiegend"
    screenshot(settings, "portal-einstellungen", full_page=True)


def test_following_works_with_the_keyboard_only(new_page):
    """From the page top to a sent follow form with Tab and Enter only."""
    from leitwerk.portal.models import Follow

    initiative = _easy_vorhaben()
    citizen = new_page()
    citizen.goto(f"/musterstadt/vorhaben/{initiative.pk}/")
    for _ in range(40):
        citizen.keyboard.press("Tab")
        focused = citizen.evaluate("() => document.activeElement.textContent.trim()")
        if focused == "Neuigkeiten per E-Mail bekommen":
            break
    else:
        pytest.fail("„Neuigkeiten per E-Mail bekommen“ ist mit Tab nicht erreichbar")
    citizen.keyboard.press("Enter")
    citizen.wait_for_url(f"**/vorhaben/{initiative.pk}/folgen/")
    citizen.keyboard.press("Tab")  # skip link
    for _ in range(30):
        if citizen.evaluate("() => document.activeElement.name") == "email":
            break
        citizen.keyboard.press("Tab")
    citizen.keyboard.type("tastatur@example.org")
    time.sleep(HUMAN_PAUSE)
    citizen.keyboard.press("Enter")
    assert "Bitte bestätigen" in citizen.get_by_role("heading", level=1).inner_text()
    assert Follow.objects.filter(email="tastatur@example.org").exists()
