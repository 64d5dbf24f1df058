"""The CI coverage gate (I11) refuses a low total and any uncovered line of a guarded module."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.conf import settings

_spec = importlib.util.spec_from_file_location(
    "coverage_check", Path(settings.BASE_DIR) / "scripts" / "coverage_check.py"
)
coverage_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(coverage_check)


def _report(total: float, files: dict[str, list[int]]) -> dict:
    return {
        "totals": {"percent_covered": total},
        "files": {
            path: {"missing_lines": missing, "summary": {"percent_covered": 100.0 - len(missing)}}
            for path, missing in files.items()
        },
    }


def test_a_full_guarded_module_and_a_high_total_pass():
    report = _report(93.0, {"leitwerk/plans/rules.py": [], "leitwerk/plans/views.py": [7, 8]})
    assert coverage_check.check(report) == []


def test_an_uncovered_line_of_a_rules_module_fails():
    problems = coverage_check.check(_report(95.0, {"leitwerk/plans/rules.py": [12]}))
    assert problems == ["leitwerk/plans/rules.py: lines [12] not covered (100 % required)"]


def test_a_total_below_ninety_percent_fails():
    assert coverage_check.check(_report(89.9, {})) == ["overall 89.9 % < 90 %"]


def test_an_uncovered_line_of_the_tenant_guard_or_an_importer_fails():
    report = _report(95.0, {"leitwerk/core/scoping.py": [3], "leitwerk/imports/readers.py": [9]})
    assert coverage_check.check(report) == [
        "leitwerk/core/scoping.py: lines [3] not covered (100 % required)",
        "leitwerk/imports/readers.py: lines [9] not covered (100 % required)",
    ]
