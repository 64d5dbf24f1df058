"""Beschlusskontrolle journey: RIS sync twice from a local OParl server, a decision marked
"verzögert" with its reason, and the quarterly information paper.

Without JavaScript, as the strategy office and the unit editor (FB 4) of the Musterstadt demo.
Writes docs/screenshots/council-*.png.
"""

from __future__ import annotations

import datetime as dt

import pytest

from leitwerk.testing.oparl_server import serve_oparl

from .audit import run_axe
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _blocking(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['targets']}"
        for v in run_axe(page)
        if v["impact"] in ("serious", "critical")
    ]


def _worker_runs_the_sync() -> None:
    # The server shares the test's transaction, so the task queued on commit never starts by
    # itself: run it here as the worker would.
    from leitwerk.council.models import RisSource
    from leitwerk.council.tasks import run_ris_sync

    source = RisSource.objects.across_municipalities().get(municipality__slug="musterstadt")
    assert source.sync_queued_at is not None
    run_ris_sync.enqueue(source.pk, None)


def test_sync_twice_from_the_ris_then_nothing_changed(new_page):
    with serve_oparl() as server:
        office = new_page("musterstadt-strategy", js=False)
        office.goto("/arbeitsbereich/beschluesse/ratsinformationssystem/")
        office.get_by_label("OParl-Adresse des Ratsinformationssystems").fill(server.system_url)
        office.get_by_role("button", name="Einstellungen speichern").click()
        office.get_by_role("button", name="Jetzt abgleichen").click()
        message = office.locator(".messages").inner_text()
        assert "läuft im Hintergrund" in message, message
        assert "wartet auf den Start" in office.locator("main").inner_text()
        _worker_runs_the_sync()
        office.get_by_role("link", name="Aktualisieren").click()
        result = office.get_by_role("table", name="Ergebnis des letzten Abgleichs")
        assert "Beschlüsse" in result.inner_text()
        screenshot(office, "council-ris-erster-abgleich", full_page=True)

        office.get_by_role("button", name="Jetzt abgleichen").click()
        _worker_runs_the_sync()
        office.get_by_role("link", name="Aktualisieren").click()
        assert "beendet" in office.locator("main").inner_text()
        screenshot(office, "council-ris-zweiter-abgleich")
        # Incremental: the second run asked only for what changed since the first.
        assert any("modified_since=" in url for url in server.requests)

    decisions = new_page("musterstadt-strategy", js=False)
    decisions.goto("/arbeitsbereich/beschluesse/beschluesse/")
    assert "Satzungsänderung für Ausschreibungen" in decisions.content()


def test_the_unit_marks_a_decision_delayed_and_the_paper_is_produced(new_page, tmp_path):
    editor = new_page("musterstadt-unit_editor", js=False)
    editor.goto("/arbeitsbereich/beschluesse/")
    screenshot(editor, "council-beschlusskontrolle", full_page=True)
    editor.get_by_role(
        "link", name="Antrag der Fraktion Bürgerliste: Sitzbänke am Marktplatz"
    ).click()
    editor.get_by_role("link", name="Stand eintragen").click()
    editor.get_by_role("combobox", name="Stand").select_option(label="verzögert")
    editor.get_by_role("button", name="Änderungen speichern").click()
    # Without a reason: refused, with the message at the field.
    assert "Grund" in editor.locator("#id_delay_reason-error").inner_text()
    editor.get_by_label("Grund der Verzögerung").fill(
        "Die Standorte müssen noch mit dem Denkmalschutz abgestimmt werden."
    )
    editor.get_by_role("button", name="Änderungen speichern").click()
    assert "Die Änderungen sind gespeichert." in editor.locator(".messages").inner_text()
    assert "verzögert" in editor.locator(".facts").nth(1).inner_text()
    screenshot(editor, "council-verzoegert", full_page=True)

    office = new_page("musterstadt-strategy", js=False)
    office.goto("/arbeitsbereich/beschluesse/")
    row = office.get_by_role("row").filter(has_text="Sitzbänke am Marktplatz")
    assert "Denkmalschutz" in row.inner_text()
    office.goto("/arbeitsbereich/beschluesse/informationsvorlage/")
    today = dt.date.today()  # noqa: DTZ011 - the demo follows the local calendar
    quarter = f"Q{(today.month - 1) // 3 + 1}/{today.year}"
    office.get_by_label("Quartal").select_option(label=quarter)
    for fmt, label in (
        ("pdf", "PDF (zum Verteilen)"),
        ("docx", "Word (zum Weiterbearbeiten im RIS)"),
    ):
        office.get_by_label(label).check()
        with office.expect_download() as download_info:
            office.get_by_role("button", name="Vorlage herunterladen").click()
        download = download_info.value
        assert download.suggested_filename.endswith(f".{fmt}")
        download.save_as(tmp_path / f"vorlage.{fmt}")
    assert (tmp_path / "vorlage.pdf").read_bytes().startswith(b"%PDF")
    screenshot(office, "council-informationsvorlage")

    checked = new_page("musterstadt-strategy")
    checked.goto("/arbeitsbereich/beschluesse/")
    assert _blocking(checked) == []
