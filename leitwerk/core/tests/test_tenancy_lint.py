"""A6: a view cannot forget the tenant scope.

Views read through selectors; where a view queries a tenant model itself, the query has to
start from `.for_municipality(...)` or filter on `municipality`/`municipality_id` in its
first call. This test reads the source of every view module (HTML and API) and fails on
`<TenantModel>.objects.<anything else>`, `_base_manager` or `.across_municipalities()` (the
run-time guard's waiver, see core/scoping.py), naming file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

from leitwerk.core.models import TenantModel

ROOT = Path(__file__).resolve().parents[2]
SCOPED_KWARGS = {"municipality", "municipality_id", "municipality__in", "municipality_id__in"}


def _view_modules() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*.py")
        if (p.name == "views.py" or p.name.endswith("_views.py"))
        and "tests" not in p.parts
        and "migrations" not in p.parts
    )


def _tenant_model_names() -> set[str]:
    return {m.__name__ for m in apps.get_models() if issubclass(m, TenantModel)}


def _findings(path: Path, tenant_models: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    label = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        if node.attr == "_base_manager":
            found.append(f"{label}:{node.lineno}: _base_manager")
            continue
        if node.attr == "across_municipalities":
            # Reads that span towns belong in a selector, with the reason next to them.
            found.append(f"{label}:{node.lineno}: across_municipalities() in a view")
            continue
        if node.attr != "objects" or not isinstance(node.value, ast.Name):
            continue
        if node.value.id not in tenant_models:
            continue
        method = parents.get(node)
        call = parents.get(method) if isinstance(method, ast.Attribute) else None
        scoped = (
            isinstance(method, ast.Attribute)
            and isinstance(call, ast.Call)
            and (
                method.attr in {"for_municipality", "none"}
                or (
                    method.attr in {"filter", "get"}
                    and any(k.arg in SCOPED_KWARGS for k in call.keywords)
                )
            )
        )
        if not scoped:
            found.append(
                f"{label}:{node.lineno}: {node.value.id}.objects without "
                "for_municipality()/municipality filter"
            )
    return found


def test_views_never_query_a_tenant_model_without_its_municipality():
    tenant_models = _tenant_model_names()
    modules = _view_modules()
    assert len(modules) >= 10, "the walk found the view modules"
    findings = [f for path in modules for f in _findings(path, tenant_models)]
    assert not findings, "Unscoped queries in views:\n" + "\n".join(findings)


def test_the_lint_catches_an_unscoped_query(tmp_path):
    """The check is not vacuous: an unscoped and a scoped query in a sample view."""
    sample = tmp_path / "sample_views.py"
    sample.write_text(
        "from leitwerk.plans.models import Initiative\n"
        "def bad(request):\n"
        "    return Initiative.objects.filter(pk=1)\n"
        "def good(request):\n"
        "    return Initiative.objects.filter(pk=1, municipality=request.municipality)\n"
        "def also_good(request):\n"
        "    return Initiative.objects.for_municipality(request.municipality)\n"
        "def waived(request):\n"
        "    return Initiative.objects.for_municipality(1).across_municipalities()\n",
        encoding="utf-8",
    )
    findings = sorted(_findings(sample, _tenant_model_names()))
    assert len(findings) == 2
    assert ":3: Initiative.objects" in findings[0]
    assert ":9: across_municipalities() in a view" in findings[1]
