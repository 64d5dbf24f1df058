"""Bulk update of a plan's Vorhaben through an XLSX file: export, read back, compare.

The file carries hidden columns with the version of each Vorhaben, the id of its latest
status report and of each indicator's latest measurement as downloaded. On upload, a row whose
Vorhaben changed since the download is a conflict and is shown, not applied. Reading is pure
(bytes in, `Preview` out); writing happens in `services.bulk_update_apply`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from leitwerk.core import workbooks
from leitwerk.core.spreadsheet import is_formula_like, xlsx_text
from leitwerk.core.status import REPORTABLE_HEALTH, Health
from leitwerk.plans.models import Indicator, Initiative, InitiativeStatus, Measurement, StatusReport

if TYPE_CHECKING:
    from .selectors import BulkIndicator, BulkInitiative

SHEET_INITIATIVES = "Vorhaben"
SHEET_INDICATORS = "Indikatoren"

INITIATIVE_HEADERS = [
    "ID",
    "Version",
    "Meldung-ID",
    "Nr.",
    "Vorhaben",
    "Status",
    "Einschätzung",
    "Sachstand",
    "Warum und was nun?",
]
INDICATOR_HEADERS = [
    "ID",
    "Messwert-ID",
    "Nr.",
    "Vorhaben",
    "Indikator",
    "Einheit",
    "letzter Wert",
    "Stichtag",
    "neuer Wert",
    "Stichtag neuer Wert",
]
HIDDEN = {SHEET_INITIATIVES: ("A", "B", "C"), SHEET_INDICATORS: ("A", "B")}

# Health values a person may report (stale and unknown are computed, not reported).


# Rows per sheet of an uploaded workbook (LEITWERK_BULK_MAX_ROWS); plans have a few hundred.
DEFAULT_MAX_ROWS = 20_000


class BulkFileError(ValueError):
    """The upload is not a bulk-update file of this plan (German message for the page)."""


def neutralise(value: Any) -> Any:
    """A cell value for the workbook: text cleaned and never run as a formula (C6)."""
    return xlsx_text(value) if isinstance(value, str) else value


def unneutralise(value: str) -> str:
    """The text as typed: without the apostrophe `neutralise` put before a formula start."""
    if value[:1] == "'" and is_formula_like(value[1:]):
        return value[1:]
    return value


def export_plan(
    *, plan: Any, initiatives: list[BulkInitiative], indicators: list[BulkIndicator]
) -> bytes:
    """The workbook for `plan`: its Vorhaben with their latest status report, its indicators
    with their latest measurement (`selectors.bulk_export_rows`)."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_INITIATIVES
    sheet.append(INITIATIVE_HEADERS)
    status_labels = [str(label) for _, label in InitiativeStatus.choices]
    health_labels = [str(h.label) for h in REPORTABLE_HEALTH]
    for row in initiatives:
        initiative, report = row.initiative, row.latest_report
        sheet.append(
            [
                initiative.pk,
                initiative.version,
                report.pk if report else 0,
                neutralise(initiative.number),
                neutralise(initiative.title),
                initiative.get_status_display(),
                str(Health(report.health).label) if report else "",
                neutralise(report.text) if report else "",
                neutralise(report.off_track_note) if report else "",
            ]
        )
    rows = max(len(initiatives), 1) + 1
    for column, labels in (("F", status_labels), ("G", health_labels)):
        validation = DataValidation(type="list", formula1='"' + ",".join(labels) + '"')
        validation.add(f"{column}2:{column}{rows}")
        sheet.add_data_validation(validation)

    ind_sheet = book.create_sheet(SHEET_INDICATORS)
    ind_sheet.append(INDICATOR_HEADERS)
    for ind_row in indicators:
        indicator, latest = ind_row.indicator, ind_row.latest_measurement
        ind_sheet.append(
            [
                indicator.pk,
                latest.pk if latest else 0,
                neutralise(ind_row.initiative.number),
                neutralise(ind_row.initiative.title),
                neutralise(indicator.title),
                neutralise(indicator.unit),
                latest.value if latest else None,
                latest.measured_on if latest else None,
                None,
                None,
            ]
        )
    for ws in (sheet, ind_sheet):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for column in HIDDEN[ws.title]:
            ws.column_dimensions[column].hidden = True
        ws.freeze_panes = "A2"
    for column, width in (("D", 8), ("E", 50), ("F", 16), ("G", 16), ("H", 60), ("I", 40)):
        sheet.column_dimensions[column].width = width
    for column, width in (("C", 8), ("D", 40), ("E", 40), ("I", 14), ("J", 18)):
        ind_sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class InitiativeChange:
    initiative_id: int
    label: str
    version: int
    report_id: int
    status: tuple[str, str] | None = None  # (old, new) values
    report: dict[str, str] | None = None  # health, text, off_track_note of a new report
    summary: str = ""  # the change in words, for the preview
    conflict: str = ""
    error: str = ""


@dataclass
class MeasurementChange:
    indicator_id: int
    initiative_id: int
    label: str
    measurement_id: int
    value: str
    measured_on: str
    conflict: str = ""
    error: str = ""


@dataclass
class Preview:
    initiatives: list[InitiativeChange] = field(default_factory=list)
    measurements: list[MeasurementChange] = field(default_factory=list)

    def _changes(self) -> list[InitiativeChange | MeasurementChange]:
        return [*self.initiatives, *self.measurements]

    @property
    def applicable(self) -> int:
        return len([c for c in self._changes() if not c.conflict and not c.error])

    @property
    def blocked(self) -> int:
        return len([c for c in self._changes() if c.conflict or c.error])

    def to_json(self) -> dict[str, Any]:
        return {
            "initiatives": [asdict(c) for c in self.initiatives],
            "measurements": [asdict(c) for c in self.measurements],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Preview:
        initiatives = []
        for row in data.get("initiatives", []):
            row = dict(row)
            if row.get("status"):
                row["status"] = tuple(row["status"])
            initiatives.append(InitiativeChange(**row))
        return cls(
            initiatives=initiatives,
            measurements=[MeasurementChange(**row) for row in data.get("measurements", [])],
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unneutralise(str(value).strip())


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _rows(book: Any, name: str, headers: list[str]) -> Iterator[dict[str, Any]]:
    """The sheet's non-empty rows as dicts, streamed: at most LEITWERK_BULK_MAX_ROWS rows and
    as many columns as the download has (core.workbooks, M4). The header is checked now."""
    if name not in book.sheetnames:
        raise BulkFileError(
            f"Das Tabellenblatt „{name}“ fehlt – bitte die heruntergeladene Datei verwenden."
        )
    rows = workbooks.sheet_rows(
        book[name],
        name="Die Datei",
        max_rows=int(getattr(settings, "LEITWERK_BULK_MAX_ROWS", DEFAULT_MAX_ROWS)),
        max_columns=len(headers),
    )
    header = [_text(h) for h in next(rows, ())]
    if header[: len(headers)] != headers:
        raise BulkFileError(
            f"Die Spalten im Blatt „{name}“ wurden verändert – bitte nur Inhalte ändern, "
            "keine Spalten verschieben oder löschen."
        )
    return (
        dict(zip(headers, row, strict=False)) for row in rows if any(c is not None for c in row)
    )


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None


def _date(value: Any, default: dt.date) -> dt.date | None:
    if value is None or value == "":
        return default
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def read_upload(*, data: bytes, plan: Any, today: dt.date) -> Preview:
    """Compare an uploaded workbook with the stored plan: what would change, what conflicts."""
    try:
        book = workbooks.open_workbook("Die Datei", data)
    except workbooks.WorkbookUnreadable:
        raise BulkFileError("Die Datei ist keine lesbare Excel-Datei (.xlsx).") from None
    except workbooks.WorkbookRefused as refused:  # zip bomb, too large unpacked (M4)
        raise BulkFileError(str(refused)) from None
    try:
        return _compare(book, plan, today)
    except workbooks.WorkbookRefused as refused:  # too many rows
        raise BulkFileError(str(refused)) from None
    finally:
        book.close()


def _compare(book: Any, plan: Any, today: dt.date) -> Preview:
    # Streamed: the first row with a foreign ID ends the reading.
    initiative_rows = _rows(book, SHEET_INITIATIVES, INITIATIVE_HEADERS)

    initiatives = {
        i.pk: i
        for i in Initiative.objects.filter(action_field__plan=plan, municipality=plan.municipality)
    }
    latest_reports: dict[int, StatusReport] = {}
    for report in StatusReport.objects.belonging_to(
        initiatives.values(), via="initiative"
    ).order_by("initiative_id", "reported_on", "id"):
        latest_reports[report.initiative_id] = report

    preview = Preview()
    for row in initiative_rows:
        initiative = initiatives.get(_int(row["ID"]) or -1)
        if initiative is None:
            raise BulkFileError("Die Datei gehört zu einem anderen Plan oder wurde verändert (ID).")
        change = _initiative_change(row, initiative, latest_reports.get(initiative.pk))
        if change.status or change.report or change.error:
            preview.initiatives.append(change)
    indicator_rows = _rows(book, SHEET_INDICATORS, INDICATOR_HEADERS)
    preview.measurements = _measurement_changes(indicator_rows, initiatives, today)
    return preview


def _initiative_change(
    row: dict[str, Any], initiative: Initiative, report: StatusReport | None
) -> InitiativeChange:
    """What one row of the Vorhaben sheet would change: status, a new report, or an error."""
    change = InitiativeChange(
        initiative_id=initiative.pk,
        label=str(initiative),
        version=_int(row["Version"]) or 0,
        report_id=_int(row["Meldung-ID"]) or 0,
    )
    status_by_label = {str(label).lower(): value for value, label in InitiativeStatus.choices}
    status_text = _text(row["Status"]).lower()
    new_status = status_by_label.get(status_text)
    if status_text and new_status is None:
        change.error = f"Unbekannter Status „{_text(row['Status'])}“."
    elif new_status and new_status != initiative.status:
        change.status = (initiative.status, new_status)
    _report_change(change, row, report)
    change.summary = _change_summary(change)
    if change.status or change.report or change.error:
        current_report = report.pk if report else 0
        if initiative.version != change.version:
            change.conflict = "Das Vorhaben wurde seit dem Herunterladen geändert."
        elif change.report and current_report != change.report_id:
            change.conflict = "Seit dem Herunterladen kam eine neue Sachstandsmeldung dazu."
    return change


def _report_change(change: InitiativeChange, row: dict[str, Any], report) -> None:
    """A new status report if the row's assessment or text differ from the latest one."""
    health_by_label = {str(h.label).lower(): h.value for h in REPORTABLE_HEALTH}
    health_text = _text(row["Einschätzung"]).lower()
    text, note = _text(row["Sachstand"]), _text(row["Warum und was nun?"])
    old = (report.health, report.text, report.off_track_note) if report else ("", "", "")
    new_health = health_by_label.get(health_text, "") if health_text else ""
    if health_text and not new_health:
        change.error = f"Unbekannte Einschätzung „{_text(row['Einschätzung'])}“."
    elif (new_health, text, note) != old and (new_health or text):
        if not new_health or not text:
            change.error = "Für eine neue Meldung bitte Einschätzung und Sachstand ausfüllen."
        elif new_health == Health.OFF_TRACK and not note:
            change.error = "Bei „kritisch“ bitte „Warum und was nun?“ ausfüllen."
        else:
            change.report = {"health": new_health, "text": text, "off_track_note": note}


def _change_summary(change: InitiativeChange) -> str:
    labels = dict(InitiativeStatus.choices)
    parts = []
    if change.status:
        parts.append(f"Status: {labels[change.status[0]]} → {labels[change.status[1]]}")
    if change.report:
        health_label = Health(change.report["health"]).label
        parts.append(f"neue Meldung „{health_label}“: {change.report['text'][:120]}")
    return "; ".join(str(p) for p in parts)


def _measurement_changes(
    indicator_rows: Iterable[dict[str, Any]], initiatives: dict[int, Initiative], today: dt.date
) -> list[MeasurementChange]:
    """The new values of the indicator sheet, each checked against the latest stored one."""
    indicators = {
        i.pk: i
        for i in Indicator.objects.belonging_to(
            initiatives.values(), via="initiative"
        ).select_related("initiative")
    }
    latest_measurement: dict[int, int] = {}
    for indicator_id, pk in (
        Measurement.objects.belonging_to(indicators.values(), via="indicator")
        .order_by("indicator_id", "measured_on", "id")
        .values_list("indicator_id", "pk")
    ):
        latest_measurement[indicator_id] = pk
    changes = []
    for row in indicator_rows:
        if row["neuer Wert"] in (None, ""):
            continue
        indicator = indicators.get(_int(row["ID"]) or -1)
        if indicator is None:
            raise BulkFileError("Die Datei gehört zu einem anderen Plan oder wurde verändert (ID).")
        value = _decimal(row["neuer Wert"])
        measured_on = _date(row["Stichtag neuer Wert"], today)
        m = MeasurementChange(
            indicator_id=indicator.pk,
            initiative_id=indicator.initiative_id or 0,
            label=f"{indicator.initiative}: {indicator}",
            measurement_id=_int(row["Messwert-ID"]) or 0,
            value=str(value) if value is not None else _text(row["neuer Wert"]),
            measured_on=measured_on.isoformat() if measured_on else "",
        )
        if value is None:
            m.error = f"„{_text(row['neuer Wert'])}“ ist keine Zahl."
        elif measured_on is None:
            m.error = "Stichtag bitte als TT.MM.JJJJ angeben."
        elif latest_measurement.get(indicator.pk, 0) != m.measurement_id:
            m.conflict = "Seit dem Herunterladen wurde ein neuer Wert erfasst."
        changes.append(m)
    return changes
