"""Untrusted input: random or malformed bytes never crash the import and never write rows."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leitwerk.guidelines.models import GuidelineDocument, Statement
from leitwerk.imports.guideline_parser import parse_text
from leitwerk.imports.services import ImportFailed, guideline_import
from leitwerk.municipalities.models import Municipality

from .guideline_samples import BUERGERAMT, GRUNDSAETZE, MARKDOWN

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
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
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


@settings(max_examples=150, deadline=None)
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
