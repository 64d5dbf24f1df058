"""One guard for every uploaded workbook (XLSX, and the ZIP container of ODS/DOCX tables), M4.

An XLSX file is a ZIP archive: 3.7 MB can unpack to 948 MB of sheet XML, and openpyxl trusts the
row count the file claims. Every reader of uploaded workbooks therefore goes through here:
`archive_check` before anything is unpacked (number of parts, compression ratio, unpacked
size), `open_workbook` to open it streaming (openpyxl read_only: one row at a time), and
`sheet_rows` to read at most so many rows and cells. Problems are `WorkbookRefused` with a
German message naming the file.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

MAX_MEMBERS = 5000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
# Small parts may compress extremely well (empty sheets, shared strings): only parts above this
# size count for the ratio.
RATIO_FROM_BYTES = 1024 * 1024
MAX_COLUMNS = 200


class WorkbookRefused(ValueError):
    """The file is not read; the message (German) says why."""


class WorkbookUnreadable(WorkbookRefused):
    """Not a workbook at all (broken archive, not XLSX)."""


def archive_check(name: str, data: bytes, *, kind: str = "Office") -> set[str]:
    """The archive's part names, after the zip-bomb checks; raises WorkbookRefused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    # NotImplementedError: an archive of a zip version or method Python cannot read (fuzzing, D3).
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,
    ):
        raise WorkbookUnreadable(
            f"{name}: keine gültige {kind}-Datei (beschädigtes ZIP-Archiv)."
        ) from None
    if len(infos) > MAX_MEMBERS:
        raise WorkbookRefused(f"{name}: das Archiv enthält zu viele Teile ({len(infos)}).")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(1, info.compress_size)
        if ratio > MAX_RATIO and info.file_size > RATIO_FROM_BYTES:
            raise WorkbookRefused(
                f"{name}: verdächtig stark komprimierter Inhalt ({info.filename}); "
                "die Datei wird nicht entpackt."
            )
    if total > MAX_UNCOMPRESSED:
        raise WorkbookRefused(
            f"{name}: entpackt größer als {MAX_UNCOMPRESSED // (1024 * 1024)} MB; "
            "die Datei wird nicht eingelesen."
        )
    return {i.filename for i in infos}


def open_workbook(name: str, data: bytes) -> Any:
    """A checked XLSX workbook, opened for streaming (read_only) with cached values only
    (data_only: formulas stay inert). Close it after use."""
    from openpyxl import load_workbook

    archive_check(name, data, kind="XLSX")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises anything on broken files
        raise WorkbookUnreadable(f"{name}: keine gültige XLSX-Datei.") from None


def sheet_rows(
    sheet: Any, *, name: str, max_rows: int, max_columns: int = MAX_COLUMNS
) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows as value tuples, at most `max_columns` wide; WorkbookRefused once
    there are more than `max_rows` (the rows before have been handed out already)."""
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > max_rows:
            raise WorkbookRefused(
                f"{name}: mehr als {max_rows} Zeilen im Blatt „{sheet.title}“; "
                "die Datei wird nicht weiter eingelesen."
            )
        yield tuple(values[:max_columns])
