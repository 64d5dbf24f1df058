"""A citizen answers a survey on a 360 px phone screen with JavaScript switched off.

Run with `pytest -m browser -p no:xdist leitwerk/feedback/tests/test_browser.py`
(Debian's Chromium via Playwright; deselected in the default run by the `browser` marker).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from leitwerk.feedback.models import Response
from leitwerk.feedback.tests.factories import LocationFactory, make_open_survey

# Playwright's sync API keeps an asyncio loop in this thread; nothing else runs on it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LEITWERK_CHROMIUM", "/usr/bin/chromium")

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(live_server):
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        # CI installs Chromium (scripts/install-browser-deps.sh): there a missing browser is a failure.
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} fehlt")
        pytest.skip(f"{CHROMIUM} fehlt")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 360, "height": 740},
            java_script_enabled=False,
            locale="de-DE",
        )
        yield context
        context.close()
        browser.close()


def test_citizen_answers_on_360px_without_javascript(phone, live_server, musterstadt):
    nord = LocationFactory(municipality=musterstadt, name="Bürgeramt Nord")
    survey = make_open_survey(musterstadt, locations=[nord], title="Zufriedenheit Bürgeramt")
    page = phone.new_page()
    origins: set[str] = set()
    page.on("request", lambda request: origins.add(urlparse(request.url).netloc))

    page.goto(f"/musterstadt/umfragen/{survey.pk}/?standort={nord.pk}")
    assert page.get_by_role("heading", name="Zufriedenheit Bürgeramt").is_visible()
    # No horizontal scrolling on a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    overall = page.get_by_role("radiogroup", name="Wie zufrieden sind Sie insgesamt")
    overall.get_by_label("4").check()
    page.get_by_role("radiogroup", name="Konnten Sie Ihr Anliegen erledigen?").get_by_label(
        "ja"
    ).check()
    page.get_by_label("Was können wir besser machen?").fill("Mehr Sitzplätze")
    page.get_by_role("button", name="Antworten abschicken").click()

    assert page.get_by_role("heading", name="Vielen Dank!").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    response = Response.objects.get()
    assert response.location == nord
    assert response.answers.count() == 3
    assert origins == {urlparse(live_server.url).netloc}
    assert {c["name"] for c in phone.cookies()} <= {"csrftoken"}
