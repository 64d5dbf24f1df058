"""Every page each demo role can reach, in both administrations and anonymously (H1, H2, H5, H7).

One bounded crawl per role (cached for the session) feeds all checks, so a failing check does
not hide the others and the summary table at the end shows the whole picture.
"""

from __future__ import annotations

import re

import pytest

from .audit import PageResult, crawl
from .conftest import ROLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Public entry points: the crawl follows links from here, so new public pages join automatically.
ANONYMOUS_SEEDS = [
    "/",
    "/konto/anmelden/",
    "/barrierefreiheit/",
    "/musterstadt/",
    "/musterstadt/umfragen/",
    "/musterstadt/anregungen/",
    "/amt-musterland/",
    "/amt-musterland/umfragen/",
    "/amt-musterland/anregungen/",
]
ROLE_NAMES = list(ROLES)

# Serious findings in templates owned by other apps, reported to them (docs/ACCESSIBILITY.md).
# They fail test_known_open_violations (xfail) instead of the gate, so the gate catches every
# new one. Remove an entry once it is fixed: the xfail then turns into an unexpected pass.
KNOWN_OPEN = {
    ("meta-refresh", re.compile(r"^/arbeitsbereich/berichte/\d+/$")): (
        "reports/report_detail.html lädt sich per <meta refresh> alle 3 s neu (WCAG 2.2.1/3.2.5)"
    ),
    ("aria-hidden-focus", re.compile(r"^/[\w-]+/(anregungen|umfragen/\d+)/$")): (
        "feedback: das Honigtopf-Feld in aria-hidden ist per Tab erreichbar (tabindex=-1 fehlt)"
    ),
}

# Links the crawl follows that answer with an error for the role that sees them: the page shows
# a link the person may not use. Same handling as KNOWN_OPEN.
KNOWN_BROKEN_LINKS = {
    (404, re.compile(r"^/arbeitsbereich/berichte/$")): (
        "Navigation „8. Berichte“ auch für unit_editor/project_lead, die keine Berichte lesen"
    ),
    (403, re.compile(r"^/arbeitsbereich/controlling/indikator/\d+/messbar-machen/$")): (
        "Controlling zeigt „messbar machen“ auch Rollen ohne Bearbeitungsrecht"
    ),
    (403, re.compile(r"^/arbeitsbereich/controlling/plan/\d+/sammelpflege/$")): (
        "Controlling zeigt die Sammelpflege auch Rollen ohne Bearbeitungsrecht"
    ),
}

RESULTS: dict[str, list[PageResult]] = {}
AXE_CACHE: dict[str, list[dict]] = {}
# The strategy offices see the most pages; the anonymous crawl covers both portals (two samples
# per page type there). These three get a larger page budget than the other roles.
THOROUGH = {"anonym", "musterstadt-strategy", "amt-strategy"}


@pytest.fixture
def pages(request, new_page, demo_server) -> list[PageResult]:
    role = request.param
    if role not in RESULTS:
        page = new_page(role)
        seeds = ANONYMOUS_SEEDS if ROLES[role] is None else ["/"]
        RESULTS[role] = crawl(
            page,
            role,
            demo_server,
            seeds,
            per_pattern=2 if role == "anonym" else 1,
            max_pages=60 if role in THOROUGH else 25,
            axe_cache=AXE_CACHE,
        )
    return RESULTS[role]


def _listing(rows: list[str]) -> str:
    return "\n  " + "\n  ".join(rows)


@pytest.mark.parametrize("pages", ROLE_NAMES, indirect=True)
def test_every_page_answers(pages):
    assert len(pages) >= 3, "Die Erkundung hat kaum Seiten gefunden."
    broken = [
        f"{p.status} {p.url} {p.title}"
        for p in pages
        if not p.is_html_page and known_broken(p.status, p.url) is None
    ]
    assert not broken, "Seiten mit Fehlerstatus:" + _listing(broken)
    unstyled = [p.url for p in pages if p.is_html_page and not p.css_loaded]
    assert not unstyled, "Seiten ohne Stylesheet:" + _listing(unstyled)


def known_reason(rule: str, url: str) -> str | None:
    for (known_rule, pattern), reason in KNOWN_OPEN.items():
        if rule == known_rule and pattern.match(url):
            return reason
    return None


def known_broken(status: int, url: str) -> str | None:
    for (known_status, pattern), reason in KNOWN_BROKEN_LINKS.items():
        if status == known_status and pattern.match(url):
            return reason
    return None


def _blocking(pages, *, known: bool) -> list[str]:
    return [
        f"{p.url}: [{v['impact']}] {v['id']} ×{v['count']} – {v['help']} – {v['targets']}"
        for p in pages
        for v in p.blocking
        if (known_reason(v["id"], p.url) is not None) == known
    ]


@pytest.mark.parametrize("pages", ROLE_NAMES, indirect=True)
def test_axe_finds_no_serious_or_critical_violation(pages):
    """H1: axe-core with the WCAG 2.0/2.1 A and AA rules; known open ones are tracked below."""
    found = _blocking(pages, known=False)
    assert not found, "axe (serious/critical):" + _listing(found)


@pytest.mark.parametrize("pages", ROLE_NAMES, indirect=True)
def test_known_open_violations(pages):
    """Findings in other apps (KNOWN_OPEN, KNOWN_BROKEN_LINKS), until their owners fix them."""
    found = _blocking(pages, known=True) + [
        f"{p.status} {p.url}: {known_broken(p.status, p.url)}"
        for p in pages
        if not p.is_html_page and known_broken(p.status, p.url)
    ]
    if found:
        pytest.xfail("bekannt, noch offen:" + _listing(found))


@pytest.mark.parametrize("pages", ROLE_NAMES, indirect=True)
def test_no_horizontal_scroll_at_320_px(pages):
    """H2 / WCAG 1.4.10: the page reflows to 320 CSS px; wide tables scroll in their own box."""
    wide = [
        f"{p.url}: {p.scroll_width_320} px {p.too_wide}" for p in pages if p.scroll_width_320 > 320
    ]
    assert not wide, "Seiten breiter als 320 px:" + _listing(wide)


@pytest.mark.parametrize("pages", ROLE_NAMES, indirect=True)
def test_charts_have_a_data_table_or_text_alternative(pages):
    """H5: every <svg role=img> or chart <figure> carries a table, <desc> or description."""
    missing = [f"{p.url}: {c}" for p in pages for c in p.chart_problems]
    assert not missing, "Diagramme ohne Textalternative:" + _listing(missing)


@pytest.mark.parametrize("pages", ROLE_NAMES, indirect=True)
def test_accessibility_statement_is_linked_from_every_page(pages):
    """H7 / § 7 Abs. 2 BITV 2.0: the Erklärung zur Barrierefreiheit is one click away."""
    missing = [p.url for p in pages if p.is_html_page and not p.statement_linked]
    assert not missing, "Ohne Link zur Erklärung zur Barrierefreiheit:" + _listing(missing)


@pytest.mark.parametrize("pages", ROLE_NAMES, indirect=True)
def test_skip_link_is_the_first_focusable_element(pages):
    """WCAG 2.4.1: the first Tab stop is „Zum Inhalt springen“, pointing at <main>."""
    wrong = [
        f"{p.url}: {p.first_focusable}" for p in pages if p.is_html_page and not p.skip_link_ok
    ]
    assert not wrong, "Erstes fokussierbares Element ist kein Sprunglink:" + _listing(wrong)
