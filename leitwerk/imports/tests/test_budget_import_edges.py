"""The edges of the Produkthaushalt import: what a Kämmerei sees when a product list or a
file of key-figure values is odd, broken or refused, on the command line and in the upload."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from leitwerk.budget.models import BudgetArea, KeyFigure, KeyFigureValue, Product
from leitwerk.imports.services import ImportFailed, budget_import, keyfigure_import
from leitwerk.imports.services.budget import parse_number

# A small product list of an invented town: two products with one key figure each.
PRODUCTS = (
    "Teilhaushalt;Produktbereich;Produkt-Nr.;Produktbezeichnung;Kennzahl-Nr.;Kennzahl;"
    "Ist 2023;Ziel 2025\n"
    "3 Ordnung;31 Sicherheit und Ordnung;31201;Gewerbeangelegenheiten;G1;Gewerbeanmeldungen;"
    "410;450\n"
    "3 Ordnung;31 Sicherheit und Ordnung;31202;Fundbüro;F1;Fundsachen;95;100\n"
)

VALUES_HEADER = "Produkt;Kennzahl;Jahr;Wert;Art\n"


def _file(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _refusal(call) -> list[str]:
    with pytest.raises(ImportFailed) as failure:
        call()
    return [problem.message for problem in failure.value.errors]


def _products(tmp_path, municipality, text: str, name: str = "produkte.csv"):
    return budget_import(municipality=municipality, path=_file(tmp_path, name, text))


def _values(tmp_path, municipality, rows: str, name: str = "werte.csv"):
    return keyfigure_import(
        municipality=municipality, path=_file(tmp_path, name, VALUES_HEADER + rows)
    )


# --- reading the file -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_pdf_is_refused_with_a_hint_to_use_csv_or_xlsx(musterstadt, tmp_path):
    messages = _refusal(lambda: _products(tmp_path, musterstadt, PRODUCTS, "haushalt.pdf"))

    assert messages == [
        "haushalt.pdf: das Format wird nicht unterstützt; bitte CSV oder XLSX verwenden."
    ]
    assert not Product.objects.for_municipality(musterstadt).exists()


@pytest.mark.django_db
def test_a_binary_file_named_csv_is_refused_as_no_text_file(musterstadt, tmp_path):
    path = tmp_path / "produkte.csv"
    path.write_bytes(b"Produkt-Nr.;Bezeichnung\n\x00\x01\x02")

    messages = _refusal(lambda: budget_import(municipality=musterstadt, path=path))

    assert messages == [
        "produkte.csv: Die Datei ist keine Textdatei und hat kein unterstütztes Format."
    ]
    assert not Product.objects.for_municipality(musterstadt).exists()


@pytest.mark.django_db
def test_a_csv_of_more_than_twenty_thousand_rows_is_refused(musterstadt, tmp_path):
    rows = "".join(f"3;{31200 + n};Produkt {n}\n" for n in range(20_000))
    text = "Teilhaushalt;Produkt-Nr.;Produktbezeichnung\n" + rows

    messages = _refusal(lambda: _products(tmp_path, musterstadt, text))

    assert messages == ["produkte.csv: mehr als 20000 Zeilen."]
    assert not Product.objects.for_municipality(musterstadt).exists()


@pytest.mark.django_db
def test_a_broken_xlsx_is_refused_as_a_damaged_archive(musterstadt, tmp_path):
    path = tmp_path / "produkte.xlsx"
    path.write_bytes(b"PK\x03\x04 this is no workbook")

    messages = _refusal(lambda: budget_import(municipality=musterstadt, path=path))

    assert len(messages) == 1
    assert messages[0].startswith("produkte.xlsx: keine gültige XLSX-Datei")
    assert not Product.objects.for_municipality(musterstadt).exists()


@pytest.mark.django_db
def test_a_product_number_stored_as_a_decimal_in_the_workbook_is_read_without_decimals(
    musterstadt, tmp_path
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kennzahlen"
    sheet.append(["Produktnummer", "Bezeichnung", "Kennzahl", "Ist 2023", "Ziel 2025", "Plan 2024"])
    sheet.append([31201, "Gewerbeangelegenheiten", "Gewerbeanmeldungen", 410, None, 0.5])
    buffer = BytesIO()
    workbook.save(buffer)
    # Some finance systems write whole numbers with a decimal point into the sheet
    # (<v>31201.0</v>), which reads back as the float 31201.0; openpyxl itself would not.
    path = tmp_path / "kennzahlen.xlsx"
    with (
        zipfile.ZipFile(BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(path, "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"<v>31201</v>" in data
                data = data.replace(b"<v>31201</v>", b"<v>31201.0</v>")
            target.writestr(item, data)

    result = budget_import(municipality=musterstadt, path=path)

    product = Product.objects.for_municipality(musterstadt).get()
    assert product.code == "31201"  # not "31201.0"
    figure = KeyFigure.objects.for_municipality(musterstadt).get(product=product)
    values = {(v.year, v.kind): v.value for v in figure.values.all()}
    # The empty "Ziel 2025" cell is no value, not a zero.
    assert values == {(2023, "actual"): Decimal("410"), (2024, "plan"): Decimal("0.5")}
    assert result["counts"]["values"] == 2


@pytest.mark.django_db
def test_a_yes_no_cell_in_a_year_column_is_no_number(musterstadt, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kennzahlen"
    sheet.append(["Produktnummer", "Bezeichnung", "Kennzahl", "Ist 2023"])
    sheet.append(["31201", "Gewerbeangelegenheiten", "Gewerbeanmeldungen", True])
    path = tmp_path / "kennzahlen.xlsx"
    workbook.save(path)

    messages = _refusal(lambda: budget_import(municipality=musterstadt, path=path))

    assert messages == [
        "kennzahlen.xlsx, Blatt „Kennzahlen“, Zeile 2, Spalte „Ist 2023“: „True“ ist keine Zahl."
    ]
    assert not Product.objects.for_municipality(musterstadt).exists()


@pytest.mark.django_db
def test_a_column_without_a_header_is_skipped_without_a_warning(musterstadt, tmp_path):
    text = "Produkt-Nr.;;Produktbezeichnung\n31201;Notiz;Gewerbeangelegenheiten\n"

    result = _products(tmp_path, musterstadt, text)

    assert result["columns"]["recognised"] == ["Produkt-Nr.", "Produktbezeichnung"]
    assert result["columns"]["unrecognised"] == []
    assert result["warnings"] == []
    assert Product.objects.for_municipality(musterstadt).get().title == "Gewerbeangelegenheiten"


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("1.234,5", Decimal("1234.5")),  # German
        ("1,234.5", Decimal("1234.5")),  # English
        ("12 %", Decimal("12")),
        (None, None),
        ("–", None),
    ],
)
def test_numbers_are_read_in_german_and_english_notation(cell, number):
    assert parse_number(cell) == number


@pytest.mark.parametrize("cell", [True, "Infinity", "1e15", "viele"])
def test_yes_no_infinite_huge_and_word_cells_are_no_numbers(cell):
    with pytest.raises(ValueError):
        parse_number(cell)


@pytest.mark.django_db
def test_thousands_separators_of_both_notations_give_the_same_value(musterstadt, tmp_path):
    text = PRODUCTS.replace(";410;450", ";1.234,5;1,234.5")

    _products(tmp_path, musterstadt, text)

    figure = KeyFigure.objects.for_municipality(musterstadt).get(code="G1")
    assert {v.value for v in figure.values.all()} == {Decimal("1234.5")}


@pytest.mark.django_db
def test_an_absurdly_large_value_is_refused_naming_row_and_column(musterstadt, tmp_path):
    text = PRODUCTS.replace(";95;100", ";95;100000000000000")

    messages = _refusal(lambda: _products(tmp_path, musterstadt, text))

    assert messages == [
        "produkte.csv, Zeile 3, Spalte „Ziel 2025“: „100000000000000“ ist keine Zahl."
    ]
    assert not Product.objects.for_municipality(musterstadt).exists()


# --- rows of a product list -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_product_number_with_another_title_is_refused(musterstadt, tmp_path):
    text = PRODUCTS + "3 Ordnung;31 Sicherheit und Ordnung;31202;Fundsachen;;;;\n"

    messages = _refusal(lambda: _products(tmp_path, musterstadt, text))

    assert messages == [
        "produkte.csv, Zeile 4, Spalte „Produkt-Nr.“: „31202“ steht schon in Zeile 3 mit "
        "anderer Bezeichnung, Ebene oder Zuordnung."
    ]
    assert not Product.objects.for_municipality(musterstadt).exists()


@pytest.mark.django_db
def test_a_teilhaushalt_with_two_titles_is_refused(musterstadt, tmp_path):
    text = PRODUCTS.replace(
        "3 Ordnung;31 Sicherheit und Ordnung;31202", "3 Recht;31 Sicherheit und Ordnung;31202"
    )

    messages = _refusal(lambda: _products(tmp_path, musterstadt, text))

    assert messages == [
        "produkte.csv, Zeile 3, Spalte „Teilhaushalt“: Teilhaushalt 3 hat hier eine andere "
        "Bezeichnung als weiter oben."
    ]
    assert not BudgetArea.objects.for_municipality(musterstadt).exists()


@pytest.mark.django_db
def test_a_product_list_without_teilhaushalte_or_key_figures_imports_only_products(
    musterstadt, tmp_path
):
    text = "Produkt-Nr.;Produktbezeichnung\n31201;Gewerbeangelegenheiten\n31202;Fundbüro\n"

    result = _products(tmp_path, musterstadt, text)

    assert result["created"] == {"budget_areas": 0, "products": 2, "key_figures": 0, "values": 0}
    product = Product.objects.for_municipality(musterstadt).get(code="31202")
    assert product.budget_area is None
    assert not KeyFigure.objects.for_municipality(musterstadt).exists()


@pytest.mark.django_db
def test_a_row_without_a_product_number_is_refused_naming_the_row(musterstadt, tmp_path):
    text = PRODUCTS + "3 Ordnung;;;;;;;\n"

    messages = _refusal(lambda: _products(tmp_path, musterstadt, text))

    assert messages == ["produkte.csv, Zeile 4, Spalte „Produkt-Nr.“: Die Produktnummer fehlt."]
    assert not Product.objects.for_municipality(musterstadt).exists()


@pytest.mark.django_db
def test_a_product_number_longer_than_forty_characters_is_refused(musterstadt, tmp_path):
    text = PRODUCTS.replace("31202", "3" * 41)

    messages = _refusal(lambda: _products(tmp_path, musterstadt, text))

    assert messages == [
        "produkte.csv, Zeile 3, Spalte „Produkt-Nr.“: Die Produktnummer ist länger als 40 Zeichen."
    ]
    assert not Product.objects.for_municipality(musterstadt).exists()


@pytest.mark.django_db
def test_an_unknown_direction_of_a_key_figure_is_refused(musterstadt, tmp_path):
    text = (
        "Produkt-Nr.;Produktbezeichnung;Kennzahl;Richtung\n"
        "31201;Gewerbeangelegenheiten;Gewerbeanmeldungen;steigend\n"
        "31202;Fundbüro;Fundsachen;seitwärts\n"
    )

    messages = _refusal(lambda: _products(tmp_path, musterstadt, text))

    assert messages == [
        "produkte.csv, Zeile 3, Spalte „Richtung“: Die Richtung ist unbekannt "
        "(erlaubt: steigend, fallend)."
    ]
    assert not KeyFigure.objects.for_municipality(musterstadt).exists()


@pytest.mark.django_db
def test_a_product_list_with_only_a_header_is_refused_as_empty(musterstadt, tmp_path):
    text = PRODUCTS.split("\n", 1)[0] + "\n"

    messages = _refusal(lambda: _products(tmp_path, musterstadt, text))

    assert messages == ["produkte.csv: Die Datei enthält keine Produkte."]


# --- key-figure values ------------------------------------------------------------------------


@pytest.fixture
def with_products(musterstadt, tmp_path):
    _products(tmp_path, musterstadt, PRODUCTS)
    return musterstadt


def _written_values(municipality) -> set[tuple]:
    return set(
        KeyFigureValue.objects.for_municipality(municipality).values_list(
            "key_figure__code", "year", "kind", "value"
        )
    )


@pytest.mark.django_db
def test_a_value_file_without_a_value_column_is_refused_naming_the_missing_column(
    with_products, tmp_path
):
    path = _file(tmp_path, "werte.csv", "Produkt;Kennzahl;Jahr\n31201;G1;2024\n")

    messages = _refusal(lambda: keyfigure_import(municipality=with_products, path=path))

    assert messages == ["werte.csv, Zeile 1: Die Spalte „Wert“ fehlt."]


@pytest.mark.django_db
def test_values_for_an_unknown_product_ask_to_import_the_product_list_first(
    with_products, tmp_path
):
    before = _written_values(with_products)

    messages = _refusal(
        lambda: _values(tmp_path, with_products, "31201;G1;2024;420;\n99999;G1;2024;1;\n")
    )

    assert messages == [
        "werte.csv, Zeile 3, Spalte „Produkt“: Produkt „99999“ gibt es nicht; "
        "bitte zuerst die Produktliste importieren."
    ]
    assert _written_values(with_products) == before


@pytest.mark.django_db
def test_a_year_that_is_no_budget_year_is_refused(with_products, tmp_path):
    messages = _refusal(
        lambda: _values(tmp_path, with_products, "31201;G1;24;420;\n31201;G1;1850;1;\n")
    )

    assert messages == [
        "werte.csv, Zeile 2, Spalte „Jahr“: „24“ ist kein Haushaltsjahr (vierstellig, z. B. 2025).",
        "werte.csv, Zeile 3, Spalte „Jahr“: „1850“ ist kein Haushaltsjahr (vierstellig, z. B. 2025).",
    ]


@pytest.mark.django_db
def test_an_unknown_kind_of_value_is_refused_naming_the_allowed_kinds(with_products, tmp_path):
    messages = _refusal(lambda: _values(tmp_path, with_products, "31201;G1;2024;420;Prognose\n"))

    assert messages == [
        "werte.csv, Zeile 2, Spalte „Art“: Art „Prognose“ ist unbekannt (erlaubt: Ist, Plan, Ziel)."
    ]


@pytest.mark.django_db
def test_a_value_that_is_no_number_is_refused(with_products, tmp_path):
    messages = _refusal(lambda: _values(tmp_path, with_products, "31201;G1;2024;etwa 400;Ist\n"))

    assert messages == ["werte.csv, Zeile 2, Spalte „Wert“: „etwa 400“ ist keine Zahl."]


@pytest.mark.django_db
def test_a_missing_value_is_refused(with_products, tmp_path):
    messages = _refusal(lambda: _values(tmp_path, with_products, "31201;G1;2024;;Plan\n"))

    assert messages == ["werte.csv, Zeile 2, Spalte „Wert“: Der Wert fehlt."]


@pytest.mark.django_db
def test_the_same_value_twice_with_different_numbers_is_refused_naming_the_first_row(
    with_products, tmp_path
):
    before = _written_values(with_products)
    rows = "31201;G1;2024;420;Ist\n31202;F1;2024;90;Ist\n31201;G1;2024;421;ist\n"

    messages = _refusal(lambda: _values(tmp_path, with_products, rows))

    assert messages == [
        "werte.csv, Zeile 4, Spalte „Wert“: Derselbe Wert steht schon in Zeile 2 mit anderer Zahl."
    ]
    assert _written_values(with_products) == before


@pytest.mark.django_db
def test_the_same_value_twice_with_the_same_number_is_imported_once(with_products, tmp_path):
    rows = "31201;G1;2024;420;Ziel\n31201;G1;2024;420,0;Soll\n"

    result = _values(tmp_path, with_products, rows)

    assert result["counts"] == {"values": 1}
    assert ("G1", 2024, "target", Decimal("420")) in _written_values(with_products)


@pytest.mark.django_db
def test_a_value_file_with_only_a_header_is_refused_as_empty(with_products, tmp_path):
    messages = _refusal(lambda: _values(tmp_path, with_products, ""))

    assert messages == ["werte.csv: Die Datei enthält keine Werte."]


# --- the command ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_names_columns_it_did_not_read(musterstadt, tmp_path):
    text = PRODUCTS.replace("Ziel 2025\n", "Ziel 2025;Bemerkung\n", 1)
    out = StringIO()

    call_command(
        "import",
        "budget",
        str(_file(tmp_path, "produkte.csv", text)),
        "--municipality",
        musterstadt.slug,
        stdout=out,
    )

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Importiert: Teilhaushalte: 1 (neu 1, geändert 0)")
    assert lines[1] == (
        "Hinweis: produkte.csv: Spalte „Bemerkung“ wurde nicht erkannt und nicht eingelesen."
    )


# --- the upload -------------------------------------------------------------------------------


def _upload(client, kind: str, name: str, content: bytes):
    return client.post(
        reverse("imports:budget_upload"),
        {"kind": kind, "file": SimpleUploadedFile(name, content, "text/csv")},
    )


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_the_upload_page_offers_both_kinds_of_import(strategy_user, client_for):
    page = client_for(strategy_user).get(reverse("imports:budget_upload"))

    assert page.status_code == 200
    content = page.content.decode()
    assert "Produkthaushalt importieren" in content
    assert 'value="budget"' in content and 'value="keyfigures"' in content


@pytest.mark.django_db
def test_an_upload_without_a_file_is_shown_again_with_an_error(strategy_user, client_for):
    page = client_for(strategy_user).post(reverse("imports:budget_upload"), {"kind": "budget"})

    assert page.status_code == 422
    assert page.context["form"].errors["file"]


@pytest.mark.django_db
def test_an_upload_larger_than_the_limit_is_refused(strategy_user, client_for, settings):
    settings.LEITWERK_IMPORT_MAX_BYTES = 1024 * 1024
    content = PRODUCTS.encode() + b" " * (1024 * 1024)

    page = _upload(client_for(strategy_user), "budget", "produkte.csv", content)

    assert page.status_code == 422
    assert page.context["form"].errors["file"] == ["Die Datei ist größer als 1 MB."]


@pytest.mark.django_db
def test_an_upload_that_is_no_csv_or_xlsx_is_refused(strategy_user, client_for, musterstadt):
    page = _upload(client_for(strategy_user), "budget", "produkte.ods", PRODUCTS.encode())

    assert page.status_code == 422
    assert page.context["form"].errors["file"] == ["Bitte eine CSV- oder XLSX-Datei hochladen."]
    assert not Product.objects.for_municipality(musterstadt).exists()


@pytest.mark.django_db
def test_a_refused_preview_lists_the_problems_and_saves_nothing(
    strategy_user, client_for, musterstadt
):
    broken = PRODUCTS.replace(";95;", ";neunzig;")

    page = _upload(client_for(strategy_user), "budget", "produkte.csv", broken.encode())

    assert page.status_code == 422
    content = page.content.decode()
    assert "Die Datei produkte.csv konnte nicht importiert werden" in content
    assert "Es wurde nichts gespeichert." in content
    assert "produkte.csv, Zeile 3, Spalte „Ist 2023“: „neunzig“ ist keine Zahl." in content
    assert not Product.objects.for_municipality(musterstadt).exists()


@pytest.mark.django_db
def test_confirming_an_expired_preview_asks_to_upload_again(strategy_user, client_for, musterstadt):
    client = client_for(strategy_user)

    done = client.post(reverse("imports:budget_confirm"), {"token": "abgelaufen"})

    assert done.status_code == 302 and done["Location"] == reverse("imports:budget_upload")
    assert _messages(done) == [
        "Die Vorschau ist abgelaufen. Bitte laden Sie die Datei erneut hoch."
    ]
    assert not Product.objects.for_municipality(musterstadt).exists()


@pytest.mark.django_db
def test_cancelling_a_preview_saves_nothing_and_the_preview_is_gone(
    strategy_user, client_for, musterstadt
):
    client = client_for(strategy_user)
    token = _upload(client, "budget", "produkte.csv", PRODUCTS.encode()).context["token"]

    cancelled = client.post(reverse("imports:budget_confirm"), {"token": token, "action": "cancel"})

    assert cancelled.status_code == 302
    assert cancelled["Location"] == reverse("imports:budget_upload")
    assert _messages(cancelled) == ["Der Import wurde abgebrochen. Es wurde nichts gespeichert."]
    assert not Product.objects.for_municipality(musterstadt).exists()
    again = client.post(reverse("imports:budget_confirm"), {"token": token, "action": "confirm"})
    # The cancel message has not been shown yet, so it still comes first.
    assert _messages(again)[-1] == (
        "Die Vorschau ist abgelaufen. Bitte laden Sie die Datei erneut hoch."
    )
    assert not Product.objects.for_municipality(musterstadt).exists()


@pytest.mark.django_db
def test_values_whose_key_figure_was_deleted_after_the_preview_are_refused_on_confirm(
    strategy_user, client_for, with_products
):
    client = client_for(strategy_user)
    preview = _upload(
        client, "keyfigures", "werte.csv", (VALUES_HEADER + "31201;G1;2024;420;\n").encode()
    )
    assert preview.status_code == 200
    KeyFigure.objects.for_municipality(with_products).filter(code="G1").delete()

    done = client.post(reverse("imports:budget_confirm"), {"token": preview.context["token"]})

    assert done.status_code == 422
    content = done.content.decode()
    assert "Die Datei werte.csv konnte nicht importiert werden" in content
    assert "Produkt 31201 hat keine Kennzahl „G1“." in content
    assert not KeyFigureValue.objects.for_municipality(with_products).filter(year=2024).exists()
    # The preview is used up: confirming again does not try a second time.
    again = client.post(reverse("imports:budget_confirm"), {"token": preview.context["token"]})
    assert again.status_code == 302 and again["Location"] == reverse("imports:budget_upload")
