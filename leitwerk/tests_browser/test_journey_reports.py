"""Council reports: the Stabsstelle writes a Sitzungsvorlage with its fields and Beratungsfolge,
schedules reports before the council's meetings and bundles the meeting's briefing book.

Screenshots: docs/screenshots/reports-*.png – the pages, PDF pages, and the DOCX and XLSX as
LibreOffice lays them out (converted to PDF, then to PNG), so the office files are looked at.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .audit import run_axe
from .conftest import SCREENSHOTS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

COUNCIL = "Rat der Stadt Musterstadt"
MEETING = dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=21)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")


def blocking(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['targets']}"
        for v in run_axe(page)
        if v["impact"] in ("serious", "critical")
    ]


def _pages_as_png(pdf: Path, name: str, pages: int) -> list[Path]:
    """The first `pages` pages of a PDF as docs/screenshots/reports-<name>-<n>.png."""
    if not PDFTOPPM:
        return []
    prefix = SCREENSHOTS / f"reports-{name}"
    subprocess.run(  # noqa: S603 - fixed tool, our own files
        [PDFTOPPM, "-png", "-r", "60", "-f", "1", "-l", str(pages), str(pdf), str(prefix)],
        check=True,
    )
    return sorted(SCREENSHOTS.glob(f"reports-{name}-*.png"))


def _office_pages(source: Path, name: str, tmp_path: Path, pages: int = 2) -> list[Path]:
    """An office file converted by LibreOffice to PDF, its first pages as PNG."""
    if not SOFFICE:
        return []
    subprocess.run(  # noqa: S603 - fixed tool, our own files
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return _pages_as_png(tmp_path / f"{source.stem}.pdf", name, pages)


def _create(page, *, title: str, fmt: str, agenda: str, tmp_path: Path) -> Path:
    page.goto("/arbeitsbereich/berichte/")
    page.get_by_label("Betreff").fill(title)
    page.get_by_label("Beschlussvorlage").check()
    page.get_by_label("Federführende Stelle").select_option(index=1)
    page.get_by_label(re.compile(f"^{fmt.upper()} –")).check()
    page.get_by_label("Gremium 1").select_option(label=COUNCIL)
    page.get_by_label("Sitzung 1 am").fill(MEETING.isoformat())
    page.get_by_label("Tagesordnungspunkt 1").fill(agenda)
    page.get_by_label("Zuständigkeit 1").select_option(label="Entscheidung")
    page.get_by_label("Beschlussvorschlag").fill(
        "Der Rat nimmt den Sachstand zur Kenntnis und beauftragt die Verwaltung, "
        "die kritischen Vorhaben bis zur nächsten Sitzung neu zu planen."
    )
    page.get_by_label("Sachverhalt").fill("Der Rat hat den Aktionsplan im Frühjahr beschlossen.")
    page.get_by_label("Finanzielle Auswirkungen").fill("Keine zusätzlichen Mittel.")
    page.get_by_label("Klimarelevanz").fill("Positiv: Radverkehr und Gebäudesanierung.")
    page.get_by_label("Anlagen").fill("Maßnahmenübersicht\nKarte der Radwege")
    page.get_by_role("button", name="Bericht erstellen").click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/berichte/\d+/$"))
    assert "fertig: Der Bericht ist fertig." in page.locator("main").inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("herunterladen")).click()
    target = tmp_path / f"{fmt}-{agenda}.{fmt}"
    download_info.value.save_as(target)
    return target


def test_a_sitzungsvorlage_is_written_scheduled_and_bundled_into_a_briefing_book(
    new_page, tmp_path
):
    page = new_page("musterstadt-strategy")
    page.goto("/arbeitsbereich/berichte/")
    assert blocking(page) == []
    screenshot(page, "reports-form", full_page=True)

    pdf = _create(
        page,
        title="Sachstand Aktionsplan – Sitzungsvorlage",
        fmt="pdf",
        agenda="5",
        tmp_path=tmp_path,
    )
    body = page.locator("main").inner_text()
    assert "Beschlussvorlage" in body and COUNCIL in body
    assert blocking(page) == []
    screenshot(page, "reports-detail", full_page=True)
    assert pdf.read_bytes()[:4] == b"%PDF"
    _pages_as_png(pdf, "pdf", 3)

    docx = _create(
        page,
        title="Sachstand Aktionsplan – zum Bearbeiten",
        fmt="docx",
        agenda="7",
        tmp_path=tmp_path,
    )
    assert docx.read_bytes()[:2] == b"PK"
    _office_pages(docx, "docx", tmp_path)
    xlsx = _create(
        page, title="Sachstand Aktionsplan – Daten", fmt="xlsx", agenda="9", tmp_path=tmp_path
    )
    _office_pages(xlsx, "xlsx", tmp_path, pages=3)

    # A schedule: a report two weeks before each of the council's next meetings.
    page.goto("/arbeitsbereich/berichte/")
    page.get_by_role("link", name="Berichtszeitpläne").click()
    page.get_by_label("Aktionsplan").select_option(index=1)
    page.get_by_role("combobox", name="Gremium").select_option(label=COUNCIL)
    page.get_by_label("Tage vor der Sitzung").fill("14")
    later = MEETING + dt.timedelta(days=56)
    page.get_by_label("Nächste Sitzungstermine").fill(f"{MEETING:%d.%m.%Y}\n{later:%d.%m.%Y}")
    page.get_by_role("button", name="Zeitplan anlegen").click()
    row = page.get_by_role("row").filter(has_text=COUNCIL).filter(has_text=f"{MEETING:%d.%m.%Y}")
    assert row.count() == 1
    assert blocking(page) == []
    screenshot(page, "reports-schedules", full_page=True)

    # The briefing book of that meeting: the three papers in agenda order.
    page.goto("/arbeitsbereich/berichte/")
    page.get_by_role("link", name="Sitzungsmappe").click()
    # The demo has papers for later meetings too: this one's.
    page.locator(f"a[href*='datum={MEETING:%Y-%m-%d}']").filter(has_text=COUNCIL).first.click()
    items = page.locator("section[aria-labelledby=book-title] ol li").all_inner_texts()
    assert [i.split(":")[0] for i in items] == ["TOP 5", "TOP 7", "TOP 9"]
    assert blocking(page) == []
    screenshot(page, "reports-briefing-book", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Sitzungsmappe als PDF").click()
    book = tmp_path / "mappe.pdf"
    download_info.value.save_as(book)
    _pages_as_png(book, "briefing-pdf", 2)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="DOCX-Dateien als ZIP").click()
    assert download_info.value.suggested_filename.endswith(".zip")
