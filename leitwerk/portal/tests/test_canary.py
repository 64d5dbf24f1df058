"""Catalogue A7: an anonymous crawl of the portal shows public rows only, of this tenant only."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import resolve, reverse

from .conftest import CANARY, FOREIGN_CANARY

SLUG_ROUTES = [
    "home",
    "guideline",
    "initiatives",
    "decisions",
    "participation",
    "calendar",
    "news",
    "open_data",
    "accessibility",
    "calendar_ics",
    "news_feed",
    "open_data_json",
    "open_data_csv",
    "open_data_schema",
    "sitemap",
]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("a", "link"):
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def _crawl(client: Client, slug: str) -> dict[str, bytes]:
    """Every page and file reachable from the named routes and from the links in them."""
    start = [reverse(f"portal:{name}", kwargs={"municipality_slug": slug}) for name in SLUG_ROUTES]
    seen: dict[str, bytes] = {}
    queue = list(start)
    while queue:
        url = queue.pop().split("#", 1)[0]
        if url in seen or not url.startswith(f"/{slug}/"):
            continue
        if resolve(url).namespace != "portal":
            continue  # surveys and suggestions belong to the feedback app and its tests
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = response.content
        if response["Content-Type"].startswith("text/html"):
            parser = _Links()
            parser.feed(response.content.decode())
            queue.extend(parser.links)
        for loc in re.findall(rb"<loc>https?://[^/]+(/[^<]+)</loc>", response.content):
            queue.append(loc.decode())
    return seen


@pytest.mark.django_db
def test_no_internal_or_foreign_canary_anywhere_in_the_portal(world):
    pages = _crawl(Client(), world.municipality.slug)
    # The crawl reached the Vorhaben page through the links, not only the start list.
    detail = reverse(
        "portal:initiative",
        kwargs={"municipality_slug": "musterstadt", "initiative_id": world.public_initiative.pk},
    )
    assert detail in pages
    assert len(pages) >= len(SLUG_ROUTES) + 1
    for url, body in pages.items():
        text = body.decode("utf-8").lower()
        assert CANARY not in text, url
        assert FOREIGN_CANARY not in text, url
        assert "987654" not in text, url  # budget of the public Vorhaben is internal


@pytest.mark.django_db
def test_public_rows_do_appear(world):
    client = Client()
    slug = world.municipality.slug
    expectations = {
        "home": ["ÖFFENTLICH-Leitbild", "ÖFFENTLICH-Ziel", "ÖFFENTLICH-Aktionsplan"],
        "guideline": ["ÖFFENTLICH-Präambel", "ÖFFENTLICH-Aussage"],
        "initiatives": ["ÖFFENTLICH-Vorhaben", "Fachbereich ÖFFENTLICH-Bau", "1 von 2 erreicht"],
        "decisions": ["ÖFFENTLICH-Entscheidung", "ÖFFENTLICH-Begründung"],
        "participation": [
            "ÖFFENTLICH-Umfrage",
            "/musterstadt/umfragen/",
            "/musterstadt/anregungen/",
            "ÖFFENTLICH-Bürgerwerkstatt",
            "ÖFFENTLICH-Ort",
            "ÖFFENTLICH-So-geht-es",
            "ÖFFENTLICH-Ortsbegehung",
        ],
        "calendar": [
            "ÖFFENTLICH-Meilenstein-offen",
            "ÖFFENTLICH-Umfrage",
            "ÖFFENTLICH-Bürgerwerkstatt",
        ],
        "news": ["ÖFFENTLICH-Meilenstein-erreicht"],
    }
    for name, needles in expectations.items():
        body = client.get(reverse(f"portal:{name}", kwargs={"municipality_slug": slug})).content
        for needle in needles:
            assert needle.encode() in body, (name, needle)
    detail = client.get(
        reverse(
            "portal:initiative",
            kwargs={"municipality_slug": slug, "initiative_id": world.public_initiative.pk},
        )
    ).content.decode()
    for needle in (
        "ÖFFENTLICH-Indikator",
        "ÖFFENTLICH-Zielsetzung",
        "ÖFFENTLICH-Entscheidung",
        "Partnerstadt Nord",
    ):
        assert needle in detail


@pytest.mark.django_db
@pytest.mark.parametrize(
    "which", ["hidden_initiative", "draft_plan_initiative", "foreign_initiative"]
)
def test_non_public_or_foreign_vorhaben_answers_404(world, which):
    initiative = getattr(world, which)
    url = reverse(
        "portal:initiative",
        kwargs={"municipality_slug": "musterstadt", "initiative_id": initiative.pk},
    )
    response = Client().get(url)
    assert response.status_code == 404
    assert CANARY.encode() not in response.content.lower()
    assert FOREIGN_CANARY.encode() not in response.content.lower()


@pytest.mark.django_db
def test_foreign_tenant_sees_its_own_public_rows_only(world):
    body = Client().get(reverse("portal:initiatives", kwargs={"municipality_slug": "fremdstadt"}))
    text = body.content.decode().lower()
    assert "kanarie-fremd-vorhaben" in text
    assert "öffentlich-vorhaben" not in text
    assert CANARY not in text


@pytest.mark.django_db
def test_signed_in_staff_sees_the_same_public_portal(world, strategy_user, client_for):
    # Being signed in must not widen what the portal shows.
    client = client_for(strategy_user)
    body = client.get(reverse("portal:initiatives", kwargs={"municipality_slug": "musterstadt"}))
    assert CANARY.encode() not in body.content.lower()


@pytest.mark.django_db
def test_an_internal_report_never_reaches_a_visitor(world):
    from leitwerk.reports.models import Report

    # The canary is really there, finished and on the public plan …
    assert Report.objects.filter(pk=world.internal_report.pk, status="done").exists()
    pages = _crawl(Client(), world.municipality.slug)
    for url, body in pages.items():
        text = body.decode("utf-8").lower()
        for field in ("sachstandsbericht", "beschlussvorschlag", "klimarelevanz", "bericht-"):
            assert f"{CANARY}-{field}" not in text, (url, field)
    # … and its own pages need a sign-in: an anonymous visitor is sent to the login.
    client = Client()
    for name in ("detail", "download"):
        response = client.get(reverse(f"reports:{name}", kwargs={"pk": world.internal_report.pk}))
        assert response.status_code in (302, 404), name
        assert CANARY.encode() not in response.content.lower()
