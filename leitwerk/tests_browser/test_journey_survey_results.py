"""Journey: the strategy office reads the citizen survey per location, closes the pulse wave
and finds the survey-fed value on the Vorhaben page (issue 17). Screenshots: `survres-*`."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from leitwerk.feedback.models import Survey, SurveyKind
from leitwerk.plans.models import Initiative

from .audit import run_axe
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _blocking(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['targets']}"
        for v in run_axe(page)
        if v["impact"] in ("serious", "critical")
    ]


def test_strategy_reads_results_per_location_closes_the_pulse_and_sees_the_value(new_page):
    citizen = Survey.objects.get(title__startswith="Wie zufrieden waren Sie mit Ihrem Besuch")
    pulse = Survey.objects.get(kind=SurveyKind.STAFF_PULSE, municipality__slug="musterstadt")
    first_wave = citizen.waves.order_by("opened_on").first()
    page = new_page("musterstadt-strategy")

    # The citizen survey's closed first wave: per location, mean and distribution.
    page.goto(reverse("feedback:survey_results", args=[citizen.pk]) + f"?welle={first_wave.pk}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Ergebnisse")
    overall = page.get_by_role("table", name=re.compile("Verteilung der Antworten: Wie zufrieden"))
    for location in ("Bürgeramt Nord", "Bürgeramt Ost", "Bürgeramt Süd"):
        row = overall.get_by_role("row", name=re.compile(location))
        cells = row.locator("td").all_inner_texts()
        assert cells[0] == "12", (location, cells)
        assert re.fullmatch(r"\d,\d\d", cells[-2]), (location, cells)  # the mean
    assert "1 (8" in overall.get_by_role("row", name=re.compile("Bürgeramt Nord")).inner_text()
    assert page.get_by_role("img", name=re.compile("Verlauf")).count() == 1
    assert not _blocking(page)
    screenshot(page, "survres-buergeramt-welle-1", full_page=True)

    # The running second wave: no figure per location, only a coarse running total.
    page.goto(reverse("feedback:survey_results", args=[citizen.pk]))
    assert "Diese Welle läuft noch" in page.content()
    assert "mindestens 10" in page.content()
    page.get_by_role("heading", name=re.compile("Welle „Welle 2“")).scroll_into_view_if_needed()
    screenshot(page, "survres-buergeramt-laufende-welle")

    # Close the pulse wave on the survey page (no JavaScript needed).
    page.goto(reverse("feedback:survey_detail", args=[pulse.pk]))
    page.get_by_role("button", name=re.compile("abschließen")).click()
    assert "Indikator(en) haben einen neuen Messwert" in page.content()

    # Team, dimension and statement results of the pulse, now that it is closed.
    page.goto(reverse("feedback:survey_results", args=[pulse.pk]))
    assert page.get_by_role("heading", name="Ergebnis je Dimension der Leitlinien").count() == 1
    assert "Gesprächsanlass im Team" in page.content()
    assert not _blocking(page)
    screenshot(page, "survres-puls-ergebnisse", full_page=True)

    # The value on the Vorhaben page, in the indicator's table of measurements.
    initiative = Initiative.objects.get(title="Führen nach unseren Leitlinien")
    page.goto(reverse("plans:initiative_detail", args=[initiative.pk]))
    table = page.get_by_role("table", name=re.compile("Messwerte: Zustimmung im Leitlinien-Puls"))
    assert table.get_by_text(re.compile(f"{re.escape(pulse.title)} – ")).count() == 1
    page.get_by_role("heading", name="Zustimmung im Leitlinien-Puls").scroll_into_view_if_needed()
    screenshot(page, "survres-vorhaben-indikator")

    # The procedure description for the Personalrat, generated for this survey.
    page.goto(reverse("feedback:survey_disclosure", args=[pulse.pk]))
    assert "weniger als 7 Antworten" in page.content()
    assert not _blocking(page)
    screenshot(page, "survres-verfahrensbeschreibung", full_page=True)
