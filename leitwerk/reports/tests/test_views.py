from __future__ import annotations

import re

import pytest
from django.urls import reverse

from leitwerk.reports import services
from leitwerk.reports.models import Report, ReportStatus
from leitwerk.reports.tests.factories import ReportFactory

from .conftest import AS_OF

pytestmark = pytest.mark.django_db


@pytest.fixture
def done_report(report_plan, strategy_user):
    report = services.report_create(plan=report_plan, fmt="xlsx", as_of=AS_OF, actor=strategy_user)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    return report


def test_strategy_creates_a_report_through_the_form(report_plan, strategy_user, client_for):
    client = client_for(strategy_user)
    page = client.get(reverse("reports:list"))
    assert page.status_code == 200 and "Neuen Bericht erstellen" in page.content.decode()
    response = client.post(
        reverse("reports:list"),
        {
            "plan": report_plan.pk,
            "fmt": "docx",
            "as_of": AS_OF.isoformat(),
            "decisions_requested": "Zur Kenntnis.",
            "climate_relevance": "Hoch.",
        },
    )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:detail", args=[report.pk]
    )
    assert report.snapshot["climate_relevance"] == "Hoch."
    detail = client.get(response["Location"]).content.decode()
    assert "herunterladen" in detail and "Stand aktualisieren" not in detail


def test_status_page_offers_an_update_link_instead_of_reloading(
    report_plan, strategy_user, client_for
):
    """WCAG 2.2.1: no automatic reload; the person asks for the new state with a plain link."""
    report = ReportFactory(
        municipality=report_plan.municipality,
        plan=report_plan,
        status=ReportStatus.RUNNING,
        progress=40,
    )
    url = reverse("reports:detail", args=[report.pk])
    response = client_for(strategy_user).get(url)
    body = response.content.decode()
    assert 'http-equiv="refresh"' not in body
    assert "Refresh" not in response
    assert "no-store" in response["Cache-Control"]
    status = re.search(r'<div role="status">(.*?)</div>', body, re.S)
    assert status and 'value="40"' in status.group(1)
    assert re.search(rf'<a [^>]*href="{re.escape(url)}"[^>]*>Stand aktualisieren</a>', body)


@pytest.mark.parametrize("persona", ["strategy_user", "admin_user", "council_member", "viewer"])
def test_allowed_roles_download_as_attachment(persona, done_report, client_for, request):
    response = client_for(request.getfixturevalue(persona)).get(
        reverse("reports:download", args=[done_report.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert b"".join(response.streaming_content)[:2] == b"PK"


@pytest.mark.parametrize("persona", ["unit_editor", "project_lead", "other_town_admin"])
def test_other_roles_and_tenants_get_404(persona, done_report, client_for, request):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("reports:download", args=[done_report.pk])).status_code == 404
    assert client.get(reverse("reports:detail", args=[done_report.pk])).status_code == 404


def test_readers_cannot_create(report_plan, council_member, client_for):
    client = client_for(council_member)
    assert "Neuen Bericht erstellen" not in client.get(reverse("reports:list")).content.decode()
    response = client.post(
        reverse("reports:list"), {"plan": report_plan.pk, "fmt": "pdf", "as_of": "2026-07-02"}
    )
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_foreign_plan_cannot_be_chosen(report_plan, strategy_user, client_for, other_town):
    from leitwerk.plans.tests.factories import ActionPlanFactory

    foreign = ActionPlanFactory(municipality=other_town)
    response = client_for(strategy_user).post(
        reverse("reports:list"), {"plan": foreign.pk, "fmt": "pdf", "as_of": "2026-07-02"}
    )
    assert response.status_code == 200 and not Report.objects.exists()


def test_download_of_unfinished_report_leads_to_the_status_page(
    report_plan, strategy_user, client_for
):
    report = ReportFactory(
        municipality=report_plan.municipality, plan=report_plan, status=ReportStatus.QUEUED
    )
    response = client_for(strategy_user).get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:detail", args=[report.pk]
    )


def test_anonymous_is_sent_to_login(done_report, client):
    response = client.get(reverse("reports:download", args=[done_report.pk]))
    assert response.status_code == 302 and "/konto/" in response["Location"]


def test_foreign_report_is_404_and_not_listed(report_plan, strategy_user, client_for, other_town):
    foreign = ReportFactory(municipality=other_town, title="Bericht der Fremdstadt")
    own = ReportFactory(
        municipality=report_plan.municipality, plan=report_plan, title="Eigener Bericht"
    )
    client = client_for(strategy_user)
    listing = client.get(reverse("reports:list")).content.decode()
    assert "Eigener Bericht" in listing and "Bericht der Fremdstadt" not in listing
    for name in ("reports:detail", "reports:download"):
        assert client.get(reverse(name, args=[foreign.pk])).status_code == 404
    assert client.get(reverse("reports:detail", args=[own.pk])).status_code == 200


def test_future_reference_day_is_refused(report_plan, strategy_user, client_for):
    response = client_for(strategy_user).post(
        reverse("reports:list"), {"plan": report_plan.pk, "fmt": "pdf", "as_of": "2999-01-01"}
    )
    assert "Zukunft" in response.content.decode() and not Report.objects.exists()
