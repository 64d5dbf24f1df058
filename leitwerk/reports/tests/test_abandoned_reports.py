"""L1: a worker killed while rendering a report left it "wird erstellt" forever. Progress writes
are the heartbeat; a report that stopped moving is shown and recorded as broken off."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from leitwerk.reports.models import Report, ReportStatus
from leitwerk.reports.services import _step
from leitwerk.reports.tests.factories import ReportFactory


def _running(plan, *, minutes_ago: int) -> Report:
    report = ReportFactory(
        municipality=plan.municipality,
        plan=plan,
        status=ReportStatus.RUNNING,
        progress=40,
        progress_step="Die Datei wird geschrieben.",
    )
    Report.objects.filter(municipality=plan.municipality, pk=report.pk).update(
        updated_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    return report


def test_a_report_whose_worker_died_says_abgebrochen(report_plan, strategy_user, client_for):
    dead = _running(report_plan, minutes_ago=45)
    alive = _running(report_plan, minutes_ago=5)
    client = client_for(strategy_user)

    page = client.get(reverse("reports:detail", args=[dead.pk])).content.decode()

    assert "abgebrochen" in page and "Bitte erstellen Sie den Bericht neu." in page
    assert "Stand aktualisieren" not in page
    still = client.get(reverse("reports:detail", args=[alive.pk])).content.decode()
    assert "wird erstellt" in still and "Stand aktualisieren" in still


def test_progress_is_the_heartbeat(report_plan):
    report = _running(report_plan, minutes_ago=45)
    _step(report, 60, "weiter")
    report.refresh_from_db()
    assert report.updated_at > timezone.now() - dt.timedelta(minutes=1)


def test_the_daily_sweep_marks_dead_reports_failed(report_plan):
    dead = _running(report_plan, minutes_ago=45)
    alive = _running(report_plan, minutes_ago=5)
    out = io.StringIO()

    call_command("sweep_reports", stdout=out)

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert "1 abgebrochene(r) Bericht(e) markiert." in out.getvalue()
    assert dead.status == ReportStatus.FAILED and "neu" in dead.error
    assert alive.status == ReportStatus.RUNNING
