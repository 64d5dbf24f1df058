"""`make load` (load/locustfile.py) requests pages by path; a moved page must fail here, not as
a handful of 404s in a two-minute load run (the status report page had moved to plans)."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import Resolver404, resolve

from leitwerk.plans.forms import StatusReportForm

LOCUSTFILE = Path(__file__).resolve().parents[3] / "load" / "locustfile.py"
PLACEHOLDERS = {"{pk}": "1", "{self.slug}": "musterstadt", "{self.survey}": "1", "{login}": ""}


def _paths() -> list[str]:
    found = re.findall(r'f?"(/[^"\s]*)"', LOCUSTFILE.read_text(encoding="utf-8"))
    paths = []
    for raw in found:
        if "[" in raw or "{page}" in raw or "(" in raw:
            continue  # locust's display names, the page loop, regular expressions
        for placeholder, value in PLACEHOLDERS.items():
            raw = raw.replace(placeholder, value)
        paths.append(raw)
    return paths


def test_every_page_the_load_test_requests_exists():
    paths = _paths()
    assert "/arbeitsbereich/plaene/vorhaben/1/sachstand/neu/" in paths
    missing = []
    for path in paths:
        try:
            resolve(path)
        except Resolver404:
            missing.append(path)
    assert missing == []


def test_the_load_tests_status_report_posts_the_forms_fields():
    source = LOCUSTFILE.read_text(encoding="utf-8")
    report = source[source.index("def report_status") :]
    posted = set(re.findall(r'^\s+"(\w+)": ', report[: report.index("name=f")], re.M))
    assert posted - {"csrfmiddlewaretoken"} == {"health", "text", "off_track_note"}
    assert posted - {"csrfmiddlewaretoken"} <= set(StatusReportForm.base_fields)
