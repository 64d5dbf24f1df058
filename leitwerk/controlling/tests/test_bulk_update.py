"""Bulk update through XLSX: download, edit offline, upload, preview with conflicts, confirm."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from leitwerk.controlling.bulk import neutralise, unneutralise
from leitwerk.controlling.tests.factories import MeasurementFactory, StatusReportFactory
from leitwerk.core.models import AuditLogEntry
from leitwerk.core.status import Health
from leitwerk.plans.models import InitiativeStatus, Measurement, StatusReport
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    IndicatorFactory,
    InitiativeFactory,
)


@pytest.fixture
def plan(musterstadt, led_initiative):
    # The led Vorhaben (FB 3, project lead Paula) moves into a plan with a second Vorhaben.
    plan = ActionPlanFactory(municipality=musterstadt, title="Aktionsplan 2030")
    field = ActionFieldFactory(municipality=musterstadt, plan=plan)
    led_initiative.action_field = field
    led_initiative.save()
    StatusReportFactory(
        municipality=musterstadt, initiative=led_initiative, text='=HYPERLINK("http://x")'
    )
    indicator = IndicatorFactory(
        municipality=musterstadt, initiative=led_initiative, title="Anteil online", unit="%"
    )
    MeasurementFactory(municipality=musterstadt, indicator=indicator, value=20)
    InitiativeFactory(municipality=musterstadt, action_field=field, title="Fremdes Vorhaben")
    return plan


def _download(client, plan):
    response = client.get(reverse("controlling:bulk_download", kwargs={"pk": plan.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def _upload(client, plan, book):
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("plan.xlsx", out.getvalue())
    return client.post(reverse("controlling:bulk_update", kwargs={"pk": plan.pk}), {"file": upload})


def _row(sheet, title):
    for row in sheet.iter_rows(min_row=2):
        if title in str(row[4].value):
            return row
    raise AssertionError(title)


def test_neutralise_round_trip():
    for text in ["=1+1", "+49 30", "-5", "@SUM(A1)", "normal", ""]:
        assert unneutralise(neutralise(text)) == text
    assert neutralise("=1+1") == "'=1+1"


def test_download_has_hidden_versions_and_no_formulas(plan, strategy_user, client_for):
    book = _download(client_for(strategy_user), plan)
    sheet = book["Vorhaben"]
    assert [c.value for c in sheet[1]][:5] == ["ID", "Version", "Meldung-ID", "Nr.", "Vorhaben"]
    assert sheet.column_dimensions["B"].hidden
    row = _row(sheet, "Online-Terminvergabe")
    assert row[7].value == '\'=HYPERLINK("http://x")'  # formula-looking text neutralised
    assert row[5].value == "in Umsetzung" and row[6].value == "im Plan"
    indicators = book["Indikatoren"]
    assert indicators.column_dimensions["A"].hidden
    assert [c.value for c in indicators[2]][4:7] == ["Anteil online", "%", 20]


def test_download_survives_control_characters_pasted_into_a_title(
    plan, led_initiative, strategy_user, client_for
):
    # XLSX (XML 1.0) cannot hold them; the workbook drops them instead of failing.
    led_initiative.title = "Online\x0b-Termin\x1bvergabe"
    led_initiative.save()
    book = _download(client_for(strategy_user), plan)
    assert _row(book["Vorhaben"], "Online-Terminvergabe")[4].value == "Online-Terminvergabe"


def test_upload_previews_then_confirm_applies(plan, led_initiative, strategy_user, client_for):
    client = client_for(strategy_user)
    book = _download(client, plan)
    row = _row(book["Vorhaben"], "Online-Terminvergabe")
    row[5].value = "abgeschlossen"
    row[6].value = "gefährdet"
    row[7].value = "Pilot läuft, Anbieter liefert spät."
    book["Indikatoren"]["I2"].value = "35,5"
    book["Indikatoren"]["J2"].value = "30.06.2026"
    response = _upload(client, plan, book)
    page = response.content.decode()
    assert response.status_code == 200
    assert "in Umsetzung → abgeschlossen" in page and "gefährdet" in page and "35.5" in page
    assert "2 Änderungen übernehmen" in page
    # Nothing is written before the confirmation.
    led_initiative.refresh_from_db()
    assert led_initiative.status == InitiativeStatus.ACTIVE

    response = client.post(reverse("controlling:bulk_confirm", kwargs={"pk": plan.pk}))
    assert response.status_code == 302
    led_initiative.refresh_from_db()
    assert led_initiative.status == InitiativeStatus.COMPLETED
    report = StatusReport.objects.filter(initiative=led_initiative).order_by("-id").first()
    assert report.health == Health.AT_RISK and report.text.startswith("Pilot läuft")
    latest = Measurement.objects.order_by("-id").first()
    assert latest.value == Decimal("35.5") and latest.measured_on == dt.date(2026, 6, 30)
    assert AuditLogEntry.objects.filter(action="plan.bulk_update").exists()


def test_a_vorhaben_changed_since_download_is_a_conflict(
    plan, led_initiative, strategy_user, client_for
):
    client = client_for(strategy_user)
    book = _download(client, plan)
    led_initiative.version += 1  # someone saved the Vorhaben in the meantime
    led_initiative.save()
    _row(book["Vorhaben"], "Online-Terminvergabe")[5].value = "pausiert"
    page = _upload(client, plan, book).content.decode()
    assert "Konflikt" in page and "seit dem Herunterladen geändert" in page
    assert "Es gibt nichts zu übernehmen." in page
    client.post(reverse("controlling:bulk_confirm", kwargs={"pk": plan.pk}))
    led_initiative.refresh_from_db()
    assert led_initiative.status == InitiativeStatus.ACTIVE


def test_a_new_measurement_since_download_is_a_conflict(
    plan, led_initiative, strategy_user, client_for
):
    client = client_for(strategy_user)
    book = _download(client, plan)
    indicator = led_initiative.indicators.get()
    MeasurementFactory(
        municipality=plan.municipality,
        indicator=indicator,
        value=25,
        measured_on=dt.date(2026, 5, 1),
    )
    book["Indikatoren"]["I2"].value = 30
    page = _upload(client, plan, book).content.decode()
    assert "Seit dem Herunterladen wurde ein neuer Wert erfasst." in page


def test_changes_between_preview_and_confirm_roll_back_everything(
    plan, led_initiative, strategy_user, client_for
):
    client = client_for(strategy_user)
    book = _download(client, plan)
    _row(book["Vorhaben"], "Online-Terminvergabe")[5].value = "pausiert"
    book["Indikatoren"]["I2"].value = 30
    _upload(client, plan, book)
    led_initiative.refresh_from_db()
    led_initiative.version += 1
    led_initiative.save()
    before = Measurement.objects.count()
    response = client.post(reverse("controlling:bulk_confirm", kwargs={"pk": plan.pk}), follow=True)
    assert "Nichts wurde übernommen" in response.content.decode()
    assert Measurement.objects.count() == before


def test_off_track_without_note_is_an_error_row(plan, strategy_user, client_for):
    client = client_for(strategy_user)
    book = _download(client, plan)
    row = _row(book["Vorhaben"], "Online-Terminvergabe")
    row[6].value = "kritisch"
    row[7].value = "Verzug."
    page = _upload(client, plan, book).content.decode()
    assert "Warum und was nun?" in page and "Fehler" in page


def test_unit_editor_changes_only_own_vorhaben(plan, unit_editor, client_for):
    client = client_for(unit_editor)
    book = _download(client, plan)
    _row(book["Vorhaben"], "Online-Terminvergabe")[5].value = "pausiert"
    _row(book["Vorhaben"], "Fremdes Vorhaben")[5].value = "pausiert"
    page = _upload(client, plan, book).content.decode()
    assert "Sie dürfen den Status dieses Vorhabens nicht ändern." in page
    assert "1 Änderung übernehmen" in page


def test_a_foreign_or_broken_file_is_refused(plan, strategy_user, client_for):
    client = client_for(strategy_user)
    upload = SimpleUploadedFile("plan.xlsx", b"not a workbook")
    response = client.post(
        reverse("controlling:bulk_update", kwargs={"pk": plan.pk}), {"file": upload}
    )
    assert response.status_code == 400
    assert "keine lesbare Excel-Datei" in response.content.decode()
    other_plan = ActionPlanFactory(municipality=plan.municipality)
    book = _download(client, plan)
    response = _upload(client, other_plan, book)
    assert response.status_code == 400 and "anderen Plan" in response.content.decode()


@pytest.mark.parametrize("persona", ["viewer", "council_member"])
def test_readers_get_no_bulk_update(persona, request, plan, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("controlling:bulk_update", kwargs={"pk": plan.pk})).status_code == 403
    assert (
        client.get(reverse("controlling:bulk_download", kwargs={"pk": plan.pk})).status_code == 403
    )


def _zipped_with(book, member: str, content: bytes) -> bytes:
    import zipfile

    saved, out = io.BytesIO(), io.BytesIO()
    book.save(saved)
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr(member, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked(plan, strategy_user, client_for):
    """M4: 3.7 MB unpacking to 948 MB drove a worker to 2 GB and 145 s."""
    client = client_for(strategy_user)
    bomb = _zipped_with(_download(client, plan), "xl/worksheets/sheet3.xml", b"<row/>" * 10**6)
    response = client.post(
        reverse("controlling:bulk_update", kwargs={"pk": plan.pk}),
        {"file": SimpleUploadedFile("plan.xlsx", bomb)},
    )
    assert response.status_code == 400
    assert "verdächtig stark komprimierter Inhalt" in response.content.decode()
    assert "controlling_bulk_preview" not in client.session


def test_a_workbook_with_too_many_rows_is_refused_in_german(
    plan, strategy_user, client_for, settings
):
    """M4: the row count is capped for every sheet (LEITWERK_BULK_MAX_ROWS)."""
    settings.LEITWERK_BULK_MAX_ROWS = 10
    client = client_for(strategy_user)
    book = _download(client, plan)
    sheet = book["Indikatoren"]
    for _ in range(20):
        sheet.append([None, None, "1", "x", "y", "%", None, None, None, None])
    response = _upload(client, plan, book)
    assert response.status_code == 400
    assert "mehr als 10 Zeilen im Blatt „Indikatoren“" in response.content.decode()
