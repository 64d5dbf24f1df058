"""`python -m leitwerk.imports.fuzz [atheris/libFuzzer options] [CORPUS_DIR …]`."""

from __future__ import annotations

import sys

import atheris

from leitwerk.imports.fuzz import harness

# Django first, uninstrumented: coverage feedback should come from the readers and the
# file-format libraries they call, not from the framework.
harness.setup()

with atheris.instrument_imports(
    include=["leitwerk.imports", "docx", "openpyxl", "odf", "pypdf", "charset_normalizer"]
):
    import leitwerk.imports.guideline_parser
    import leitwerk.imports.plan_parser
    import leitwerk.imports.plan_readers
    import leitwerk.imports.readers  # noqa: F401


def main() -> None:
    atheris.Setup(sys.argv, harness.one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
