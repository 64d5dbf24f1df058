"""docs/SECURITY.md names tests; every test it names exists, so the sheet cannot go stale."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SHEET = ROOT / "docs" / "SECURITY.md"
REFERENCE = re.compile(r"`(leitwerk/[\w/]+\.py)(?:::(\w+))?`")


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    }


def test_every_test_named_in_the_security_sheet_exists():
    references = REFERENCE.findall(SHEET.read_text(encoding="utf-8"))
    assert len(references) > 50, "the sheet names the tests row by row"
    missing = []
    for file, name in references:
        path = ROOT / file
        if not path.exists():
            missing.append(file)
        elif name and name not in _test_names(path):
            missing.append(f"{file}::{name}")
    assert not missing, f"docs/SECURITY.md names tests that do not exist: {missing}"


def test_every_ci_row_of_sections_a_b_c_g_i_has_a_line():
    rows = set(re.findall(r"^\| ([ABCGI]\d+) \|", SHEET.read_text(encoding="utf-8"), re.M))
    expected = {f"A{i}" for i in range(1, 11)} | {f"B{i}" for i in range(1, 9)}
    expected |= {f"C{i}" for i in range(1, 11)} | {f"G{i}" for i in range(1, 5)}
    expected |= {"I4", "I5", "I6", "I7", "I9", "I10", "I11"}
    assert expected <= rows, sorted(expected - rows)
