"""C2 – CSRF: a form sent without the token is refused on every URL, signed in or not.

Token-authenticated API requests (Authorization header, no cookie) are exempt by design; with a
session cookie the API checks the token as well (DRF's SessionAuthentication), so /api/ paths
are crawled like every other.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from leitwerk.testing.crawl import pages
from leitwerk.testing.routes import OWN_TAG
from leitwerk.testing.world import build_world

ROOT = Path(__file__).resolve().parents[3]
# file → why a view there may skip the CSRF check (signed webhooks only; none so far).
EXEMPT_ALLOWED: dict[str, str] = {
    "leitwerk/api/views.py": (
        "the API's JSON 404 for unknown paths changes nothing; token requests carry no cookie, "
        "and DRF enforces CSRF itself for session-authenticated writes"
    ),
}


def _client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.raise_request_exception = False
    if user is not None:
        client.force_login(user)
    # The browser holds a CSRF cookie from an earlier page; the forged form lacks the token.
    client.get("/" if user is not None else "/konto/anmelden/")
    assert settings.CSRF_COOKIE_NAME in client.cookies
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "admin_user"])
def test_a_post_without_token_is_refused_everywhere(who, musterstadt, request):
    world = build_world(musterstadt, OWN_TAG)
    client = _client(None if who == "anonymous" else request.getfixturevalue(who))
    problems = []
    checked = 0
    for page in pages(world):
        response = client.post(page.url, {"next": "/", "text": "gefälscht"})
        checked += 1
        if response.status_code != 403:
            problems.append(f"POST {page.url}: {response.status_code}")
        for method in ("put", "patch", "delete"):
            status = getattr(client, method)(page.url).status_code
            if status not in (403, 405):
                problems.append(f"{method.upper()} {page.url}: {status}")
    assert checked > 50
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_refusal_is_a_german_page(client):
    client = _client()
    response = client.post("/konto/anmelden/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "Formular abgelaufen" in text and 'lang="de"' in text
    assert "CSRF" not in text  # no jargon, no reason string


@pytest.mark.django_db
def test_the_same_form_with_its_token_is_accepted(viewer, password):
    client = _client()
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        "/konto/anmelden/",
        {"login": viewer.email, "password": password, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_no_view_is_exempt_from_the_csrf_check():
    found = []
    for folder in ("leitwerk", "config"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = str(path.relative_to(ROOT))
            if rel == "leitwerk/core/tests/test_csrf.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if "csrf_exempt" in line and rel not in EXEMPT_ALLOWED:
                    found.append(f"{rel}:{number}")
    assert found == [], f"csrf_exempt without a documented reason: {found}"
