"""Browser tests: the demo served by a live server, driven by Debian's Chromium via Playwright.

Run with `make test-browser` (or `pytest -m browser -p no:xdist leitwerk/tests_browser`).
The default `make test` deselects them through the `browser` marker.

The demo is loaded once per session and the server keeps it for every test. pytest-django's
`live_server` fixture would pull in `transactional_db`, which flushes all tables after each test,
so the demo (several seconds to build) would have to be rebuilt per test. We therefore start the
same `LiveServer` helper ourselves, outside any test transaction. Tests carry a plain
`django_db` mark: it makes pytest-django create the test database, and its per-test rollback
undoes what a journey wrote (the in-memory SQLite connection is shared with the server thread,
so the server works inside the test's transaction).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API keeps an asyncio loop in the main thread; Django then refuses ORM calls
# there (demo loading, fixtures). Nothing runs concurrently on that loop, so this is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LEITWERK_CHROMIUM", "/usr/bin/chromium")
# Keep Chromium off the network: this machine's closed network refuses Google's hosts, and a
# test must never depend on (or leak to) anything but the loopback server.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEMO_PASSWORD = "Leitwerk-Demo-2026!"  # noqa: S105 - public demo login (devdata/LOGINS.md)
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}

# Every demo role in both administrations, plus the anonymous visitor.
ROLES: dict[str, str | None] = {
    "anonym": None,
    "musterstadt-strategy": "strategie@musterstadt.example",
    "musterstadt-admin": "admin@musterstadt.example",
    "musterstadt-unit_editor": "fb-leitung@musterstadt.example",
    "musterstadt-project_lead": "projekt@musterstadt.example",
    "musterstadt-council": "rat@musterstadt.example",
    "musterstadt-viewer": "lesen@musterstadt.example",
    "amt-strategy": "strategie@amt-musterland.example",
    "amt-admin": "admin@amt-musterland.example",
    "amt-unit_editor": "fb-leitung@amt-musterland.example",
    "amt-project_lead": "projekt@amt-musterland.example",
    "amt-council": "ausschuss@amt-musterland.example",
    "amt-viewer": "lesen@amt-musterland.example",
}


@pytest.fixture(scope="session")
def demo_server(django_db_setup, django_db_blocker) -> Iterator[str]:
    """Base URL of a live server that serves the complete demo."""
    from pytest_django.live_server_helper import LiveServer

    from leitwerk.devdata.demo import demo_load

    # Unblocked for the whole session: the server thread shares the test database connection.
    with django_db_blocker.unblock():
        demo_load()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server.url
        finally:
            server._live_server_modified_settings.disable()
            server.stop()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} fehlt – bitte scripts/install-browser-deps.sh ausführen.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def login_states(demo_server) -> Callable[[str], dict | None]:
    """`login_states(role)` → a Playwright storage state signed in as that role (None: anonym).

    Sessions are created server-side (the login form itself is a journey of its own), all at
    session start: the rows must exist before the first test opens its transaction, or its
    rollback would sign everybody out again.
    """
    from django.conf import settings
    from django.test import Client

    from leitwerk.accounts.models import User

    host = urlsplit(demo_server).hostname
    states: dict[str, dict | None] = {}
    for role, email in ROLES.items():
        if email is None:
            states[role] = None
            continue
        client = Client()
        client.force_login(User.objects.get(email=email))
        cookie = {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "domain": host,
            "path": "/",
            "httpOnly": True,
            "secure": False,
            "sameSite": "Lax",
            "expires": -1,
        }
        states[role] = {"cookies": [cookie], "origins": []}
    return states.__getitem__


@pytest.fixture
def new_page(browser, demo_server, login_states):
    """`new_page(role="anonym", width=1280, js=True)` → a fresh page in its own context."""
    contexts = []

    def make(role: str = "anonym", *, width: int = 1280, height: int = 900, js: bool = True):
        context = browser.new_context(
            base_url=demo_server,
            viewport={"width": width, "height": height},
            storage_state=login_states(role),
            java_script_enabled=js,
            locale="de-DE",
            timezone_id="Europe/Berlin",
            # axe is injected as a script tag; the portal may send a strict CSP.
            bypass_csp=True,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"^(?!.*/konto/anmelden/).*$"))


def screenshot(page, name: str, *, full_page: bool = False) -> Path:
    """Write docs/screenshots/<name>.png; the README and docs/HANDBUCH.md show these files."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # Fonts and layout settle after load; a short pause avoids half-rendered web fonts.
    page.wait_for_load_state("networkidle")
    time.sleep(0.1)
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


def pytest_terminal_summary(terminalreporter):
    """The accessibility summary table: pages per role, axe findings, widest page at 320 px."""
    from .audit import RESULTS

    if not RESULTS:
        return
    write = terminalreporter.write_line
    terminalreporter.section("Barrierefreiheit – Ergebnis je Rolle")
    write(f"{'Rolle':<26} {'Seiten':>6} {'schwer/krit.':>12} {'übrige':>7} {'max. Breite 320':>15}")
    rules: dict[str, set[str]] = {}
    for role, pages in RESULTS.items():
        html = [p for p in pages if p.is_html_page]
        blocking = sum(v["count"] for p in html for v in p.blocking)
        other = sum(v["count"] for p in html for v in p.violations) - blocking
        widest = max((p.scroll_width_320 for p in html), default=0)
        write(f"{role:<26} {len(html):>6} {blocking:>12} {other:>7} {widest:>15}")
        for p in html:
            for v in p.violations:
                rules.setdefault(f"{v['id']} ({v['impact']})", set()).add(p.url)
    for rule, urls in sorted(rules.items()):
        write(f"  {rule}: {len(urls)} Seite(n), z. B. {sorted(urls)[0]}")
    # Links that answered with an error (known ones pass the gate, see KNOWN_BROKEN_LINKS).
    broken = {(p.status, p.url) for pages in RESULTS.values() for p in pages if not p.is_html_page}
    for status, url in sorted(broken):
        write(f"  Fehlerstatus {status}: {url}")


@pytest.fixture(scope="session")
def django_db_use_migrations() -> bool:
    # Tables straight from the models: 3 s instead of 30 s for the migration chain. The root
    # conftest then records the migrations and writes the data migrations' rows, and
    # `make lint` checks that migrations match the models.
    return False
