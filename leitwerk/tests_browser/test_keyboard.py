"""Keyboard use, focus visibility, the accessibility statement and the session-timeout warning."""

from __future__ import annotations

import re

import pytest

from .conftest import ROLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; const cs = getComputedStyle(e);
        return {tag: e.tagName.toLowerCase(), id: e.id, cls: e.className,
                text: e.textContent.trim(), outline: cs.outlineStyle,
                outlineWidth: cs.outlineWidth, shadow: cs.boxShadow}; }"""
    )


def test_login_with_the_keyboard_only(new_page):
    """H3 (automated part): type, Tab, type, Enter – no mouse anywhere."""
    page = new_page()
    page.goto("/konto/anmelden/")
    # The login form starts focused in the e-mail field (autofocus), so typing starts at once.
    assert focused(page)["id"] == "id_login"
    page.keyboard.type(ROLES["musterstadt-strategy"])
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_password"
    page.keyboard.type("Leitwerk-Demo-2026!")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Übersicht")


@pytest.mark.parametrize(
    ("role", "url"), [("musterstadt-strategy", "/"), ("anonym", "/musterstadt/")]
)
def test_skip_link_moves_focus_to_main(new_page, role, url):
    """WCAG 2.4.1: first Tab → „Zum Inhalt springen“, Enter → focus on <main>."""
    page = new_page(role)
    page.goto(url)
    page.keyboard.press("Tab")
    state = focused(page)
    assert state["cls"] == "skip-link" and state["text"] == "Zum Inhalt springen"
    assert state["outline"] != "none", "Sprunglink ohne sichtbaren Fokus"
    page.keyboard.press("Enter")
    assert focused(page)["tag"] == "main"


@pytest.mark.parametrize(
    ("role", "url"),
    [("anonym", "/konto/anmelden/"), ("musterstadt-strategy", "/"), ("anonym", "/musterstadt/")],
)
def test_focus_is_visible_on_links_and_buttons(new_page, role, url):
    """WCAG 2.4.7: every Tab stop among the first 25 shows an outline (or a focus ring)."""
    page = new_page(role)
    page.goto(url)
    invisible, stops = [], []
    for _ in range(25):
        page.keyboard.press("Tab")
        state = focused(page)
        if state["tag"] == "body":
            break
        stops.append(state)
        ring = state["outline"] != "none" and state["outlineWidth"] != "0px"
        if not ring and state["shadow"] in ("", "none"):
            invisible.append(f"{state['tag']} {state['text'][:40]!r}")
    assert any(s["tag"] in ("a", "button") for s in stops)
    assert not invisible, f"Fokus unsichtbar auf {url}: {invisible}"


def test_no_keyboard_trap_on_the_dashboard(new_page):
    """WCAG 2.1.2: Tab runs through the page and leaves it again (back to the address bar)."""
    page = new_page("musterstadt-strategy")
    page.goto("/")
    seen = []
    for _ in range(200):
        page.keyboard.press("Tab")
        state = focused(page)
        if state["tag"] == "body":
            break
        seen.append((state["tag"], state["id"], state["text"][:30]))
    else:
        pytest.fail("Nach 200 Tab-Schritten hat der Fokus die Seite nicht verlassen.")
    assert len(set(seen)) == len(seen) or len(seen) < 200


@pytest.mark.parametrize("url", ["/barrierefreiheit/", "/musterstadt/barrierefreiheit/"])
def test_accessibility_statement_has_the_required_parts(new_page, url):
    """H7 / § 12b BGG: scope, state, non-accessible parts, feedback, Schlichtungsstelle."""
    page = new_page()
    response = page.goto(url)
    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Erklärung zur Barrierefreiheit"
    for anchor in ("stand", "nicht-barrierefrei", "feedback", "schlichtung"):
        assert page.locator(f"h2#{anchor}").count() == 1, f"Abschnitt #{anchor} fehlt"
    assert page.locator("a[href*='schlichtungsstelle']").count() >= 1


def test_session_end_is_announced_in_text_and_warned_two_minutes_before(new_page):
    """H6 / WCAG 2.2.1: the page says when the sign-in ends; a live alert comes 2 min before."""
    page = new_page("musterstadt-strategy")
    page.clock.install()
    page.goto("/")
    notice = page.locator("[data-session-ends]")
    assert "endet Ihre Anmeldung" in notice.inner_text()
    ends = int(notice.get_attribute("data-session-ends"))
    warning = page.locator("#session-warning")
    assert warning.get_attribute("role") == "alert"
    assert warning.is_hidden()
    now = page.evaluate("Date.now()") / 1000
    page.clock.fast_forward(int((ends - now - 3 * 60) * 1000))
    assert warning.is_hidden(), "Warnung zu früh"
    page.clock.fast_forward(90_000)
    warning.wait_for(state="visible")
    assert "zwei Minuten" in warning.inner_text()


def test_session_notice_without_javascript(new_page):
    """Without JavaScript the text notice is still there (the warning is an addition)."""
    page = new_page("musterstadt-viewer", js=False)
    page.goto("/")
    assert "endet Ihre Anmeldung" in page.locator(".session-notice").inner_text()
