"""Plain German on every page: no word printed twice in a row ("Fassung Fassung 2025")."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from leitwerk.testing.crawl import body, crawl
from leitwerk.testing.routes import OWN_TAG
from leitwerk.testing.world import build_world

HIDDEN = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
# Inside a sentence: these tags continue the text; every other tag ends it (links and buttons
# stand side by side, a breadcrumb and the heading below it may well end and start alike).
INLINE = re.compile(r"</?(abbr|b|code|em|i|small|span|strong|time)\b[^>]*>", re.I)
TAG = re.compile(r"<[^>]+>")
# Same spelling twice ("Sie sie" is German: "you … them").
DOUBLED = re.compile(r"\b([A-Za-zÄÖÜäöüß]{3,})\s+\1\b")


def visible_text(html: str) -> str:
    text = TAG.sub(" ¦ ", INLINE.sub("", HIDDEN.sub(" ", html)))
    return " ".join(unescape(text).split())


def test_the_check_finds_a_doubled_word():
    text = visible_text(
        "<p>Leitbild, <strong>Fassung</strong> Fassung 2025</p><h1>Ziele</h1><p>Ziele und</p>"
        "<p>Können Sie sie lesen?</p>"
    )
    assert [m.group(1) for m in DOUBLED.finditer(text)] == ["Fassung"]


@pytest.mark.django_db
def test_no_page_prints_a_word_twice_in_a_row(musterstadt, admin_user):
    world = build_world(musterstadt, OWN_TAG)
    client = Client()
    client.force_login(admin_user)
    found = []
    for page, response in crawl(client, world):
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for match in DOUBLED.finditer(visible_text(body(response))):
            text = match.string[max(match.start() - 60, 0) : match.end() + 30]
            found.append(f"{page.url}: {match.group(0)!r} in …{text}…")
    assert not found, "\n".join(found)
