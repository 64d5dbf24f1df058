"""Two statuses side by side on the plan and Vorhaben pages: calculated and the owner's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from leitwerk.controlling.tests.factories import StatusReportFactory
from leitwerk.plans.models import InitiativeStatus
from leitwerk.plans.tests.factories import InitiativeFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


def _on_schedule(municipality, **kwargs):
    """A running Vorhaben that is exactly on schedule: half the time, half the milestones."""
    today = timezone.localdate()
    initiative = InitiativeFactory(
        municipality=municipality,
        status=InitiativeStatus.ACTIVE,
        start_date=today - dt.timedelta(days=100),
        end_date=today + dt.timedelta(days=100),
        **kwargs,
    )
    MilestoneFactory(municipality=municipality, initiative=initiative, done_on=today)
    MilestoneFactory(
        municipality=municipality, initiative=initiative, due_date=today + dt.timedelta(days=50)
    )
    return initiative


def test_the_owners_gefaehrdet_shows_with_its_reason_beside_the_calculated_im_plan(
    viewer, musterstadt, client_for
):
    initiative = _on_schedule(musterstadt, title="Digitale Akte")
    StatusReportFactory(
        municipality=musterstadt,
        initiative=initiative,
        reported_on=timezone.localdate(),
        health="at_risk",
        text="Die Schnittstelle fehlt noch.",
    )
    html = client_for(viewer).get(reverse("plans:initiative_detail", args=[initiative.pk]))
    html = html.content.decode()
    header = html[html.index('class="facts"') : html.index("Übergeordnete Zielsetzung")]
    # The displayed Ampel is the worse one; both statuses are named with their reason.
    assert header.index("badge--at_risk") < header.index("Berechnet")
    assert "Berechnet" in header and "badge--on_track" in header
    assert "Fortschritt entspricht dem Zeitplan" in header
    assert "Einschätzung der Projektleitung vom" in header
    assert "Die Schnittstelle fehlt noch." in header

    plan_html = client_for(viewer).get(
        reverse("plans:detail", args=[initiative.action_field.plan_id])
    )
    row = plan_html.content.decode().split("Digitale Akte", 1)[1].split("</tr>", 1)[0]
    assert "badge--at_risk" in row and "Die Schnittstelle fehlt noch." in row


def test_without_a_report_the_page_says_so_and_shows_the_calculated_health(
    viewer, musterstadt, client_for
):
    initiative = _on_schedule(musterstadt)
    html = client_for(viewer).get(reverse("plans:initiative_detail", args=[initiative.pk]))
    assert "noch keine Sachstandsmeldung" in html.content.decode()


def test_a_vorhaben_without_dates_is_not_shown_green(viewer, musterstadt, client_for):
    initiative = InitiativeFactory(
        municipality=musterstadt, status=InitiativeStatus.ACTIVE, start_date=None, end_date=None
    )
    MilestoneFactory(municipality=musterstadt, initiative=initiative, done_on=None, due_date=None)
    html = client_for(viewer).get(reverse("plans:initiative_detail", args=[initiative.pk]))
    header = html.content.decode().split("Übergeordnete Zielsetzung")[0]
    assert "badge--on_track" not in header
    assert "kein Zeitplan zum Vergleich" in header


@pytest.mark.parametrize(
    ("status", "words"),
    [("cancelled", "eingestellt"), ("paused", "pausiert")],
)
def test_a_stopped_or_paused_vorhaben_never_shows_100_percent(
    viewer, musterstadt, client_for, status, words
):
    initiative = InitiativeFactory(municipality=musterstadt, status=status, title="Radweg Nord")
    MilestoneFactory(municipality=musterstadt, initiative=initiative, done_on=timezone.localdate())
    StatusReportFactory(
        municipality=musterstadt,
        initiative=initiative,
        reported_on=timezone.localdate(),
        health="off_track",
        text="Der Rat hat die Mittel gestrichen.",
        off_track_note="Mittel gestrichen, Vorhaben ruht.",
    )
    for url in (
        reverse("plans:initiative_detail", args=[initiative.pk]),
        reverse("plans:detail", args=[initiative.action_field.plan_id]),
    ):
        html = client_for(viewer).get(url).content.decode()
        assert "100 % erreicht" not in html
        assert f"{words} –" in html
        assert "Mittel gestrichen, Vorhaben ruht." in html  # the reason
