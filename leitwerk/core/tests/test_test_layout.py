"""The tests stand alone, and the product does not depend on them.

- No module imports a test module (`test_*.py`): a shared helper lives in `leitwerk/testing/`,
  a `factories.py` or a conftest fixture, so running or deleting one test file never changes
  another.
- Product code (everything outside `tests/`, `tests_browser/` and `leitwerk/testing/`) imports
  nothing from a `tests` package: an installation without the tests still runs.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("leitwerk", "config")
TEST_ONLY_PARTS = {"tests", "tests_browser", "testing"}


@functools.cache
def _modules() -> list[Path]:
    """Modules that mention a test module or package at all (the others cannot import one)."""
    return sorted(
        p
        for package in PACKAGES
        for p in (ROOT / package).rglob("*.py")
        if "migrations" not in p.parts and "test" in p.read_text(encoding="utf-8")
    )


@functools.cache
def _imported(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) for every import; relative imports resolved against `path`."""
    package = list(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append((node.lineno, module))
            # `from . import test_x` names the module in the alias.
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _where(path: Path, line: int, module: str) -> str:
    return f"{path.relative_to(ROOT)}:{line} imports {module}"


def test_no_module_imports_a_test_module():
    found = [
        _where(path, line, module)
        for path in _modules()
        for line, module in _imported(path)
        if module.split(".")[-1].startswith("test_") and module.split(".")[0] in PACKAGES
    ]
    assert not found, "move the shared helper to leitwerk/testing/ or a fixture:\n" + "\n".join(
        found
    )


def test_product_code_imports_nothing_from_the_tests():
    found = [
        _where(path, line, module)
        for path in _modules()
        if not TEST_ONLY_PARTS & set(path.relative_to(ROOT).parts) and path.name != "conftest.py"
        for line, module in _imported(path)
        if "tests" in module.split(".") and module.split(".")[0] in PACKAGES
    ]
    assert not found, "\n".join(found)


def test_relative_imports_of_test_modules_are_resolved(tmp_path, monkeypatch):
    """The checks above see `from .test_a import …` and `from . import test_c` as well."""
    package = tmp_path / "leitwerk" / "demo_app" / "tests"
    package.mkdir(parents=True)
    (package / "test_b.py").write_text("from .test_a import HELPER\nfrom . import test_c\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert [m for _line, m in _imported(package / "test_b.py")] == [
        "leitwerk.demo_app.tests.test_a",
        "leitwerk.demo_app.tests.test_a.HELPER",
        "leitwerk.demo_app.tests",
        "leitwerk.demo_app.tests.test_c",
    ]
