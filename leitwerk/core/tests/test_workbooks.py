"""M4: one guard for every uploaded workbook – zip bombs, unpacked size, rows, columns."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from leitwerk.core import workbooks


def _xlsx(rows: int, columns: int = 3) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Vorhaben"
    for r in range(rows):
        sheet.append([f"z{r}s{c}" for c in range(columns)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_member(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_anything_is_unpacked():
    bomb = _with_member(_xlsx(2), "xl/worksheets/sheet9.xml", b"<row/>" * 1_000_000)
    assert len(bomb) < 100_000  # 6 MB of sheet in a few kB
    with pytest.raises(workbooks.WorkbookRefused, match="verdächtig stark komprimierter Inhalt"):
        workbooks.open_workbook("sammel.xlsx", bomb)


def test_too_much_unpacked_content_is_refused(monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_UNCOMPRESSED", 10_000)
    with pytest.raises(workbooks.WorkbookRefused, match="sammel.xlsx: entpackt größer als"):
        workbooks.archive_check("sammel.xlsx", _xlsx(300))


def test_an_archive_with_too_many_parts_is_refused(monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_MEMBERS", 3)
    with pytest.raises(workbooks.WorkbookRefused, match="zu viele Teile"):
        workbooks.archive_check("sammel.xlsx", _xlsx(1))


def test_broken_files_are_unreadable_not_a_crash():
    with pytest.raises(workbooks.WorkbookUnreadable, match="beschädigtes ZIP-Archiv"):
        workbooks.open_workbook("x.xlsx", b"kein Archiv")
    with pytest.raises(workbooks.WorkbookUnreadable, match="keine gültige XLSX-Datei"):
        workbooks.open_workbook("x.xlsx", _zip())


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("hallo.txt", "kein Excel")
    return out.getvalue()


def test_rows_are_streamed_and_stop_after_the_limit_with_a_german_message():
    book = workbooks.open_workbook("sammel.xlsx", _xlsx(50, columns=400))
    try:
        rows = workbooks.sheet_rows(book["Vorhaben"], name="sammel.xlsx", max_rows=10)
        first = next(rows)
        assert len(first) == workbooks.MAX_COLUMNS
        read = 1
        with pytest.raises(
            workbooks.WorkbookRefused, match="mehr als 10 Zeilen im Blatt „Vorhaben“"
        ):
            for _row in rows:
                read += 1
        assert read == 10
    finally:
        book.close()
