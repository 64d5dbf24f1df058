"""C7 – no `next=` value sends a person to another site.

Every view that reads `next` (sign-in, sign-out, language, municipality switch, session
extension, status report, alignment) gets the classic open-redirect values; a redirect must stay
on this host. Every GET page of the resolver also gets `?next=…`, so a new view that starts
reading it is covered too.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from leitwerk.testing.crawl import crawl
from leitwerk.testing.routes import OWN_TAG
from leitwerk.testing.world import build_world

EVIL = [
    "//evil.tld",
    "/\\evil.tld",
    "\\\\evil.tld",
    "https:evil.tld",
    "https://evil.tld/",
    "%2F%2Fevil.tld",
    "/%2F/evil.tld",
    " //evil.tld",
    "/\t/evil.tld",
    "http://testserver@evil.tld/",
    "javascript:alert(document.domain)",
    "data:text/html,<script>alert(1)</script>",
]


def off_site(location: str) -> bool:
    """Would a browser leave this host (or run script) when following this Location?"""
    # Browsers drop tabs and newlines, trim spaces and read "\" as "/" in URLs.
    loc = re.sub(r"[\t\n\r]", "", location).strip().replace("\\", "/")
    parts = urlsplit(loc)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return True
    if parts.scheme and not parts.netloc:
        return True  # "https:evil.tld" is read as https://evil.tld
    if parts.netloc and parts.netloc != "testserver":
        return True
    return loc.startswith("//")


def test_the_check_recognises_off_site_targets():
    assert all(off_site(v) for v in EVIL if not v.startswith("%2F") and "%2F/" not in v)
    assert not off_site("/arbeitsbereich/plaene/")
    assert not off_site("http://testserver/konto/anmelden/?next=//evil.tld")
    assert not off_site("%2F%2Fevil.tld")  # a relative path on this host


def _problems(label: str, response) -> list[str]:
    if response.status_code in (301, 302, 303, 307, 308) and off_site(response["Location"]):
        return [f"{label}: redirects to {response['Location']!r}"]
    return []


@pytest.fixture
def world(musterstadt):
    return build_world(musterstadt, OWN_TAG)


@pytest.mark.django_db
@pytest.mark.parametrize("target", EVIL)
def test_sign_in_with_a_foreign_next_stays_on_site(target, viewer, password, client):
    url = reverse("accounts:login") + "?" + urlencode({"next": target})
    problems = _problems("GET login", client.get(url))
    response = client.post(url, {"login": viewer.email, "password": password, "next": target})
    assert response.status_code == 302, "the sign-in must succeed for the check to mean something"
    problems += _problems("POST login", response)
    assert not problems, problems


@pytest.mark.django_db
@pytest.mark.parametrize("target", EVIL)
def test_forms_with_a_foreign_next_stay_on_site(target, world, strategy_user, musterstadt):
    client = Client()
    client.force_login(strategy_user)
    posts = [
        (
            "switch_municipality",
            reverse("municipalities:switch"),
            {"municipality": musterstadt.pk, "next": target},
        ),
        ("session_extend", reverse("accounts:session_extend"), {"next": target}),
        (
            "alignment_change",
            reverse("controlling:alignment_change"),
            {
                "statement": world.statement.pk,
                "target": "initiative",
                "target_id": world.initiative.pk,
                "action": "link",
                "next": target,
            },
        ),
        (
            "status_report",
            reverse("plans:status_report_create", kwargs={"pk": world.initiative.pk}),
            {
                f"r{world.initiative.pk}-health": "on_track",
                f"r{world.initiative.pk}-text": "Läuft nach Plan.",
                "next": target,
            },
        ),
    ]
    problems, redirected = [], 0
    for label, url, data in posts:
        response = client.post(url, data)
        redirected += response.status_code == 302
        problems += _problems(label, response)
    problems += _problems("logout", client.post(reverse("accounts:logout"), {"next": target}))
    assert redirected >= 3, "the forms must be accepted for the check to mean something"
    assert not problems, "\n".join(problems)


@pytest.mark.slow  # three crawls of every page, about a minute
@pytest.mark.django_db
def test_no_page_follows_a_foreign_next_in_the_query(world, strategy_user):
    client = Client()
    client.force_login(strategy_user)
    problems = []
    for target in ("//evil.tld", "/\\evil.tld", "https:evil.tld"):
        query = urlencode({"next": target, "return_to": target, "redirect": target})
        for page, response in crawl(client, world, query=query):
            problems += _problems(page.url, response)
    assert not problems, "\n".join(problems)
