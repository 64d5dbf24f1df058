"""One fuzz input → one reader call; only the documented German refusals may escape.

The first byte of an input picks the reader and the file name it sees (names lie, so the
readers sniff content first); the remaining bytes are the file. The readers are the pure
functions the import services call before anything is written:

- guidelines: `guideline_parser.parse_guideline(data, filename)` (TXT, MD, HTML, DOCX, PDF),
  which may refuse with `readers.ReadError`;
- plans: `plan_readers.read(name, data)` and then `plan_parser.build_plan(...)` on its rows
  (CSV, TSV, TXT, XLSX, ODS, HTML, DOCX), which may refuse with `ImportFailed`.

Any other exception, and any message that is not a German sentence, is a finding.
"""

from __future__ import annotations

import os

TARGETS: list[tuple[str, str]] = [
    ("guideline", "leitbild.txt"),
    ("guideline", "leitbild.md"),
    ("guideline", "leitbild.html"),
    ("guideline", "leitbild.docx"),
    ("guideline", "leitbild.pdf"),
    ("plan", "plan.csv"),
    ("plan", "plan.tsv"),
    ("plan", "plan.txt"),
    ("plan", "plan.xlsx"),
    ("plan", "plan.ods"),
    ("plan", "plan.html"),
    ("plan", "plan.docx"),
]

_ready = False


def setup() -> None:
    """Django settings are read by the size and row limits; no database is touched."""
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    _ready = True


def encode(target: int, data: bytes) -> bytes:
    """The fuzz input that feeds `data` to TARGETS[target] (used to build the seed corpus)."""
    return bytes([target]) + data


def decode(raw: bytes) -> tuple[str, str, bytes]:
    if not raw:
        return (*TARGETS[0], b"")
    kind, name = TARGETS[raw[0] % len(TARGETS)]
    return kind, name, raw[1:]


def one_input(raw: bytes) -> None:
    """Raises only for a finding; documented refusals are swallowed after a sanity check."""
    setup()
    from leitwerk.imports import plan_parser, plan_readers
    from leitwerk.imports.readers import ReadError
    from leitwerk.imports.services.common import ImportFailed

    kind, name, data = decode(raw)
    try:
        if kind == "guideline":
            from leitwerk.imports.guideline_parser import parse_guideline

            parsed = parse_guideline(data, name)
            assert isinstance(parsed.source_text, str)
        else:
            table = plan_readers.read(name, data)
            if len(table.rows) > plan_readers.max_rows() + 1:
                return
            plan_parser.build_plan(
                table.rows,
                table.row_numbers,
                filename=name,
                preamble=table.preamble,
                headings=table.headings,
                mapping={},
                sheets=table.sheets,
                after=table.after,
            )
    except ReadError as exc:
        _check_message(str(exc))
    except ImportFailed as exc:
        assert exc.errors, "ImportFailed without a message"
        for problem in exc.errors:
            _check_message(problem.message)


def _check_message(message: str) -> None:
    # A refusal the person reads: non-empty, no Python repr leaking through.
    assert message.strip(), "empty refusal message"
    assert "Traceback" not in message and "object at 0x" not in message, message
