"""Replays the committed fuzz corpus and every crasher through the atheris harness (D3).

The same entry atheris calls (`leitwerk.imports.fuzz.harness.one_input`) runs here without
atheris, so a reader change that brings back a crash fails CI. Only the documented German
refusals (`ReadError`, `ImportFailed`) may come out of the readers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from leitwerk.imports.fuzz import harness

FUZZ = Path(harness.__file__).parent
INPUTS = sorted([*FUZZ.glob("corpus/*"), *FUZZ.glob("crashers/*")])


def test_every_reader_has_a_seed():
    seeded = {harness.decode(p.read_bytes())[1] for p in FUZZ.glob("corpus/*")}
    assert seeded == {name for _kind, name in harness.TARGETS}


@pytest.mark.parametrize("path", INPUTS, ids=[f"{p.parent.name}/{p.name}" for p in INPUTS])
def test_input_is_read_or_refused_in_german(path):
    harness.one_input(path.read_bytes())


def test_seeds_are_valid_files_the_readers_accept():
    """The seeds are real files, so the fuzzer starts from deep inside each format."""
    from leitwerk.imports import plan_parser, plan_readers
    from leitwerk.imports.guideline_parser import parse_guideline

    for path in FUZZ.glob("corpus/seed-*"):
        kind, name, data = harness.decode(path.read_bytes())
        if kind == "guideline":
            assert parse_guideline(data, name).statement_count > 0, name
        else:
            table = plan_readers.read(name, data)
            parsed = plan_parser.build_plan(
                table.rows,
                table.row_numbers,
                filename=name,
                preamble=table.preamble,
                headings=table.headings,
                mapping={},
                sheets=table.sheets,
                after=table.after,
            )
            assert parsed.counts["initiatives"] > 0, name


def test_an_unexpected_exception_is_a_finding(monkeypatch):
    """The harness lets other exception types through, so the replay above can fail."""
    from leitwerk.imports import plan_readers

    def broken(name, data):
        raise NotImplementedError("zip file version 23.1")

    monkeypatch.setattr(plan_readers, "read", broken)
    with pytest.raises(NotImplementedError):
        harness.one_input(harness.encode(5, b"a;b\n1;2\n"))
