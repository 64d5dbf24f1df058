"""C1 – stored and reflected XSS: payloads in every text a page shows never become markup.

The world's rows carry their tag in every text field a page can show; this test replaces each
such value with Hypothesis text around an XSS payload, renders every page of the resolver
(workspace as the tenant admin, portal and public pages anonymously, the Atom feed) with the
payloads in the query string too, and parses each HTML body: no injected element, no event
handler attribute, no javascript: URL. Templates escape everything (no |safe on user text);
imported HTML is reduced to text with nh3 (imports/plan_parser.py), covered by the import tests.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leitwerk.core.models import TenantModel
from leitwerk.testing.crawl import body, crawl
from leitwerk.testing.portal import release_plans
from leitwerk.testing.routes import OWN_TAG
from leitwerk.testing.world import build_world

PAYLOADS = [
    "<script>xss()</script>",
    "<img src=x onerror=xss()>",
    '"><svg onload=xss()>',
    '\'><a href="javascript:xss()">x</a>',
    '<iframe src="javascript:xss()"></iframe>',
    "</textarea><script>xss()</script>",
    "</title><style>*{}</style>",
    "<x-xss onmouseover=xss()>",
    '" onfocus="xss()" x="',
    "' onfocus='xss()' x='",
    "<a href=jAvAsCrIpT:xss()>",
]
# Query parameters the views read (filters, views, search), each given a payload as well.
QUERY_KEYS = [
    "q",
    "suche",
    "sicht",
    "standort",
    "stelle",
    "vergleich",
    "welle",
    "zeitraum",
    "plan",
    "leitbild",
    "next",
    "datum",
    "status",
    "health",
    "unit",
    "page",
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
INJECTED_TAGS = {"iframe", "x-xss", "style", "object", "embed", "base"}

# Text around a payload: anything printable PostgreSQL stores (no NUL).
_around = st.text(
    alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=6
)
xss_text = st.builds(lambda a, p, b: a + p + b, _around, st.sampled_from(PAYLOADS), _around)


class InjectionFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.found.append(f"<script> without our src: {attributes}")
        if tag in INJECTED_TAGS or (tag == "img" and attributes.get("src") == "x"):
            self.found.append(f"<{tag} {attributes}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag}> with event handler {name}={value!r}")
            if name in URL_ATTRIBUTES and value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag}> with {name}={value!r}")


def injections(html: str) -> list[str]:
    finder = InjectionFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def test_the_finder_sees_every_payload_when_unescaped():
    for payload in PAYLOADS:
        contexts = [f"<p>{payload}</p>", f'<p title="{payload}">', f"<p title='{payload}'>"]
        assert any(injections(html) for html in contexts), payload
    assert injections('<script src="/static/leitwerk/session-timeout.js"></script>') == []


def _tagged_fields(world):
    """(row, field) pairs whose value the world filled with its tag, i.e. texts pages show."""
    rows = [world.person]
    for model in apps.get_models():
        if issubclass(model, TenantModel):
            rows += list(model._base_manager.filter(municipality=world.municipality))
    for row in rows:
        for field in row._meta.concrete_fields:
            value = getattr(row, field.attname)
            if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
                if isinstance(value, str) and world.tag in value:
                    yield row, field
            elif isinstance(field, models.JSONField) and world.tag in str(value):
                yield row, field


def _fit(value: str, field) -> str:
    limit = getattr(field, "max_length", None)
    if limit is None or len(value) <= limit:
        return value
    fitting = [p for p in PAYLOADS if len(p) <= limit]
    return min(fitting, key=len) if fitting else value[:limit]


def plant(world, values) -> int:
    """Write the next value of `values` into every tagged field; returns how many were set."""
    planted = 0
    by_row: dict = {}
    for row, field in world.xss_fields:
        value = next(values)
        if isinstance(field, models.JSONField):
            current = getattr(row, field.attname)
            value = {value: value} if isinstance(current, dict) else [value]
        else:
            value = _fit(value, field)
        setattr(row, field.attname, value)
        by_row.setdefault(row, []).append(field.attname)
        planted += 1
    for row, names in by_row.items():
        type(row)._base_manager.filter(pk=row.pk).update(**{n: getattr(row, n) for n in names})
    release_plans(world.municipality)  # the portal shows released texts only
    return planted


def scan(world, admin_user) -> list[str]:
    problems = []
    query = urlencode({key: PAYLOADS[i % len(PAYLOADS)] for i, key in enumerate(QUERY_KEYS)})
    signed_in = Client()
    signed_in.force_login(admin_user)
    for client in (Client(), signed_in):
        for page, response in crawl(client, world, query=query):
            content_type = response.headers.get("Content-Type", "")
            if response.status_code == 500:
                problems.append(f"{page.url}: server error {response.status_code}")
            elif content_type.startswith("text/html"):
                problems += [f"{page.url}: {f}" for f in injections(body(response))]
            elif "atom" in content_type:
                # <summary type="html"> is HTML for the feed reader: it must hold escaped text.
                for element in ET.fromstring(response.content).iter():  # noqa: S314 - our own feed
                    if element.get("type") == "html" and element.text:
                        problems += [f"{page.url} (feed): {f}" for f in injections(element.text)]
    return problems


@pytest.fixture
def world(musterstadt):
    own = build_world(musterstadt, OWN_TAG)
    for row in (own.plan, own.initiative, own.goal, own.indicator):
        row.public = True
        row.save()
    own.survey.status = "open"
    own.survey.save()
    # Milestones reached make the news page and the Atom feed show texts too.
    own.milestone.done_on = own.milestone.due_date
    own.milestone.save()
    # Found once: after planting, the tag is gone from the fields (Hypothesis needs the same
    # number of draws in every example).
    own.xss_fields = list(_tagged_fields(own))
    return own


@pytest.mark.django_db
def test_payloads_stay_text_on_the_main_pages(world, admin_user):
    """The fast suite's share: the pages that show the most texts, signed in and public."""
    from django.urls import reverse

    plant(world, itertools.cycle(PAYLOADS))
    slug = {"municipality_slug": world.municipality.slug}
    signed_in = Client()
    signed_in.force_login(admin_user)
    urls = [
        (signed_in, reverse("plans:initiative_detail", kwargs={"pk": world.initiative.pk})),
        (signed_in, reverse("plans:detail", kwargs={"pk": world.plan.pk})),
        (signed_in, reverse("guidelines:detail", kwargs={"pk": world.guideline.pk})),
        (
            Client(),
            reverse("portal:initiative", kwargs={**slug, "initiative_id": world.initiative.pk}),
        ),
        (Client(), reverse("portal:news", kwargs=slug)),
    ]
    problems = []
    for client, url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "xss()" in body(response), f"{url} shows no planted text"
        problems += [f"{url}: {f}" for f in injections(body(response))]
    assert not problems, "\n".join(problems)


@pytest.mark.slow  # every page twice, about a minute
@pytest.mark.django_db
def test_every_payload_in_every_field_stays_text(world, admin_user):
    planted = plant(world, itertools.cycle(PAYLOADS))
    assert planted > 40
    problems = scan(world, admin_user)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.django_db
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hypothesis_text_with_payloads_stays_text(world, admin_user, data):
    # Each example overwrites the same rows, so sharing the fixture's world is safe.
    plant(world, iter(lambda: data.draw(xss_text), None))
    problems = scan(world, admin_user)
    assert not problems, "\n".join(problems)
