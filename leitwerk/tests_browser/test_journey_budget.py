"""Produkthaushalt journey: the strategy office (standing in for the Kämmerei) imports a product
list and then actual key figures from the finance system, opens the Teilhaushalt's "Ziele und
Kennzahlen" page and downloads it as DOCX. Screenshots: docs/screenshots/budget-*.png (the DOCX
converted by LibreOffice when it is installed)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document

from .audit import run_axe
from .conftest import SCREENSHOTS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

YEAR = timezone.localdate().year

PRODUCT_LIST = (
    "Teilhaushalt;Teilhaushalt Bezeichnung;Produktbereich;Produktgruppe;Produkt-Nr.;"
    "Produktbezeichnung;Verantwortlich;Kennzahl-Nr.;Kennzahl;Einheit;"
    f"Ergebnis {YEAR - 2};Ansatz {YEAR};Planung {YEAR + 1};Planung {YEAR + 2};Bemerkung\n"
    "3;Schule, Kultur und Sport;21 Schulträgeraufgaben;211 Grundschulen;21101;Grundschulen;"
    f"FB 8 Schulen;K1;Schülerinnen und Schüler;Anzahl;1.210;1.260;1.280;1.300;geprüft\n"
    "3;Schule, Kultur und Sport;21 Schulträgeraufgaben;211 Grundschulen;21101;Grundschulen;"
    "FB 8 Schulen;K2;Ganztagsquote;%;48;60;66;72;\n"
    "3;Schule, Kultur und Sport;25 Kultur;252 Bibliotheken;25201;Stadtbibliothek;"
    "FB 9 Kultur;K1;Ausleihen;Anzahl;84.500;88.000;90.000;92.000;\n"
)
ACTUALS = (
    "Produkt;Kennzahl;Jahr;Wert\n"
    f"21101;K1;{YEAR - 1};1.236\n"
    f"21101;K2;{YEAR - 1};55,5\n"
    f"25201;K1;{YEAR - 1};86.120\n"
)


def _blocking(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['targets']}"
        for v in run_axe(page)
        if v["impact"] in ("serious", "critical")
    ]


def _import(page, kind_label: str, path: Path) -> None:
    page.goto("/arbeitsbereich/haushalt/")
    page.get_by_role("link", name="Produktliste oder Kennzahlen importieren").click()
    page.get_by_label(re.compile(kind_label)).check()
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Vorschau anzeigen").click()
    page.get_by_role("heading", level=1, name=re.compile("^Vorschau")).wait_for()


def test_kaemmerei_imports_the_product_budget_and_downloads_the_teilhaushalt(new_page, tmp_path):
    # JavaScript on only for the accessibility check (axe); the pages need none.
    page = new_page("musterstadt-strategy")
    products = tmp_path / "produktliste.csv"
    products.write_text(PRODUCT_LIST, encoding="cp1252")
    actuals = tmp_path / "ist-kennzahlen.csv"
    actuals.write_text(ACTUALS, encoding="utf-8")

    # 1. The product list: the preview says what would change and names the unknown column.
    _import(page, "^Produktliste", products)
    counts = page.get_by_role("table", name="Was die Datei enthält und was sich ändert")
    assert "Kennzahlwerte" in counts.inner_text()
    assert "Bemerkung" in page.locator(".notice").inner_text()
    assert _blocking(page) == []
    screenshot(page, "budget-import-vorschau", full_page=True)
    page.get_by_role("button", name="Import bestätigen").click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/haushalt/$"))
    assert "Import von produktliste.csv abgeschlossen" in page.locator(".messages").inner_text()

    # 2. The actual key figures of last year, through the same machinery.
    _import(page, "^Kennzahlwerte", actuals)
    assert "3" in page.get_by_role("table").inner_text()
    page.get_by_role("button", name="Import bestätigen").click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/haushalt/$"))
    screenshot(page, "budget-uebersicht", full_page=True)

    # 3. The Teilhaushalt as the budget plan prints it.
    page.get_by_role("link", name="3 Schule, Kultur und Sport", exact=True).click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/haushalt/teilhaushalt/\d+/$"))
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == f"3 Schule, Kultur und Sport: Ziele und Kennzahlen {YEAR}"
    table = page.get_by_role("table", name="Kennzahlen von Produkt 21101")
    text = table.inner_text()
    assert f"Ist {YEAR - 1}" in text and f"Plan {YEAR}" in text and f"Ziel {YEAR + 1}" in text
    assert "1.236" in text and "55,5" in text and "1.260" in text
    assert _blocking(page) == []
    screenshot(page, "budget-teilhaushalt-import", full_page=True)

    # 4. The DOCX for the Kämmerei.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Als Word-Datei herunterladen (DOCX)").click()
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(str(target))
    assert target.name == f"ziele-und-kennzahlen-th-3-{YEAR}.docx"
    document = Document(str(target))
    assert "Produkt 21101 Grundschulen" in [p.text for p in document.paragraphs]
    assert document.tables[0].rows[1].cells[0].text == "Schülerinnen und Schüler"
    _render_docx(target)

    # 5. The product page: chart with its data table.
    page.get_by_role("link", name="Produkt 21101 Grundschulen", exact=True).click()
    assert page.locator("main svg.chart").count() == 2
    assert page.get_by_role("table", name="Werte: Ganztagsquote").is_visible()
    assert _blocking(page) == []
    screenshot(page, "budget-produkt-import", full_page=True)

    # 6. The demo's Teilhaushalt with goals by KGSt level, and a product with Vorhaben budgets.
    page.goto("/arbeitsbereich/haushalt/")
    page.get_by_role("link", name="1 Zentrale Verwaltung und Bürgerservice", exact=True).click()
    assert "Wirkungsziel:" in page.locator("main").inner_text()
    screenshot(page, "budget-teilhaushalt", full_page=True)
    page.get_by_role("link", name="Produkt 11101 Bürgerservice und Bürgerämter").click()
    budgets = page.get_by_role("table", name=re.compile("^Vorhaben, die diesem Produkt dienen"))
    assert "Online-Terminvergabe" in budgets.inner_text()
    assert _blocking(page) == []
    screenshot(page, "budget-produkt", full_page=True)


def _render_docx(path: Path) -> None:
    """The downloaded DOCX as LibreOffice prints it: docs/screenshots/budget-docx.png."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    if not (soffice and pdftoppm):
        return
    subprocess.run(  # noqa: S603 - fixed programs, our own file names, no shell
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(path.parent), str(path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = path.with_suffix(".pdf")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 - fixed programs, our own file names, no shell
        [pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(SCREENSHOTS / "budget-docx")],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
