"""Coverage gate for CI (catalogue row I11), read from coverage.py's JSON report.

- at least 90 % of the lines overall;
- every line of the permission, tenant-scoping, survey-aggregation and import modules
  (REQUIRED_FULL).

Usage: python scripts/coverage_check.py var/coverage.json
Prints one line per module below its target and exits 1 if any target is missed.
"""

from __future__ import annotations

import fnmatch
import json
import sys
from pathlib import Path

OVERALL_MINIMUM = 90.0

# Every line covered: the modules that decide who may see what (the apps' rules), keep the
# towns apart (the tenant guard, the tenant base model, its middleware), turn survey answers
# into published figures, and read, parse and store imported files.
REQUIRED_FULL = [
    "leitwerk/*/rules.py",
    "leitwerk/core/scoping.py",
    "leitwerk/core/models.py",
    "leitwerk/core/middleware.py",
    "leitwerk/municipalities/middleware.py",
    "leitwerk/feedback/results.py",
    "leitwerk/feedback/disclosure.py",
    "leitwerk/imports/*",
]


def _matches(path: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(path, pattern) for pattern in patterns)


def check(report: dict) -> list[str]:
    problems = []
    overall = report["totals"]["percent_covered"]
    if overall < OVERALL_MINIMUM:
        problems.append(f"overall {overall:.1f} % < {OVERALL_MINIMUM:.0f} %")
    for path, data in sorted(report["files"].items()):
        if _matches(path, REQUIRED_FULL):
            missing = data["missing_lines"]
            if missing:
                problems.append(f"{path}: lines {missing} not covered (100 % required)")
    return problems


def main(argv: list[str]) -> int:
    report = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    problems = check(report)
    sys.stdout.write(f"coverage: {report['totals']['percent_covered']:.1f} % of lines overall\n")
    for problem in problems:
        sys.stdout.write(f"coverage: FAILED {problem}\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
