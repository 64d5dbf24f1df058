"""Printed papers, once for every stage: tagged PDF from HTML and reproducible OOXML packages.

Reports, briefing books and the council's decision papers render through these two helpers,
so every paper is PDF/UA-1 (tagged, language, bookmarks from the headings) with the same
WeasyPrint settings, and every DOCX/XLSX is byte-identical for the same content. Their shared
body styles are the template `printing/_paper_style.html`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile


def pdf_ua(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1) with embedded fonts from a complete HTML document."""
    # Imported here: WeasyPrint loads Pango at import time, which only printing needs.
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
    assert pdf is not None
    return bytes(pdf)


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def reproducible_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same OOXML package with every entry stamped `when` instead of the time of saving.

    python-docx and openpyxl write each zip entry with the current time (and openpyxl also sets
    the document's "modified" property to now), so two renderings of one content would differ.
    """
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    modified = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + modified + rb"\g<2>", content)
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, content)
    return out.getvalue()
