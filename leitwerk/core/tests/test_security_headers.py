"""C3 – security headers on every response, HTML and non-HTML (ZAP baseline equivalent).

Crawls every URL pattern of the resolver as an anonymous visitor and as an editor (strategy
office), plus a static file served by WhiteNoise, a 404, a 405 and a 500, and checks the
headers ZAP's passive rules look at (10010/10011 cookies are Django's, 10020 X-Frame-Options,
10021 nosniff, 10035 HSTS, 10038 CSP, 10054 SameSite, 10015 cache, 10036 Server, 90022 errors).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from leitwerk.core.positions import PROPERTIES, position_class, stylesheet
from leitwerk.testing.crawl import NOT_FOUND_URL, STATIC_URL, body, crawl
from leitwerk.testing.routes import OWN_TAG, is_public
from leitwerk.testing.world import build_world

TEXT_TYPES = ("text/", "application/json", "application/xml", "application/atom+xml")


def csp_directives(value: str) -> dict[str, list[str]]:
    directives = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def csp_problems(csp: str) -> list[str]:
    problems = []
    d = csp_directives(csp)
    # Downloads (attachments) send the stricter "default-src 'none'; sandbox"; object-src
    # then falls back to 'none'. base-uri, frame-ancestors and form-action never fall back.
    strict = d.get("default-src") == ["'none'"]
    expected_csp = {"base-uri": ["'none'"], "frame-ancestors": ["'none'"]}
    if not strict:
        expected_csp |= {"default-src": ["'self'"], "object-src": ["'none'"]}
    for name, expected in expected_csp.items():
        if d.get(name) != expected:
            problems.append(f"CSP {name} is {d.get(name)}, expected {expected}")
    for name in ("script-src", "style-src", "default-src"):
        unsafe = [v for v in d.get(name, []) if v.startswith("'unsafe-")]
        if unsafe:
            problems.append(f"CSP {name} allows {unsafe}")
    if "form-action" not in d:
        problems.append("CSP has no form-action")
    return problems


def header_problems(response, *, signed_in: bool) -> list[str]:
    csp = response.headers.get("Content-Security-Policy")
    problems = csp_problems(csp) if csp else ["no Content-Security-Policy"]
    expected = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Referrer-Policy": "same-origin",
    }
    for name, value in expected.items():
        if response.headers.get(name) != value:
            problems.append(f"{name} is {response.headers.get(name)!r}, expected {value!r}")
    if "camera=()" not in response.headers.get("Permissions-Policy", ""):
        problems.append("no Permissions-Policy denying the camera")
    content_type = response.headers.get("Content-Type", "")
    # A downloaded file keeps its own encoding, which Leitwerk does not know.
    download = response.headers.get("Content-Disposition", "").startswith("attachment")
    if content_type.startswith(TEXT_TYPES) and "charset=" not in content_type and not download:
        problems.append(f"Content-Type without charset: {content_type}")
    if re.search(r"\d", response.headers.get("Server", "")):
        problems.append(f"Server header names a version: {response.headers['Server']}")
    if signed_in and "no-store" not in response.headers.get("Cache-Control", ""):
        problems.append(f"signed-in response cacheable: {response.headers.get('Cache-Control')}")
    return problems


def extra_responses(client: Client) -> list[tuple[str, object]]:
    """Responses beside the resolver's pages: 404, 405 (method), 400 (bad host), static file."""
    return [
        (NOT_FOUND_URL, client.get(NOT_FOUND_URL)),
        ("OPTIONS /", client.options("/")),
        ("PUT /konto/anmelden/", client.put("/konto/anmelden/")),
        ("bad Host header", client.get("/", HTTP_HOST="evil.example")),
        (STATIC_URL, client.get(STATIC_URL)),
    ]


@pytest.fixture
def world(musterstadt):
    own = build_world(musterstadt, OWN_TAG)
    for row in (own.plan, own.initiative, own.goal, own.indicator):
        row.public = True
        row.save()
    own.survey.status = "open"
    own.survey.save()
    return own


# WhiteNoise serves from the finders in tests (collectstatic only runs in production).
# The full crawl takes about a minute per person: CI runs it (slow), the fast suite checks a
# few pages of every kind below.
@pytest.mark.slow
@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "strategy_user"])
def test_every_response_carries_the_security_headers(who, world, request):
    client = Client()
    signed_in = who != "anonymous"
    if signed_in:
        client.force_login(request.getfixturevalue(who))
    problems, statuses = [], set()
    for page, response in crawl(client, world):
        statuses.add(response.status_code)
        if not signed_in and not is_public(page.route) and response.status_code == 200:
            problems.append(f"{page.url}: 200 without sign-in")
        problems += [
            f"{page.url} ({response.status_code}): {p}"
            for p in header_problems(response, signed_in=signed_in)
        ]
    for label, response in extra_responses(client):
        statuses.add(response.status_code)
        problems += [
            f"{label} ({response.status_code}): {p}"
            for p in header_problems(response, signed_in=signed_in and label != STATIC_URL)
        ]
    assert not problems, "\n".join(problems)
    # The crawl reached pages, redirects, errors and the static file, so the check means something.
    assert {200, 400, 404, 405} <= statuses
    assert 302 in statuses or signed_in


@pytest.mark.django_db
def test_a_page_of_every_kind_carries_the_headers(world, strategy_user):
    """HTML, CSV, JSON, Atom, iCalendar, XML and the login page, anonymous and signed in."""
    slug = {"municipality_slug": world.municipality.slug}
    public = [
        reverse(f"portal:{name}", kwargs=slug)
        for name in (
            "home",
            "open_data_json",
            "open_data_csv",
            "news_feed",
            "calendar_ics",
            "sitemap",
        )
    ] + [reverse("accounts:login")]
    workspace = [
        reverse("home"),
        reverse("plans:detail", kwargs={"pk": world.plan.pk}),
        reverse("plans:initiative_detail", kwargs={"pk": world.initiative.pk}),
    ]
    problems = []
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(strategy_user)
    for url in public + workspace:
        for client, who in ((anonymous, False), (signed_in, True)):
            response = client.get(url)
            assert response.status_code in (200, 302), (url, response.status_code)
            problems += [f"{url}: {p}" for p in header_problems(response, signed_in=who)]
    assert not problems, "\n".join(problems)


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
@pytest.mark.django_db
def test_static_files_are_served_with_the_headers(client):
    response = client.get(STATIC_URL)
    assert response.status_code == 200
    assert "progress" in body(response)
    assert header_problems(response, signed_in=False) == []


@override_settings(ROOT_URLCONF="leitwerk.core.tests.error_urls")
@pytest.mark.django_db
def test_server_error_pages_carry_the_headers(client):
    client.raise_request_exception = False
    response = client.get("/test-fehler/500/")
    assert response.status_code == 500
    assert header_problems(response, signed_in=False) == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/konto/anmelden/", NOT_FOUND_URL])
def test_https_responses_demand_https_for_a_year_with_subdomains(client, url):
    response = client.get(url, secure=True)
    hsts = response.headers.get("Strict-Transport-Security", "")
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert max_age >= 31536000
    assert "includeSubDomains" in hsts


def test_no_template_uses_inline_script_style_or_event_handlers():
    """The CSP blocks them, so any left in a template would silently break the page."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    problems = []
    for template in root.rglob("templates/**/*.html"):
        if "_pdf" in template.name:  # report_pdf.html, briefing_pdf.html, report_pdf_v1.html
            continue  # rendered to PDF by WeasyPrint, never sent to a browser
        text = template.read_text(encoding="utf-8")
        for pattern in (
            r"\sstyle=",
            r"<style",
            r"\son[a-z]+=",
            r"<script(?![^>]*\ssrc=)",
            "javascript:",
        ):
            for match in re.finditer(pattern, text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{template.relative_to(root)}:{line}: {match.group(0).strip()}")
    assert not problems, "\n".join(problems)


def test_position_classes_exist_in_the_stylesheet():
    """Positions replace style attributes; the generated stylesheet must be up to date."""
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/leitwerk/positions.css").read_text()
    assert css == stylesheet()
    for prop in PROPERTIES:
        for value in (0, "0.24", "12.26", 33.333, "99.9", 100, 250, -3):
            assert f".{position_class(value, prop)} {{" in css
    assert position_class("12.26", "left") == "pos-left-125"
    assert position_class(100, "width") == "pos-width-1000"
