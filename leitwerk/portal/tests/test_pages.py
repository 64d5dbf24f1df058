"""Portal pages: open to anonymous visitors, accessible structure, cacheable, bounded queries."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leitwerk.plans.services import plan_release
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    IndicatorFactory,
    InitiativeFactory,
    MilestoneFactory,
)

HTML_ROUTES = [
    "home",
    "guideline",
    "initiatives",
    "decisions",
    "participation",
    "calendar",
    "news",
    "open_data",
    "accessibility",
    "easy_language",
]


def _url(name: str, slug: str = "musterstadt", **kwargs) -> str:
    return reverse(f"portal:{name}", kwargs={"municipality_slug": slug, **kwargs})


def _html_urls(world) -> list[str]:
    return [_url(name) for name in HTML_ROUTES] + [
        _url("initiative", initiative_id=world.public_initiative.pk)
    ]


class _Structure(HTMLParser):
    """Collects what the WCAG checks below need, with the standard library's parser."""

    def __init__(self) -> None:
        super().__init__()
        self.html_lang = None
        self.headings: list[int] = []
        self.landmarks: set[str] = set()
        self.links: list[tuple[str, str]] = []
        self.tables = 0
        self.captions = 0
        self.th_without_scope = 0
        self.ids: list[str] = []
        self.scripts = 0
        self._href = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "html":
            self.html_lang = attrs.get("lang")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        elif tag in ("main", "header", "footer", "nav"):
            self.landmarks.add(tag)
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th" and "scope" not in attrs:
            self.th_without_scope += 1
        elif tag == "script":
            self.scripts += 1
        elif tag == "a":
            self._href, self._text = attrs.get("href"), []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None


def _structure(body: bytes) -> _Structure:
    parser = _Structure()
    parser.feed(body.decode())
    return parser


@pytest.mark.django_db
def test_every_page_renders_for_anonymous_visitors_with_accessible_structure(world):
    client = Client()
    for url in _html_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        page = _structure(response.content)
        assert page.html_lang == "de", url
        assert {"main", "header", "footer", "nav"} <= page.landmarks, url
        assert page.links[0] == ("#inhalt", "Zum Inhalt springen"), url
        assert "inhalt" in page.ids, url
        assert page.headings.count(1) == 1 and page.headings[0] == 1, url
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, (url, page.headings)  # no skipped heading level
        assert page.tables == page.captions, url
        assert page.th_without_scope == 0, url
        assert len(page.ids) == len(set(page.ids)), url
        assert page.scripts == 0, url  # works without JavaScript because there is none
        assert all(text for _, text in page.links), url  # no empty link texts
        # § 7 BITV 2.0: the statement and the feedback channel are reachable from every page.
        assert ("/musterstadt/barrierefreiheit/", "Erklärung zur Barrierefreiheit") in page.links
        assert ("/musterstadt/leichte-sprache/", "Leichte Sprache") in page.links
        assert any(href == "/musterstadt/anregungen/" for href, _ in page.links), url
        assert any(href == "/musterstadt/umfragen/" for href, _ in page.links), url


@pytest.mark.django_db
def test_pages_work_without_any_published_content(musterstadt):
    client = Client()
    for name in HTML_ROUTES:
        response = client.get(_url(name))
        assert response.status_code == 200, name


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/gibt-es-nicht/",
        "/gibt-es-nicht/vorhaben/",
        "/gibt-es-nicht/kalender.ics",
        "/gibt-es-nicht/neuigkeiten.atom",
        "/gibt-es-nicht/daten/vorhaben.json",
        "/gibt-es-nicht/daten/vorhaben.schema.json",
        "/gibt-es-nicht/sitemap.xml",
    ],
)
def test_unknown_municipality_is_404(musterstadt, path):
    assert Client().get(path).status_code == 404


@pytest.mark.django_db
def test_unknown_vorhaben_id_is_404(world):
    assert Client().get(_url("initiative", initiative_id=999999)).status_code == 404


@pytest.mark.django_db
def test_responses_are_public_cacheable_with_etag_and_304(world):
    client = Client()
    feeds = [_url("calendar_ics"), _url("news_feed"), _url("open_data_csv"), _url("open_data_json")]
    for url in [*_html_urls(world), *feeds]:
        response = client.get(url)
        cache_control = response["Cache-Control"]
        assert "public" in cache_control and "max-age=300" in cache_control, url
        assert response["Content-Language"] == "de"
        etag = response["ETag"]
        again = client.get(url, headers={"if-none-match": etag})
        assert again.status_code == 304, url


@pytest.mark.django_db
def test_portal_is_read_only(world):
    response = Client().post(_url("home"))
    assert response.status_code == 405


@pytest.mark.django_db
def test_dates_are_german_even_for_english_browsers(world):
    response = Client().get(
        _url("initiative", initiative_id=world.public_initiative.pk),
        headers={"accept-language": "en"},
    )
    assert "30. September 2026" in response.content.decode()


def _add_public_initiatives(municipality, count: int) -> None:
    plan = ActionPlanFactory(municipality=municipality, public=True, title="Mengenplan")
    field = ActionFieldFactory(plan=plan)
    for n in range(count):
        initiative = InitiativeFactory(action_field=field, public=True, title=f"Menge {n}")
        MilestoneFactory(initiative=initiative, due_date=dt.date(2026, 7, 1))
        MilestoneFactory(initiative=initiative, done_on=dt.date(2026, 2, 1))
        IndicatorFactory(initiative=initiative, public=True)
        IndicatorFactory(initiative=initiative, public=False)
    plan_release(plan=plan, actor=None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["initiatives", "home", "calendar", "open_data_json", "open_data_csv"]
)
@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_query_count_does_not_grow_with_the_number_of_vorhaben(world, name):
    # Rendering itself, without the page cache (rows added by factories do not invalidate it).
    client = Client()
    url = _url(name)
    client.get(url)  # warm up caches that are not per request (content types etc.)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _add_public_initiatives(world.municipality, 12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert (b"Mengenplan" if name == "home" else b"Menge 11") in response.content
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.django_db
def test_accessibility_statement_has_the_sections_bitv_requires(world):
    body = Client().get(_url("accessibility")).content.decode()
    for heading in (
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung",
        "Feedback und Kontakt",
        "Durchsetzungsverfahren und Schlichtungsstelle",
    ):
        assert heading in body
    assert "https://www.schlichtungsstelle-bgg.de/" in body
    assert 'href="/musterstadt/anregungen/"' in body
    assert "Bayern" in body  # the Land of the municipality is named
    assert "22. November 2026" in body


@pytest.mark.django_db
def test_global_accessibility_statement_for_the_internal_ui(client, strategy_user, client_for):
    for visitor in (client, client_for(strategy_user)):
        response = visitor.get(reverse("portal:accessibility_global"))
        assert response.status_code == 200
        body = response.content.decode()
        assert "Durchsetzungsverfahren und Schlichtungsstelle" in body
        assert 'lang="de"' in body
        assert "public" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_internal_layout_links_the_global_statement_in_its_footer(client):
    body = client.get(reverse("portal:accessibility_global")).content.decode()
    footer = body[body.index("<footer") :]
    assert 'href="/barrierefreiheit/"' in footer


@pytest.mark.django_db
def test_the_leitbild_comes_first_and_other_adopted_documents_follow(world):
    from leitwerk.guidelines.models import GuidelineKind, GuidelineStatus
    from leitwerk.guidelines.tests.factories import GuidelineDocumentFactory

    GuidelineDocumentFactory(
        municipality=world.municipality,
        title="Leitlinien unserer Zusammenarbeit",
        kind=GuidelineKind.LEITLINIEN,
        status=GuidelineStatus.ADOPTED,
        valid_from=dt.date(2026, 4, 1),  # newer than the Leitbild
    )
    home = Client().get(_url("home")).content.decode()
    section = home[home.index('id="leitbild-heading"') : home.index('id="ziele-heading"')]
    assert "<strong>ÖFFENTLICH-Leitbild</strong>" in section
    assert "dort auch: Leitlinien unserer Zusammenarbeit" in section
    page = Client().get(_url("guideline")).content.decode()
    assert page.index("ÖFFENTLICH-Leitbild") < page.index("Leitlinien unserer Zusammenarbeit")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "shown"),
    [("Fassung 2025", "Fassung 2025"), ("2025", "Fassung 2025"), ("", "Leitbild")],
)
def test_the_guideline_version_is_named_once(musterstadt, label, shown):
    from leitwerk.guidelines.tests.factories import GuidelineDocumentFactory

    GuidelineDocumentFactory(municipality=musterstadt, version_label=label)
    html = Client().get(_url("guideline")).content.decode()
    assert shown in html
    assert "Fassung Fassung" not in html and "Fassung ," not in html
