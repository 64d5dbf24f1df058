"""C5 – no SQL built from strings: no raw(), extra(), RawSQL or execute() with a formatted query.

Walks the syntax tree of every Python file of Leitwerk and config. A hit needs a review and an
entry in ALLOWED with the reason; sqlmap against search, sort and filter parameters is the
nightly half of this row.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# file → why its uses are safe (reviewed).
ALLOWED: dict[str, str] = {
    "leitwerk/imports/tests/test_rollback.py": (
        "an execute wrapper that passes Django's own statements through unchanged"
    ),
    "leitwerk/core/backup.py": (
        "checksums read every table; the names come from the database catalogue and are quoted"
    ),
    "leitwerk/devdata/generate.py": (
        "bulk inserts of synthetic data: table and column names from the models, values as "
        "parameters; the other statements are Django's own sequence-reset SQL"
    ),
    "leitwerk/core/tests/test_bulk.py": (
        "an execute wrapper that passes the writer's own statements through unchanged"
    ),
    "leitwerk/core/bulk.py": (
        "bulk writes (COPY, INSERT) and key allocation: table and column names from the "
        "models, quoted; values as parameters or COPY rows"
    ),
    "leitwerk/feedback/tests/test_answering_leaves_no_trace.py": (
        "fixed SELECTs from a constant list in the test (every code-side row with its xmin)"
    ),
    "scripts/bench_db.py": "psycopg.sql.SQL with sql.Identifier, which quotes the name",
    "leitwerk/feedback/tests/test_anonymity.py": (
        "a test dumps every table; the table names come from the database's own introspection"
    ),
}


def _formatted(node: ast.AST) -> bool:
    """An f-string, %-formatting, concatenation or .format() call: SQL built from values."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    )


def sql_hits(source: str, filename: str) -> list[str]:
    hits = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        where = f"{filename}:{node.lineno}"
        if name in ("raw", "extra") and isinstance(func, ast.Attribute):
            hits.append(f"{where}: .{name}()")
        elif name == "RawSQL":
            hits.append(f"{where}: RawSQL()")
        elif name in ("execute", "executemany", "executescript") and node.args:
            receiver = func.value if isinstance(func, ast.Attribute) else None
            if isinstance(node.args[0], ast.Starred) or (
                isinstance(receiver, ast.Call) and getattr(receiver.func, "id", "") == "super"
            ):
                continue  # a management command's execute(*args), not SQL
            if _formatted(node.args[0]) or not isinstance(node.args[0], ast.Constant):
                hits.append(f"{where}: {name}() with a query that is not a literal")
    return hits


def _sources():
    for folder in ("leitwerk", "config", "scripts"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield path


def test_no_sql_is_built_from_strings():
    hits = []
    for path in _sources():
        rel = str(path.relative_to(ROOT))
        hits += sql_hits(path.read_text(encoding="utf-8"), rel)
    unreviewed = [h for h in hits if h.split(":")[0] not in ALLOWED]
    assert not unreviewed, "SQL built from strings (review, then list in ALLOWED):\n" + "\n".join(
        unreviewed
    )


def test_the_check_finds_what_it_looks_for():
    sample = """
Plan.objects.raw("SELECT * FROM plans_actionplan WHERE id = %s" % pk)
Plan.objects.extra(where=["id = 1"])
cursor.execute(f"SELECT * FROM x WHERE name = '{name}'")
cursor.execute("SELECT * FROM x WHERE name = '" + name + "'")
cursor.execute("SELECT 1 WHERE a = {}".format(a))
cursor.execute(query)
cursor.execute("SELECT * FROM x WHERE name = %s", [name])
"""
    hits = sql_hits(sample, "sample.py")
    assert [h.split(":")[1] for h in hits] == ["2", "3", "4", "5", "6", "7"]
