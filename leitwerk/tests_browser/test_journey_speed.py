"""Issue 21: the kept (cached) workspace pages look and work as before in Chromium."""

from __future__ import annotations

import re

import pytest

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_plan_page_and_dashboard_served_twice_look_the_same(new_page):
    page = new_page("musterstadt-strategy")
    page.goto("/")
    page.locator("main .card__title a").first.click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/plaene/\d+/$"))
    first = page.locator("main").inner_text()
    page.reload()  # the second time from the cache
    assert page.locator("main").inner_text() == first
    assert page.get_by_role("heading", name="Zeitleiste der Vorhaben und Meilensteine").count()
    assert page.locator(".gantt__mark").count() > 0
    screenshot(page, "speed-plan", full_page=True)
    page.goto("/arbeitsbereich/controlling/")
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text() == "Controlling: Frühwarnung"
    screenshot(page, "speed-dashboard")
