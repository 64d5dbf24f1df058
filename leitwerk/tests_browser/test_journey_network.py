"""A network that connects (issue 19): Musterstadt asks Amt Musterland about a shared Vorhaben,
the Amt answers and accepts, and both read the thread; Musterstadt then sees the contact."""

from __future__ import annotations

import re

import pytest

from .audit import run_axe
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def blocking(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['targets']}"
        for v in run_axe(page)
        if v["impact"] in ("serious", "critical")
    ]


def test_a_transfer_request_from_question_to_contact(new_page):
    from leitwerk.network.models import SharedInitiative

    shared = (
        SharedInitiative.objects.across_municipalities()
        .filter(municipality__slug="amt-musterland")
        .first()
    )
    assert shared is not None, "the demo's Amt shares a Vorhaben"
    asking = new_page("musterstadt-strategy")
    asking.goto(f"/arbeitsbereich/netzwerk/geteilt/{shared.pk}/")
    asking.get_by_label("Was möchten Sie wissen?").fill(
        "Wie haben Sie die Gemeinden für das Vorhaben gewonnen?"
    )
    asking.get_by_label("Ihre Ansprechstelle (Funktion)").fill("Stabsstelle Strategie")
    asking.get_by_role("button", name="Anfrage senden").click()
    asking.goto("/arbeitsbereich/netzwerk/")
    asking.get_by_role("link", name=shared.title).last.click()
    asking.wait_for_url(re.compile(r"/netzwerk/anfragen/\d+/$"))
    thread_url = asking.url
    assert asking.get_by_text("sobald Amt Musterland die Anfrage annimmt").count() == 1

    answering = new_page("amt-strategy")
    answering.goto(thread_url)
    assert answering.get_by_role("heading", level=1).inner_text().startswith("Musterstadt fragt")
    answering.get_by_label("Ihre Nachricht").fill("Gern – wir erzählen, wie es lief.")
    answering.get_by_role("button", name="Nachricht senden").click()
    answering.get_by_label("Ansprechperson (Name)").fill("Anna Amtmann")
    answering.get_by_label("E-Mail der Ansprechperson").fill("a.amtmann@amt-musterland.example")
    answering.get_by_role("button", name="Anfrage annehmen").click()
    assert answering.get_by_text("Sie haben die Anfrage angenommen").count() == 1
    assert not blocking(answering), "Anfrage (Amt): axe schwerwiegend"
    screenshot(answering, "network-anfrage-amt", full_page=True)

    asking.goto(thread_url)
    assert asking.get_by_text("a.amtmann@amt-musterland.example").count() == 1
    assert asking.get_by_text("Gern – wir erzählen, wie es lief.").count() == 1
    screenshot(asking, "network-anfrage-musterstadt", full_page=True)
    asking.goto("/arbeitsbereich/controlling/meine-aktualisierungen/")
    assert asking.get_by_text("hat Ihre Anfrage zu").count() >= 1


def test_the_benchmark_chart_draws_its_bars(new_page):
    """The chart was blank (decimal commas in the SVG); now every bar has a width on screen."""
    page = new_page("musterstadt-strategy")
    page.goto("/arbeitsbereich/netzwerk/n/kommunale-steuerung/kennzahlen/wartezeit-buergeramt/")
    chart = page.locator("figure svg[role=img]")
    assert chart.count() == 1, "the demo network compares enough municipalities"
    boxes = [box for box in (r.bounding_box() for r in chart.locator("rect").all()) if box]
    assert len(boxes) >= 4 and all(box["height"] > 0 for box in boxes)
    bars = [box for box in boxes if box["width"] > 3]
    assert bars, "at least our own bar is drawn"
    assert page.locator("table caption").filter(has_text="Unser Wert").count() == 1
    # Audit L9: the page says that shares reach the comparison once a quarter.
    assert page.get_by_text("einmal im Quartal in den Vergleich").count() == 1
    assert not blocking(page), "Kennzahlenvergleich: axe schwerwiegend"
    chart.scroll_into_view_if_needed()
    screenshot(page, "network-kennzahl-diagramm")
