"""The nightly sqlmap scan (C5) finds its targets itself and reads sqlmap's verdict strictly.

`make sqlmap` runs the scan; these tests keep its two judgements honest without sqlmap: which
parameters get scanned, and that anything short of sqlmap's all-clear counts as a failure.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from django.conf import settings

_spec = importlib.util.spec_from_file_location(
    "sqlmap_scan", Path(settings.BASE_DIR) / "scripts" / "sqlmap_scan.py"
)
scan = importlib.util.module_from_spec(_spec)
# dataclasses look their module up in sys.modules
sys.modules.setdefault("sqlmap_scan", scan)
_spec.loader.exec_module(scan)

PAGE = """
<a href="/arbeitsbereich/plaene/4/?status=planned&amp;health=">Plan</a>
<a href="/arbeitsbereich/plaene/5/">ohne Parameter</a>
<a href="https://example.org/?q=1">fremd</a>
<a href="#inhalt">Sprung</a>
<form method="get" action="/arbeitsbereich/suche/">
  <input type="search" name="q"><button type="submit" name="los">Suchen</button>
</form>
<form action="">
  <select name="plan"><option value="">alle</option><option value="7">Plan 7</option></select>
</form>
<form method="post" action="/arbeitsbereich/plaene/4/status/">
  <input type="hidden" name="csrfmiddlewaretoken" value="x"><input name="health">
</form>
"""


def test_links_with_query_strings_and_get_forms_become_targets_post_forms_do_not():
    pages, targets = scan.read_page("http://127.0.0.1:8766/arbeitsbereich/controlling/", PAGE)
    assert {(t.url.split("?")[0], t.params) for t in targets} == {
        ("http://127.0.0.1:8766/arbeitsbereich/plaene/4/", ("status", "health")),
        ("http://127.0.0.1:8766/arbeitsbereich/suche/", ("q",)),
        ("http://127.0.0.1:8766/arbeitsbereich/controlling/", ("plan",)),
    }
    # A select is scanned with a real choice, as a person would send it.
    form = next(t for t in targets if t.params == ("plan",))
    assert form.url.endswith("?plan=7")
    # Only this site's pages are crawled, without fragments.
    assert "https://example.org/?q=1" not in pages
    assert "http://127.0.0.1:8766/arbeitsbereich/plaene/5/" in pages
    assert all("#" not in p for p in pages)


def test_every_api_get_operation_with_query_parameters_is_a_token_target():
    schema = {
        "paths": {
            "/api/v1/initiatives/": {
                "get": {
                    "parameters": [
                        {"name": "plan", "in": "query", "schema": {"type": "integer"}},
                        {"name": "status", "in": "query", "schema": {"enum": ["planned", "done"]}},
                    ]
                },
                "post": {"parameters": []},
            },
            "/api/v1/initiatives/{id}/": {
                "get": {"parameters": [{"name": "id", "in": "path", "schema": {}}]}
            },
            "/api/v1/obstacles/": {
                "get": {"parameters": [{"name": "category", "in": "query", "schema": {}}]}
            },
        }
    }
    targets = scan.api_targets("http://h", schema)
    assert [(t.url, t.params, t.auth) for t in targets] == [
        ("http://h/api/v1/initiatives/?plan=1&status=planned", ("plan", "status"), "token"),
        ("http://h/api/v1/obstacles/?category=a", ("category",), "token"),
    ]


def test_pages_that_differ_only_in_an_id_are_scanned_once():
    targets = [
        scan.Target("http://h/p/4/?status=a", ("status",), "session"),
        scan.Target("http://h/p/5/?status=b", ("status",), "session"),
        scan.Target("http://h/p/5/?status=b&unit=1", ("status", "unit"), "session"),
    ]
    assert [t.url for t in scan.unique(targets)] == [
        "http://h/p/4/?status=a",
        "http://h/p/5/?status=b&unit=1",
    ]


def test_only_sqlmaps_all_clear_counts_as_clean():
    clean = "[CRITICAL] all tested parameters do not appear to be injectable. Try to increase"
    found = (
        "[INFO] GET parameter 'q' is 'PostgreSQL AND boolean-based blind' injectable\n"
        "sqlmap identified the following injection point(s) with a total of 52 HTTP(s) requests:"
    )
    assert scan.verdict(clean) == "clean"
    assert scan.verdict(found) == "injectable"
    assert scan.verdict("[CRITICAL] connection refused") == "unfinished"
    assert scan.verdict("") == "unfinished"
