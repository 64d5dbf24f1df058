"""Hemmnisse importieren: CSV/XLSX → preview (nothing saved) → confirm; all or nothing,
idempotent, every problem named with its row and column."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from leitwerk.core.models import AuditLogEntry
from leitwerk.imports.obstacle_reader import read_obstacles
from leitwerk.imports.services import ImportFailed, obstacle_import
from leitwerk.municipalities.tests.factories import OrganisationalUnitFactory
from leitwerk.obstacles.models import Obstacle
from leitwerk.obstacles.tests.factories import ObstacleFactory

LIST_CSV = (
    "Titel;Beschreibung;Einheit;Kategorie;Auswirkung;Häufigkeit\n"
    "Doppelte Dateneingabe;Anträge werden zweimal erfasst.;Bürgerbüro;Technik;4,0;5\n"
    "\n"
    "Lange Abstimmungswege;Drei Unterschriften je Entscheidung.;BA;Organisation;;\n"
).encode()


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def units(musterstadt):
    return [
        OrganisationalUnitFactory(municipality=musterstadt, name="Bürgerbüro", code="BB"),
        OrganisationalUnitFactory(municipality=musterstadt, name="Bauamt", code="BA"),
    ]


def _errors(excinfo) -> list[tuple[int | None, str | None, str]]:
    return [(e.row, e.column, e.message) for e in excinfo.value.errors]


# --- reading ----------------------------------------------------------------------------------


def test_csv_and_xlsx_give_the_same_rows():
    from_csv = read_obstacles(LIST_CSV, "liste.csv")
    from_xlsx = read_obstacles(
        _xlsx(
            [
                ["Hemmnis", "Fachbereich", "Erläuterung", "Auswirkung"],
                ["Doppelte Dateneingabe", "Bürgerbüro", "Anträge werden zweimal erfasst.", 4.0],
                [None, None, None, None],
                ["Lange Abstimmungswege", "BA", "Drei Unterschriften je Entscheidung.", None],
            ]
        ),
        "liste.xlsx",
    )
    assert [(r.row, r.title, r.unit) for r in from_csv] == [
        (2, "Doppelte Dateneingabe", "Bürgerbüro"),
        (4, "Lange Abstimmungswege", "BA"),
    ]
    assert [(r.title, r.unit, r.impact) for r in from_xlsx] == [
        ("Doppelte Dateneingabe", "Bürgerbüro", "4"),
        ("Lange Abstimmungswege", "BA", ""),
    ]
    assert from_csv[0].category == "Technik" and from_csv[0].frequency == "5"


def test_a_comma_separated_file_without_optional_columns_is_read():
    rows = read_obstacles(b"Titel,Beschreibung\nKein WLAN im Rathaus,Seit Monaten\n", "a.csv")
    assert rows[0].title == "Kein WLAN im Rathaus" and rows[0].unit == ""


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"Beschreibung;Einheit\nx;y\n", "a.csv", "keine Spalte „Titel“"),
        (b"", "a.csv", "die Datei ist leer"),
        (b"Titel\n\n\n", "a.csv", "unter der Kopfzeile steht kein Hemmnis"),
        (b"Titel\x00\n", "a.csv", "keine Textdatei"),
        (b"kein zip", "a.xlsx", "keine gültige"),
        (b"%PDF-1.4", "a.pdf", "CSV- oder Excel-Datei"),
    ],
)
def test_unreadable_lists_are_refused_with_a_german_reason(data, name, message):
    with pytest.raises(ImportFailed) as excinfo:
        read_obstacles(data, name)
    assert message in str(excinfo.value)


def test_the_row_cap_holds_for_csv_and_xlsx(settings):
    settings.LEITWERK_IMPORT_MAX_ROWS = 2
    with pytest.raises(ImportFailed, match="mehr als 2 Zeilen"):
        read_obstacles(b"Titel\na\nb\nc\n", "a.csv")
    with pytest.raises(ImportFailed, match="mehr als 3 Zeilen"):
        read_obstacles(_xlsx([["Titel"], ["a"], ["b"], ["c"], ["d"]]), "a.xlsx")


# --- the service ------------------------------------------------------------------------------


def test_import_creates_then_is_idempotent_then_updates(musterstadt, units, admin_user):
    result = obstacle_import(
        municipality=musterstadt,
        data=LIST_CSV,
        source_name="liste.csv",
        dry_run=False,
        actor=admin_user,
    )
    assert result["counts"] == {"created": 2, "updated": 0, "unchanged": 0}
    first = Obstacle.objects.get(title="Doppelte Dateneingabe")
    assert first.unit == units[0] and (first.impact, first.frequency) == (4, 5)
    assert Obstacle.objects.get(title="Lange Abstimmungswege").unit == units[1]  # by its code
    assert AuditLogEntry.objects.filter(action="obstacles.import").count() == 1

    again = obstacle_import(
        municipality=musterstadt, data=LIST_CSV, source_name="liste.csv", dry_run=False
    )
    assert again["counts"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert Obstacle.objects.count() == 2

    changed = LIST_CSV.replace(b"zweimal erfasst", b"dreimal erfasst").replace(
        b"Doppelte Dateneingabe", b"doppelte  dateneingabe"
    )
    third = obstacle_import(
        municipality=musterstadt, data=changed, source_name="liste.csv", dry_run=False
    )
    assert third["counts"] == {"created": 0, "updated": 1, "unchanged": 1}
    first.refresh_from_db()
    assert first.description == "Anträge werden dreimal erfasst." and Obstacle.objects.count() == 2


def test_a_dry_run_counts_but_writes_nothing(musterstadt, units):
    ObstacleFactory(municipality=musterstadt, title="Lange Abstimmungswege")
    result = obstacle_import(
        municipality=musterstadt, data=LIST_CSV, source_name="liste.csv", dry_run=True
    )
    assert result["counts"]["created"] == 1 and result["counts"]["updated"] == 1
    assert [row["action"] for row in result["rows"]] == ["neu", "geändert"]
    assert Obstacle.objects.count() == 1


def test_one_wrong_row_refuses_the_whole_list_naming_every_problem(musterstadt, units):
    data = (
        "Titel;Einheit;Kategorie;Auswirkung;Häufigkeit\n"
        "Gut;Bauamt;;3;3\n"
        ";Bauamt;;;\n"
        f"{'x' * 301};;;;\n"
        f"Kategorie zu lang;;{'k' * 101};;\n"
        "Gut;;;;\n"
        "Unbekannte Einheit;Stadtwerke;;;\n"
        "Falsche Bewertung;;;sehr;9\n"
        "Halbe Bewertung;;;2.5;\n"
    ).encode()
    with pytest.raises(ImportFailed) as excinfo:
        obstacle_import(municipality=musterstadt, data=data, source_name="l.csv", dry_run=False)
    problems = _errors(excinfo)
    assert (3, "Titel", "Das Hemmnis hat keinen Titel.") in problems
    assert (4, "Titel", "Der Titel ist länger als 300 Zeichen.") in problems
    assert (5, "Kategorie", "Die Kategorie ist länger als 100 Zeichen.") in problems
    assert (6, "Titel", "„Gut“ steht schon in Zeile 2; jedes Hemmnis nur einmal.") in problems
    assert any(row == 7 and "Stadtwerke" in message for row, _, message in problems)
    assert (8, "Auswirkung", "„sehr“ ist keine Bewertung von 1 bis 5.") in problems
    assert (8, "Häufigkeit", "„9“ ist keine Bewertung von 1 bis 5.") in problems
    assert (9, "Auswirkung", "„2.5“ ist keine Bewertung von 1 bis 5.") in problems
    assert not Obstacle.objects.exists()


def test_another_towns_units_and_obstacles_do_not_count(musterstadt, other_town):
    OrganisationalUnitFactory(municipality=other_town, name="Bürgerbüro")
    ObstacleFactory(municipality=other_town, title="Doppelte Dateneingabe")
    with pytest.raises(ImportFailed, match="Keine Organisationseinheit „Bürgerbüro“"):
        obstacle_import(municipality=musterstadt, data=LIST_CSV, source_name="l.csv", dry_run=True)


# --- the pages --------------------------------------------------------------------------------


def _upload(client, data=LIST_CSV, name="liste.csv"):
    return client.post(reverse("imports:obstacles"), {"file": SimpleUploadedFile(name, data)})


def test_the_obstacle_list_offers_import_next_to_recording(strategy_user, viewer, client_for):
    page = client_for(strategy_user).get(reverse("obstacles:list")).content.decode()
    assert reverse("imports:obstacles") in page and "Neues Hemmnis erfassen" in page
    assert reverse("imports:obstacles") not in (
        client_for(viewer).get(reverse("obstacles:list")).content.decode()
    )


def test_preview_then_confirm_imports_the_list(strategy_user, client_for, units):
    client = client_for(strategy_user)
    assert "So sieht die Liste aus" in client.get(reverse("imports:obstacles")).content.decode()
    preview = _upload(client)
    page = preview.content.decode()
    assert preview.status_code == 200 and "2 neu, 0 geändert" in page
    assert not Obstacle.objects.exists()
    token = preview.context["token"]
    response = client.post(reverse("imports:obstacles_confirm"), {"token": token})
    assert response.status_code == 302 and response.url == reverse("obstacles:list")
    assert Obstacle.objects.count() == 2
    listing = client.get(reverse("obstacles:list")).content.decode()
    assert "2 neu, 0 geändert, 0 unverändert" in listing and "Bürgerbüro" in listing
    # The token is used up: confirming again changes nothing.
    again = client.post(reverse("imports:obstacles_confirm"), {"token": token})
    assert again.url == reverse("imports:obstacles") and Obstacle.objects.count() == 2


def test_a_wrong_list_shows_its_problems_and_saves_nothing(strategy_user, client_for):
    response = _upload(client_for(strategy_user))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Zeile 2, Spalte „Einheit“" in page and "Es wurde nichts gespeichert." in page


def test_a_file_of_another_type_or_too_large_is_refused(strategy_user, client_for, settings):
    client = client_for(strategy_user)
    response = _upload(client, b"x", "liste.pdf")
    assert response.status_code == 422 and "CSV- oder Excel-Datei" in response.content.decode()
    settings.LEITWERK_IMPORT_MAX_BYTES = 10
    response = _upload(client)
    assert response.status_code == 422 and "größer als 0 MB" in response.content.decode()


def test_cancelling_the_preview_saves_nothing(strategy_user, client_for, units):
    client = client_for(strategy_user)
    token = _upload(client).context["token"]
    response = client.post(
        reverse("imports:obstacles_confirm"), {"token": token, "action": "cancel"}
    )
    assert response.url == reverse("obstacles:list") and not Obstacle.objects.exists()


def test_a_unit_removed_after_the_preview_refuses_the_confirmation(
    strategy_user, client_for, units
):
    client = client_for(strategy_user)
    token = _upload(client).context["token"]
    units[1].delete()
    response = client.post(reverse("imports:obstacles_confirm"), {"token": token})
    assert response.status_code == 422 and "Keine Organisationseinheit" in response.content.decode()
    assert not Obstacle.objects.exists()


@pytest.mark.parametrize("persona", ["viewer", "unit_editor", "project_lead"])
def test_only_the_strategy_office_and_admins_import(persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("imports:obstacles")).status_code == 404
    assert _upload(client).status_code == 404
    assert not Obstacle.objects.exists()
