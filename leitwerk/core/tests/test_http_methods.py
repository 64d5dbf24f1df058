"""C10 – HTML views answer 405 to every method a browser form never sends (APP.3.1.A12)."""

from __future__ import annotations

import pytest
from django.test import Client

from leitwerk.core.security_headers import API_PREFIX
from leitwerk.testing.crawl import NOT_FOUND_URL, pages
from leitwerk.testing.routes import OWN_TAG
from leitwerk.testing.world import build_world

UNNEEDED = ["put", "patch", "delete", "options", "trace"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "admin_user"])
def test_unneeded_methods_answer_405_on_every_html_view(who, musterstadt, request):
    world = build_world(musterstadt, OWN_TAG)
    client = Client()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    urls = [p.url for p in pages(world) if not p.url.startswith(API_PREFIX)]
    urls += [NOT_FOUND_URL, "/static/leitwerk/leitwerk.css"]
    assert len(urls) > 50
    problems = []
    for url in urls:
        for method in UNNEEDED:
            response = getattr(client, method)(url)
            if response.status_code != 405:
                problems.append(f"{method.upper()} {url}: {response.status_code}")
            elif response["Allow"] != "GET, HEAD, POST":
                problems.append(f"{method.upper()} {url}: Allow {response['Allow']}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_get_head_and_post_still_reach_the_views(client, viewer):
    assert client.get("/konto/anmelden/").status_code == 200
    assert client.head("/konto/anmelden/").status_code == 200
    # A POST reaches the sign-in form (wrong password: the form is shown again, no 405).
    assert (
        client.post("/konto/anmelden/", {"login": "x@example.org", "password": "x"}).status_code
        == 200
    )
