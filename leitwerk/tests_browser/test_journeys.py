"""Journeys end to end in Chromium; they also write the screenshots in docs/screenshots/.

Each journey runs inside the test's transaction (see conftest), so what it saves is gone again
for the next test.
"""

from __future__ import annotations

import re

import pytest

from .audit import run_axe, scroll_width_at
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PLAN_CSV = (
    "Nr.;Aktionsfeld;Vorhaben;Zielsetzung;Meilensteine;Indikatoren\n"
    "1;Aktionsfeld A Klimaschutz vor Ort;Dachflächen für Photovoltaik;Mehr Strom vom Dach;"
    "Kataster fertig;Installierte Leistung in kWp\n"
    "2;;Radwege an Schulen;Sichere Schulwege;Planung beschlossen;Kilometer neue Radwege\n"
)


def blocking(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['targets']}"
        for v in run_axe(page)
        if v["impact"] in ("serious", "critical")
    ]


def test_import_a_plan_upload_preview_confirm(new_page):
    page = new_page("musterstadt-strategy")
    page.goto("/arbeitsbereich/import/")
    page.get_by_label("Aktionsplan", exact=False).first.check()
    page.get_by_label("Datei", exact=True).set_input_files(
        {"name": "klimaplan.csv", "mimeType": "text/csv", "buffer": PLAN_CSV.encode()}
    )
    page.get_by_role("button", name="Vorschau anzeigen").click()
    expect_heading = page.get_by_role("heading", level=1)
    assert expect_heading.inner_text().startswith("Vorschau")
    assert page.get_by_text("Dachflächen für Photovoltaik").count() >= 1
    assert not blocking(page), "Vorschau: axe schwerwiegend"
    screenshot(page, "import-vorschau")
    # The file names no title: the preview asks for the one the council adopted.
    page.get_by_label("Titel des Aktionsplans").fill("Klimaschutzplan Musterstadt")
    page.get_by_role("button", name="Jetzt importieren").click()
    # The import runs as a background task; its status page says how far it got.
    page.wait_for_url(re.compile(r"/arbeitsbereich/import/laeufe/\d+/$"))
    assert not blocking(page), "Importstatus: axe schwerwiegend"
    page.get_by_role("link", name="Zum importierten Aktionsplan").click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/plaene/\d+/$"))
    assert page.get_by_role("link", name="Radwege an Schulen").count() == 1


def test_answer_a_survey_on_a_phone_without_javascript(new_page):
    """Citizen journey: 360 px wide, JavaScript off, from the portal's survey list to „Danke“."""
    page = new_page(width=360, height=740, js=False)
    page.goto("/musterstadt/umfragen/")
    links = page.locator("main a[href*='/umfragen/']").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    links = [href for href in links if re.search(r"/umfragen/\d+/$", href)]
    assert links, "Keine öffentliche Umfrage in der Demo"
    for href in links:
        page.goto(href)
        if (
            page.locator("form button[type=submit]").count()
            and not page.locator("input[name=code]").count()
        ):
            break
    else:
        pytest.skip("Alle Demo-Umfragen verlangen einen Zugangscode")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "umfrage-360")
    # Answer every question with its first choice; free text gets one sentence.
    for group in page.locator("main form input[type=radio]").evaluate_all(
        "els => [...new Set(els.map(e => e.name))]"
    ):
        page.locator(f"main form input[type=radio][name='{group}']").first.check()
    for name in page.locator("main form textarea").evaluate_all("els => els.map(e => e.name)"):
        page.locator(f"main form textarea[name='{name}']").fill("Mehr Bänke am Marktplatz.")
    page.get_by_role("button", name="Antworten abschicken").click()
    assert "Dank" in page.get_by_role("heading", level=1).inner_text()


def test_read_the_portal(new_page):
    page = new_page()
    page.goto("/musterstadt/")
    assert page.get_by_role("heading", level=1).count() == 1
    screenshot(page, "portal")
    page.get_by_role("navigation", name="Bereiche").get_by_role("link", name="Vorhaben").click()
    page.locator("main table a, main .card a").first.click()
    assert page.get_by_role("heading", level=1).count() == 1
    assert not blocking(page)
    assert scroll_width_at(page, 320)[0] <= 320


def test_screenshots_of_the_main_pages(new_page):
    """The pictures for README.md and docs/HANDBUCH.md, taken as the strategy office."""
    page = new_page("musterstadt-strategy")
    page.goto("/")
    screenshot(page, "start")
    page.locator("main .card__title a").first.click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/plaene/\d+/$"))
    # Full page: the timeline of Vorhaben and milestones sits below the action fields.
    assert page.get_by_role("heading", name="Zeitleiste der Vorhaben und Meilensteine").count()
    screenshot(page, "plan", full_page=True)
    page.locator("main table th a").first.click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/plaene/vorhaben/\d+/$"))
    screenshot(page, "vorhaben")
    page.goto("/arbeitsbereich/leitbild/")
    page.locator("main table a").first.click()
    screenshot(page, "leitbild")
    page.goto("/arbeitsbereich/controlling/")
    assert page.get_by_role("heading", level=1).inner_text() == "Controlling: Frühwarnung"
    screenshot(page, "dashboard")


@pytest.mark.parametrize(
    ("role", "name", "reads_reports"),
    [
        ("musterstadt-project_lead", "projektleitung", False),
        ("musterstadt-council", "rat", True),
    ],
)
def test_project_lead_and_council_start_on_the_overview_of_their_town(
    new_page, role, name, reads_reports
):
    """After signing in, the project lead and the council member see Musterstadt's overview
    with its action plans and the steps of the steering cycle; the council reads the reports,
    the project lead sees „Berichte“ marked as not for the role. Also takes the pictures of
    these start pages for docs/HANDBUCH.md."""
    page = new_page(role)
    response = page.goto("/")
    assert response is not None and response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Übersicht für Musterstadt"
    assert page.locator("main .card__title a").count() >= 1, "keine Aktionspläne"
    steps = page.get_by_role("navigation", name="Ablauf der Steuerung")
    for stage in ("Leitbild", "Ziele", "Aktionsplan", "Controlling"):
        assert steps.get_by_role("link", name=stage, exact=True).count() == 1, stage
    reports = steps.get_by_role("link", name="Berichte", exact=True).count()
    assert reports == (1 if reads_reports else 0)
    if not reads_reports:
        assert "nicht für Ihre Rolle" in steps.inner_text()
    screenshot(page, name)


def test_project_lead_reports_status_with_an_error_first(new_page):
    """Project lead, from „Meine Aktualisierungen“: „kritisch“ without a reason → accessible
    error on the one status-report page, then a valid report and back to the list."""
    from leitwerk.plans.models import Initiative

    initiative = Initiative.objects.filter(
        responsible_people__email="projekt@musterstadt.example"
    ).first()
    assert initiative is not None
    page = new_page("musterstadt-project_lead")
    page.goto("/arbeitsbereich/controlling/meine-aktualisierungen/")
    section = page.locator("main section.due").filter(has_text=initiative.title).first
    summary = section.get_by_text("Sachstand jetzt melden")
    if section.locator("details.quick-report[open]").count() == 0:
        summary.click()
    form = section.locator("form").filter(has=page.get_by_label("Sachstand"))
    form.get_by_label("kritisch").check()
    form.get_by_label("Sachstand").fill("Der Anbieter liefert die Schnittstelle später.")
    form.get_by_role("button", name="Meldung absenden").click()
    page.wait_for_url(f"**/vorhaben/{initiative.pk}/sachstand/neu/")
    reason = page.get_by_label("Warum und was nun?")
    assert reason.get_attribute("aria-invalid") == "true"
    assert page.get_by_text("bitte kurz erklären").count() >= 1
    # What the person typed is still there.
    assert "liefert die Schnittstelle" in page.get_by_label("Sachstand").input_value()
    assert not blocking(page), "Fehlerzustand: axe schwerwiegend"
    screenshot(page, "sachstand-fehler")
    reason.fill("Wir verschieben den Start um einen Monat und testen vorher im Bürgeramt Nord.")
    page.get_by_role("button", name="Sachstand melden").click()
    page.wait_for_url("**/arbeitsbereich/controlling/meine-aktualisierungen/")
    # The confirmation sits in the role=status region, so screen readers announce it.
    assert "ist gemeldet" in page.locator(".messages[role=status]").inner_text()


ONLINE_BOOKING = "Online-Terminvergabe für alle Bürgerämter"


def messages_text(page) -> str:
    return page.locator(".messages").inner_text()


def test_project_lead_edits_a_vorhaben_and_records_a_measurement(new_page):
    """Project lead: change the objective of the own Vorhaben, then add a value to its indicator."""
    page = new_page("musterstadt-project_lead")
    page.goto("/arbeitsbereich/controlling/meine-aktualisierungen/")
    page.get_by_role("link", name=re.compile(ONLINE_BOOKING)).first.click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/plaene/vorhaben/\d+/$"))
    detail_url = page.url

    page.get_by_role("link", name="Vorhaben bearbeiten").click()
    objective = "Termine im Bürgeramt rund um die Uhr online buchen – auch über das Servicetelefon."
    page.get_by_label("Zielsetzung", exact=True).fill(objective)
    page.get_by_role("button", name="Änderungen speichern").click()
    page.wait_for_url(detail_url)
    assert "Die Änderungen sind gespeichert." in messages_text(page)
    assert page.locator("main .prose").filter(has_text=objective).count() == 1

    indicator = page.locator("main section.indicator").filter(
        has=page.get_by_role("heading", name="Anteil online gebuchter Termine")
    )
    links = indicator.get_by_role("link").all_inner_texts()
    assert any(t.startswith("Messwert erfassen") for t in links), links
    indicator.get_by_role("link", name=re.compile("^Messwert erfassen")).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Messwert erfassen")
    # The reference day is filled in with today; the value takes a German decimal comma.
    assert page.get_by_label("Stichtag").input_value()
    page.get_by_label(re.compile(r"^Wert( \(Pflichtangabe\))?$")).fill("61,5")
    page.get_by_label("Anmerkung").fill("Bürgeramt Ost bucht seit Oktober online.")
    page.get_by_role("button", name="Messwert speichern").click()
    page.wait_for_url(re.compile(r"/arbeitsbereich/plaene/vorhaben/\d+/#indicator-\d+$"))
    assert "Der Messwert ist gespeichert." in messages_text(page)
    table = page.get_by_role("table", name="Messwerte: Anteil online gebuchter Termine")
    row = table.get_by_role("row").filter(has_text="Bürgeramt Ost bucht seit Oktober online.")
    assert row.count() == 1
    # The period is derived from the reference day and the plan's quarterly reporting.
    assert re.search(r"\bQ[1-4]/20\d\d\b", row.inner_text()), row.inner_text()
    # floatformat:"-2" keeps two decimals once there are any: the page shows „61,50 %“.
    assert re.search(r"\b61,50? %", row.inner_text()), row.inner_text()
    assert "Bürgeramt Ost bucht seit Oktober online." in row.inner_text()


def test_bulk_status_update_with_an_excel_file(new_page):
    """Strategy office: download the Sammelpflege file, change one Sachstand, upload, confirm."""
    import io

    from openpyxl import load_workbook

    from leitwerk.plans.models import Initiative

    plan = Initiative.objects.get(
        title=ONLINE_BOOKING, municipality__slug="musterstadt"
    ).action_field.plan
    page = new_page("musterstadt-strategy")
    page.goto("/arbeitsbereich/controlling/")
    page.get_by_role("link", name=f"Sammelpflege mit Excel für {plan.title}").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sammelpflege mit Excel"
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel-Datei herunterladen").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")

    # Playwright stores downloads without their file name; openpyxl wants the bytes then.
    book = load_workbook(io.BytesIO(download.path().read_bytes()))
    sheet = book["Vorhaben"]
    rows = [r for r in sheet.iter_rows(min_row=2) if r[4].value == ONLINE_BOOKING]
    assert len(rows) == 1
    status_text = "Ost und Süd buchen seit November online; die Auswertung beginnt im Januar."
    rows[0][7].value = status_text  # column H, „Sachstand“; the Einschätzung stays „im Plan“
    edited = io.BytesIO()
    book.save(edited)

    page.get_by_label("Bearbeitete Excel-Datei (.xlsx)").set_input_files(
        {
            "name": "sammelpflege.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": edited.getvalue(),
        }
    )
    page.get_by_role("button", name="Hochladen und Vorschau zeigen").click()
    assert page.get_by_role("heading", name="Vorschau: Was sich ändert").count() == 1
    preview = (
        page.get_by_role("table", name="Vorhaben")
        .get_by_role("row")
        .filter(has_text=ONLINE_BOOKING)
    )
    assert f"neue Meldung „im Plan“: {status_text}" in preview.inner_text()
    assert "wird übernommen" in preview.inner_text()
    assert not blocking(page), "Sammelpflege-Vorschau: axe schwerwiegend"

    page.get_by_role("button", name="1 Änderung übernehmen").click()
    page.wait_for_url(re.compile(rf"/arbeitsbereich/plaene/{plan.pk}/$"))
    assert "1 Sachstandsmeldung(en)" in messages_text(page)
    page.get_by_role("link", name=ONLINE_BOOKING).first.click()
    # The report from the Excel file is on the profile; its period follows from the date.
    latest = page.locator("main section.card").filter(has_text=status_text).first
    assert re.search(r"\bQ[1-4]/20\d\d\b", latest.inner_text()), latest.inner_text()
    assert "im Plan" in latest.inner_text()


ROUND_CANDIDATES = [
    ONLINE_BOOKING,
    "Wartezeiten im Bürgeramt halbieren",
    "Bescheide in verständlicher Sprache",
]
# Rank per candidate (same order as ROUND_CANDIDATES) on each body's ballot.
ROUND_BALLOTS = {
    "Rat der Stadt Musterstadt": (1, 2, 3),
    "Hauptausschuss": (1, 3, 2),
    "Verwaltungsvorstand": (2, 1, 3),
}


def fill_ballot(page, body: str) -> None:
    assert page.get_by_role("heading", level=1).inner_text() == f"Stimmzettel für {body}"
    for title, rank in zip(ROUND_CANDIDATES, ROUND_BALLOTS[body], strict=True):
        page.get_by_label(re.compile(rf"^Rang für .*{re.escape(title)}$")).fill(str(rank))
    page.get_by_role("button", name="Stimmzettel abgeben").click()
    assert f"Der Stimmzettel für {body} ist gespeichert." in messages_text(page)


def test_priority_round_with_three_bodies(new_page):
    """Strategy office opens a round, the Rat votes itself, the office enters two bodies' ballots
    from their meetings, and the result explains both counting methods."""
    office = new_page("musterstadt-strategy")
    office.goto("/arbeitsbereich/prioritaeten/")
    office.get_by_role("link", name=re.compile("Neue (Priorisierungs)?[Rr]unde")).first.click()
    office.get_by_label("Titel der Runde").fill("Prioritäten Bürgerservice 2027")
    office.get_by_label("Jahr").fill("2027")
    office.get_by_label("Rangfolge").check()
    for title in ROUND_CANDIDATES:
        office.get_by_label(re.compile(rf"^\S+ {re.escape(title)}$")).first.check()
    for body in ROUND_BALLOTS:
        office.get_by_label(body, exact=True).check()
    office.get_by_role("button", name="Runde anlegen").click()
    office.wait_for_url(re.compile(r"/arbeitsbereich/prioritaeten/\d+/$"))
    assert "Die Priorisierungsrunde ist angelegt." in messages_text(office)
    round_url = office.url

    council = new_page("musterstadt-council")
    council.goto(round_url)
    council.get_by_role("link", name="Stimmzettel ausfüllen für Rat der Stadt Musterstadt").click()
    fill_ballot(council, "Rat der Stadt Musterstadt")

    for body in ("Hauptausschuss", "Verwaltungsvorstand"):
        office.goto(round_url)
        office.get_by_role("link", name=f"Stimmzettel ausfüllen für {body}").click()
        fill_ballot(office, body)

    office.goto(round_url)
    office.get_by_role("link", name="Ergebnis nach beiden Verfahren ansehen").click()
    lead = office.locator("main .lead").inner_text()
    assert "Grundlage sind 3 Stimmzettel zu 3 Vorhaben" in lead
    explain = office.locator("section").filter(
        has=office.get_by_role("heading", name="So werden die Stimmzettel zusammengeführt")
    )
    assert explain.get_by_role("heading", name="Borda-Zählung").count() == 1
    assert explain.get_by_role("heading", name="Schulze-Methode").count() == 1
    # Two first places and one second: the online booking leads by either method.
    for caption in ("Ergebnis nach Borda-Zählung", "Ergebnis nach Schulze-Methode"):
        first = office.get_by_role("table", name=caption).locator("tbody tr").first
        assert ONLINE_BOOKING in first.inner_text()
    assert not blocking(office), "Ergebnis: axe schwerwiegend"

    office.get_by_role("radio", name="Schulze-Methode").check()
    office.get_by_role("button", name="Liste festlegen").click()
    assert "Die Liste ist zusammengeführt und gespeichert." in messages_text(office)
    office.goto(round_url)
    assert "abgeschlossen" in office.locator("main").inner_text()


@pytest.mark.parametrize(
    ("fmt", "magic"), [("PDF", b"%PDF-"), ("XLSX", b"PK\x03\x04")], ids=["pdf", "xlsx"]
)
def test_create_and_download_a_report(new_page, fmt, magic):
    """Strategy office: create a report for the plan, wait until it is ready, download it."""
    import io

    page = new_page("musterstadt-strategy")
    page.goto("/arbeitsbereich/berichte/")
    plan = page.get_by_role("combobox", name="Aktionsplan")
    assert plan.input_value(), "Kein Aktionsplan vorausgewählt"
    page.get_by_label(re.compile(rf"^{fmt} – ")).check()
    # Tasks run inside the request in the test settings: rendering may take a while.
    page.get_by_role("button", name="Bericht erstellen").click(no_wait_after=True)
    page.wait_for_url(re.compile(r"/arbeitsbereich/berichte/\d+/$"), timeout=180_000)
    assert "Der Bericht wird erstellt." in messages_text(page)
    status = page.get_by_role("status").filter(has_text="%")
    # Tasks run at once in the test settings; a person reloads until the report is „fertig“.
    for _ in range(10):
        if status.inner_text().startswith("fertig"):
            break
        page.wait_for_timeout(500)
        page.reload()
    assert status.inner_text().startswith("fertig"), status.inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"{fmt} herunterladen").click()
    download = download_info.value
    assert download.suggested_filename.lower().endswith(f".{fmt.lower()}")
    data = download.path().read_bytes()
    assert data.startswith(magic) and len(data) > 1000
    if fmt == "XLSX":
        from openpyxl import load_workbook

        assert load_workbook(io.BytesIO(data)).sheetnames
