from __future__ import annotations

from unittest import mock

import pytest

from leitwerk.core.models import AuditLogEntry
from leitwerk.reports import services
from leitwerk.reports.models import ReportStatus

from .conftest import AS_OF

pytestmark = pytest.mark.django_db


def test_report_create_renders_stores_snapshot_and_audits(report_plan, strategy_user):
    report = services.report_create(plan=report_plan, fmt="xlsx", as_of=AS_OF, actor=strategy_user)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.progress == 100
    assert report.file.name.endswith(".xlsx")
    assert report.snapshot["plan"]["title"] == "Aktionsplan Musterstadt 2026"
    assert len(report.snapshot_sha256) == 64
    actions = set(
        AuditLogEntry.objects.filter(target_id=str(report.pk)).values_list("action", flat=True)
    )
    assert {"report.create", "report.rendered"} <= actions


def test_two_reports_of_the_same_data_have_the_same_digest(report_plan, strategy_user):
    first = services.report_create(plan=report_plan, fmt="xlsx", as_of=AS_OF, actor=strategy_user)
    second = services.report_create(plan=report_plan, fmt="xlsx", as_of=AS_OF, actor=strategy_user)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.snapshot_sha256 == second.snapshot_sha256


def test_a_failing_render_marks_the_report_failed(report_plan, strategy_user):
    with mock.patch("leitwerk.reports.renderers.render", side_effect=RuntimeError("kaputt")):
        report = services.report_create(
            plan=report_plan, fmt="pdf", as_of=AS_OF, actor=strategy_user
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "kaputt" in report.error
    assert not report.file


def test_rendering_a_done_report_again_changes_nothing(report_plan, strategy_user):
    report = services.report_create(plan=report_plan, fmt="xlsx", as_of=AS_OF, actor=strategy_user)
    report.refresh_from_db()
    name = report.file.name
    with mock.patch("leitwerk.reports.renderers.render") as render:
        services.report_render(report_id=report.pk)
    render.assert_not_called()
    report.refresh_from_db()
    assert report.file.name == name
