"""Untrusted input: random or malformed bytes never crash the import and never write rows."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leitwerk.guidelines.models import GuidelineDocument, GuidelineSection, Statement
from leitwerk.imports.fuzz.guideline_samples import (
    BUERGERAMT,
    GRUNDSAETZE,
    HTML,
    MARKDOWN,
    make_docx,
    make_pdf,
)
from leitwerk.imports.guideline_parser import parse_text
from leitwerk.imports.models import ImportRun
from leitwerk.imports.services import ImportFailed, guideline_import
from leitwerk.municipalities.models import Municipality
from leitwerk.testing.examples import examples

PREFIXES = [
    b"",
    b"PK\x03\x04",
    b"%PDF-1.4\n",
    b"<html><body>",
    b"\xef\xbb\xbf",
    b"- Wir ",
    b"Grundsatz 1\n",
]
NAMES = ["x.txt", "x.md", "x.docx", "x.pdf", "x.html", "x"]


@pytest.mark.django_db
@settings(
    max_examples=examples(80),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    prefix=st.sampled_from(PREFIXES),
    body=st.binary(max_size=600),
    name=st.sampled_from(NAMES),
    dry_run=st.booleans(),
)
def test_random_bytes_fail_cleanly_or_import(prefix, body, name, dry_run):
    town, _ = Municipality.objects.get_or_create(slug="fuzz", defaults={"name": "Fuzz"})
    docs_before = GuidelineDocument.objects.count()
    statements_before = Statement.objects.count()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(prefix + body)
        try:
            result = guideline_import(municipality=town, path=path, dry_run=dry_run)
        except ImportFailed as failure:
            assert failure.errors and all(e.message for e in failure.errors)
            wrote = False
        else:
            assert result["counts"]["statements"] > 0
            wrote = not dry_run
    if not wrote:
        assert GuidelineDocument.objects.count() == docs_before
        assert Statement.objects.count() == statements_before


@settings(max_examples=examples(150), deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [ln for doc in (GRUNDSAETZE, BUERGERAMT, MARKDOWN) for ln in doc.splitlines()]
            + [
                "",
                "GEMEINSAM LERNEN GEMEINSAM TEILEN",
                "• ",
                "1.",
                "Grundsatz",
                "Ich",
                "Wir -",
                "–",
            ]
        ),
        max_size=40,
    )
)
def test_shuffled_document_lines_never_crash_and_lose_no_statement(lines):
    parsed = parse_text("\n".join(lines))
    for section in parsed.sections:
        for statement in section.statements:
            assert statement.kind in {"wir", "ich", "grundsatz", "anliegen", "other"}
            assert statement.text.strip()
    # every Ich line of the input is kept somewhere in the structure
    everything = " ".join(
        [parsed.title, parsed.preamble, parsed.closing, *parsed.unrecognised]
        + [s.title + " " + s.intro for s in parsed.sections]
        + [st.text for s in parsed.sections for st in s.statements]
    )
    for line in lines:
        if line.startswith("* Ich "):
            assert line[6:].replace("__", "")[:10] in everything


# --- malformed documents: valid guideline files of every format, then damaged -------------

VALID = {
    "txt": GRUNDSAETZE.encode("utf-8"),
    "md": MARKDOWN.encode("utf-8"),
    "html": HTML.encode("utf-8"),
    "docx": make_docx(),
    "pdf": make_pdf(GRUNDSAETZE.splitlines()[:24]),
    "cp1252.txt": BUERGERAMT.encode("cp1252", errors="replace"),
}


@st.composite
def malformed_document(draw):
    ext = draw(st.sampled_from(sorted(VALID)))
    data = VALID[ext]
    op = draw(st.sampled_from(["truncate", "flip", "insert", "lines", "rename", "inner"]))
    if op == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif op == "flip":
        data = bytearray(data)
        for _ in range(draw(st.integers(1, 12))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        data = bytes(data)
    elif op == "insert":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=80)) + data[at:]
    elif op == "lines":
        lines = data.split(b"\n")
        picked = draw(st.lists(st.sampled_from(lines), max_size=len(lines) + 5))
        data = b"\n".join(picked)
    elif op == "rename":
        # The content of one format under the name of another.
        ext = draw(st.sampled_from([e for e in VALID if e != ext]))
    elif data[:2] == b"PK":
        import io
        import zipfile

        cut = draw(st.floats(0.0, 1.0))
        out = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(data)) as src,
            zipfile.ZipFile(out, "w") as dst,
        ):
            for info in src.infolist():
                content = src.read(info.filename)
                dst.writestr(info.filename, content[: int(len(content) * cut)])
        data = out.getvalue()
    return ext, data


def _rows():
    return (
        GuidelineDocument.objects.count(),
        GuidelineSection.objects.count(),
        Statement.objects.count(),
        ImportRun.objects.count(),
    )


def run_malformed(case):
    ext, data = case
    town, _ = Municipality.objects.get_or_create(slug="fuzz", defaults={"name": "Fuzz"})
    before = _rows()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"leitbild.{ext}"
        path.write_bytes(data)
        try:
            result = guideline_import(municipality=town, path=path)
        except ImportFailed as failure:
            assert failure.errors and all(e.message for e in failure.errors)
            assert _rows() == before, "a refused import wrote rows"
            return
    # Accepted: the stored document holds everything the result reports, not a part of it.
    doc = GuidelineDocument.objects.get(pk=result["guideline"]["id"])
    stored = Statement.objects.filter(section__document=doc).count()
    assert stored == result["counts"]["statements"] > 0
    assert GuidelineSection.objects.filter(document=doc).count() == result["counts"]["sections"]


MALFORMED = {
    "deadline": None,
    "derandomize": True,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


@pytest.mark.django_db
@settings(max_examples=25, **MALFORMED)
@given(case=malformed_document())
def test_malformed_documents_fail_cleanly_or_import_whole(case):
    run_malformed(case)


@pytest.mark.slow
@pytest.mark.django_db
@settings(max_examples=250, **MALFORMED)
@given(case=malformed_document())
def test_many_malformed_documents_fail_cleanly_or_import_whole(case):
    run_malformed(case)
