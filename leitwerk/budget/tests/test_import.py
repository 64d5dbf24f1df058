"""Importing a product list and key-figure values as a finance system exports them."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from leitwerk.budget.models import BudgetArea, KeyFigure, KeyFigureValue, Product, ProductLevel
from leitwerk.imports.services import ImportFailed, budget_import, keyfigure_import

PRODUCT_LIST = (
    "Teilhaushalt;Produktbereich;Produktgruppe;Produkt-Nr.;Produktbezeichnung;"
    "Verantwortlich;Kennzahl-Nr.;Kennzahl;Einheit;Ist 2024;Ansatz 2025;Planung 2026;Farbe\n"
    "1 Zentrale Verwaltung;11 Innere Verwaltung;111 Verwaltungssteuerung;11101;"
    "Steuerung und Organisation;Hauptamt;K1;Bearbeitete Anträge;Anzahl;1.200;1.300;1.400;blau\n"
    "1 Zentrale Verwaltung;11 Innere Verwaltung;111 Verwaltungssteuerung;11101;"
    "Steuerung und Organisation;Hauptamt;K2;Bearbeitungsdauer;Tage;12,5;11;10;grün\n"
    "2 Schule und Kultur;21 Schulträgeraufgaben;211 Grundschulen;21101;"
    "Grundschulen;Schulamt;K1;Schülerinnen und Schüler;Anzahl;850;860;;rot\n"
)

ACTUALS = "Produkt;Kennzahl;Jahr;Wert\n11101;K1;2025;1310\n11101;K2;2025;10,8\n21101;K1;2025;858\n"


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_a_product_list_creates_teilhaushalte_the_product_tree_key_figures_and_values(
    musterstadt, tmp_path
):
    result = budget_import(municipality=musterstadt, path=_write(tmp_path, "p.csv", PRODUCT_LIST))

    assert result["created"] == {"budget_areas": 2, "products": 6, "key_figures": 3, "values": 8}
    areas = BudgetArea.objects.for_municipality(musterstadt)
    assert sorted(areas.values_list("code", "title")) == [
        ("1", "Zentrale Verwaltung"),
        ("2", "Schule und Kultur"),
    ]
    product = Product.objects.for_municipality(musterstadt).get(code="11101")
    assert product.level == ProductLevel.PRODUCT
    assert product.budget_area.code == "1"
    assert product.parent.code == "111" and product.parent.parent.code == "11"
    assert product.responsible == "Hauptamt"
    duration = KeyFigure.objects.for_municipality(musterstadt).get(product=product, code="K2")
    values = {(v.year, v.kind): v.value for v in duration.values.all()}
    assert values == {
        (2024, "actual"): Decimal("12.5"),
        (2025, "plan"): Decimal("11"),
        (2026, "target"): Decimal("10"),
    }
    # Thousands separators as German exports write them.
    applications = KeyFigure.objects.for_municipality(musterstadt).get(product=product, code="K1")
    assert applications.values.get(year=2024).value == Decimal("1200")
    assert result["columns"]["unrecognised"] == ["Farbe"]
    assert "Farbe" in result["warnings"][0]


@pytest.mark.django_db
def test_importing_the_same_product_list_twice_changes_nothing(musterstadt, tmp_path):
    path = _write(tmp_path, "p.csv", PRODUCT_LIST)
    budget_import(municipality=musterstadt, path=path)

    again = budget_import(municipality=musterstadt, path=path)

    assert set(again["created"].values()) == {0}
    assert set(again["updated"].values()) == {0}
    assert Product.objects.for_municipality(musterstadt).count() == 6


@pytest.mark.django_db
def test_a_dry_run_reports_what_would_change_and_writes_nothing(musterstadt, tmp_path):
    result = budget_import(
        municipality=musterstadt, path=_write(tmp_path, "p.csv", PRODUCT_LIST), dry_run=True
    )

    assert result["dry_run"] is True
    assert result["created"]["products"] == 6
    assert not Product.objects.for_municipality(musterstadt).exists()


@pytest.mark.django_db
def test_one_bad_number_refuses_the_whole_file_and_names_row_and_column(musterstadt, tmp_path):
    broken = PRODUCT_LIST.replace("12,5", "zwölf")

    with pytest.raises(ImportFailed) as failure:
        budget_import(municipality=musterstadt, path=_write(tmp_path, "p.csv", broken))

    problem = failure.value.errors[0]
    assert problem.row == 3 and problem.column == "Ist 2024"
    assert "p.csv" in problem.message and "„zwölf“ ist keine Zahl" in problem.message
    assert not Product.objects.for_municipality(musterstadt).exists()


@pytest.mark.django_db
def test_a_file_without_a_product_column_is_refused_in_german(musterstadt, tmp_path):
    with pytest.raises(ImportFailed) as failure:
        budget_import(
            municipality=musterstadt, path=_write(tmp_path, "x.csv", "Name;Betrag\nA;1\n")
        )
    assert "keine Kopfzeile" in str(failure.value)


@pytest.mark.django_db
def test_a_product_list_from_an_xlsx_workbook_names_the_sheet_in_errors(musterstadt, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Produkte"
    sheet.append(["Hinweis: Export aus dem Finanzverfahren"])
    sheet.append(["TH", "Produktnummer", "Bezeichnung", "Kennzahl", "Ist 2024"])
    sheet.append(["1", "11101", "Steuerung", "Anträge", 1200])
    sheet.append(["1", "11102", "", "Anträge", 5])
    path = tmp_path / "produkte.xlsx"
    workbook.save(path)

    with pytest.raises(ImportFailed) as failure:
        budget_import(municipality=musterstadt, path=path)
    message = failure.value.errors[0].message
    assert "Blatt „Produkte“" in message and "Zeile 4" in message

    sheet.delete_rows(4)
    workbook.save(path)
    result = budget_import(municipality=musterstadt, path=path)
    assert result["created"]["values"] == 1
    figure = KeyFigure.objects.for_municipality(musterstadt).get()
    assert figure.code == "Anträge"  # no number in the export: the name is its key


@pytest.mark.django_db
def test_actual_key_figures_are_imported_for_existing_key_figures(musterstadt, tmp_path):
    budget_import(municipality=musterstadt, path=_write(tmp_path, "p.csv", PRODUCT_LIST))

    result = keyfigure_import(municipality=musterstadt, path=_write(tmp_path, "i.csv", ACTUALS))

    assert result["created"]["values"] == 3
    value = KeyFigureValue.objects.for_municipality(musterstadt).get(
        key_figure__code="K2", key_figure__product__code="11101", year=2025, kind="actual"
    )
    assert value.value == Decimal("10.8")
    again = keyfigure_import(municipality=musterstadt, path=_write(tmp_path, "i.csv", ACTUALS))
    assert again["created"]["values"] == 0 and again["updated"]["values"] == 0


@pytest.mark.django_db
def test_actuals_for_an_unknown_key_figure_refuse_the_whole_file(musterstadt, tmp_path):
    budget_import(municipality=musterstadt, path=_write(tmp_path, "p.csv", PRODUCT_LIST))
    text = ACTUALS + "21101;K9;2025;3\n"

    with pytest.raises(ImportFailed) as failure:
        keyfigure_import(municipality=musterstadt, path=_write(tmp_path, "i.csv", text))

    assert failure.value.errors[0].row == 5
    assert "keine Kennzahl „K9“" in failure.value.errors[0].message
    assert not KeyFigureValue.objects.for_municipality(musterstadt).filter(year=2025, kind="actual")


@pytest.mark.django_db
def test_the_command_imports_budget_and_keyfigures_with_json_output(musterstadt, tmp_path):
    out = StringIO()
    call_command(
        "import",
        "budget",
        str(_write(tmp_path, "p.csv", PRODUCT_LIST)),
        "--municipality",
        musterstadt.slug,
        "--json",
        stdout=out,
    )
    answer = json.loads(out.getvalue())
    assert answer["ok"] is True and answer["created"]["products"] == 6

    out = StringIO()
    call_command(
        "import",
        "keyfigures",
        str(_write(tmp_path, "i.csv", ACTUALS)),
        "--municipality",
        musterstadt.slug,
        "--dry-run",
        stdout=out,
    )
    assert out.getvalue().startswith("Probelauf: Werte: 3 (neu 3, geändert 0)")


@pytest.mark.django_db
def test_the_upload_page_previews_then_imports_and_a_product_list_is_never_queued_as_a_plan(
    strategy_user, client_for, musterstadt
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = client_for(strategy_user)
    upload = SimpleUploadedFile("produkte.csv", PRODUCT_LIST.encode("utf-8"), "text/csv")
    preview = client.post(reverse("imports:budget_upload"), {"kind": "budget", "file": upload})
    assert preview.status_code == 200
    assert "Noch ist nichts gespeichert" in preview.content.decode()
    assert not Product.objects.for_municipality(musterstadt).exists()
    token = preview.context["token"]

    # The plan import's confirmation refuses the budget upload.
    refused = client.post(reverse("imports:confirm"), {"token": token})
    assert refused.status_code == 302 and refused["Location"] == reverse("imports:upload")

    done = client.post(reverse("imports:budget_confirm"), {"token": token, "action": "confirm"})
    assert done.status_code == 302 and done["Location"] == reverse("budget:overview")
    assert Product.objects.for_municipality(musterstadt).count() == 6
