"""The bench case of one very large plan (audit 2, L2): its pages answer, nothing stays."""

from __future__ import annotations

from leitwerk.devdata import bench
from leitwerk.plans.models import Initiative


def test_the_large_plan_case_measures_the_workspace_pages_and_leaves_nothing(
    db, monkeypatch, musterstadt
):
    monkeypatch.setattr(bench, "LARGE_PLAN_INITIATIVES", 40)
    result = bench.measure_large_plan(bench.Options(scales=["S"], requests=1, warmup=0))
    assert result["initiatives"] == 40
    names = [page["name"] for page in result["pages"]]
    assert names == ["home", "workspace_plan", "dashboard", "network"]
    for page in result["pages"]:
        assert page["errors"] == 0, page
        assert set(page) == {"name", "p50_ms", "p95_ms", "queries", "kb", "errors"}
        assert page["queries"] > 0 and page["kb"] > 0
    assert not Initiative.objects.filter(municipality__slug=bench.LARGE_PLAN_SLUG).exists()
