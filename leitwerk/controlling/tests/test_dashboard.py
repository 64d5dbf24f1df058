"""Early-warning dashboard, "Meine Aktualisierungen" with the quick status report, comments."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.controlling.models import Comment
from leitwerk.controlling.selectors import dashboard_for_user
from leitwerk.controlling.tests.factories import MeasurementFactory, StatusReportFactory
from leitwerk.core.models import AuditLogEntry
from leitwerk.core.status import Health
from leitwerk.municipalities.models import Role
from leitwerk.municipalities.tests.factories import MembershipFactory
from leitwerk.plans.models import StatusReport
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    IndicatorFactory,
    InitiativeFactory,
    MilestoneFactory,
)

TODAY = dt.date(2026, 7, 2)


@pytest.fixture
def plan(musterstadt):
    return ActionPlanFactory(municipality=musterstadt, title="Aktionsplan Verwaltung 2030")


def _vorhaben(plan, n, unit=None, **kwargs):
    field = ActionFieldFactory(municipality=plan.municipality, plan=plan)
    initiative = InitiativeFactory(
        municipality=plan.municipality, action_field=field, lead_unit=unit, **kwargs
    )
    MilestoneFactory(
        municipality=plan.municipality,
        initiative=initiative,
        title=f"Konzept {n} fertig",
        due_date=dt.date(2026, 5, 31),
    )
    indicator = IndicatorFactory(
        municipality=plan.municipality,
        initiative=initiative,
        title=f"Online-Anteil {n}",
        baseline=10,
        target=50,
        target_date=dt.date(2026, 12, 31),
    )
    MeasurementFactory(
        municipality=plan.municipality,
        indicator=indicator,
        measured_on=dt.date(2026, 1, 1),
        value=10,
    )
    MeasurementFactory(
        municipality=plan.municipality,
        indicator=indicator,
        measured_on=dt.date(2026, 6, 1),
        value=14,
    )
    StatusReportFactory(
        municipality=plan.municipality, initiative=initiative, reported_on=dt.date(2026, 1, 15)
    )
    return initiative


@pytest.mark.parametrize(
    "persona",
    ["strategy_user", "admin_user", "unit_editor", "project_lead", "council_member", "viewer"],
)
def test_every_role_reads_the_dashboard(persona, request, client_for, plan, editor_unit):
    _vorhaben(plan, 1, editor_unit)
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse("controlling:overview"))
    assert response.status_code == 200
    assert "Frühwarnung" in response.content.decode()


def test_dashboard_shows_overdue_milestones_trend_misses_and_stale(plan, editor_unit, viewer):
    initiative = _vorhaben(plan, 1, editor_unit, title="E-Akte einführen")
    dashboard = dashboard_for_user(user=viewer, municipality=plan.municipality, today=TODAY)
    assert [m.title for m in dashboard.overdue_milestones] == ["Konzept 1 fertig"]
    assert dashboard.overdue_milestones[0].days_overdue == 32
    assert [w.indicator.title for w in dashboard.trend_warnings] == ["Online-Anteil 1"]
    assert dashboard.stale == [initiative]  # last report 15 January, interval 90 days
    assert dashboard.rollup.total == 1


def test_dashboard_filters_by_plan_and_unit(
    musterstadt, plan, editor_unit, strategy_unit, viewer, client_for
):
    _vorhaben(plan, 1, editor_unit, title="Vorhaben im Bürgerservice")
    _vorhaben(plan, 2, strategy_unit, title="Vorhaben der Stabsstelle")
    other_plan = ActionPlanFactory(municipality=musterstadt, title="Klimaplan")
    _vorhaben(other_plan, 3, editor_unit, title="Vorhaben im Klimaplan")
    client = client_for(viewer)
    page = client.get(reverse("controlling:overview"), {"unit": editor_unit.pk}).content.decode()
    assert "Vorhaben im Bürgerservice" in page and "Vorhaben im Klimaplan" in page
    assert "Vorhaben der Stabsstelle" not in page
    page = client.get(
        reverse("controlling:overview"), {"plan": plan.pk, "unit": editor_unit.pk}
    ).content.decode()
    assert "Vorhaben im Bürgerservice" in page and "Vorhaben im Klimaplan" not in page
    assert "Stand je Aktionsplan" in page and "Stand je federführender Einheit" in page


def test_dashboard_queries_do_not_grow_with_the_number_of_vorhaben(plan, editor_unit, viewer):
    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            dashboard_for_user(user=viewer, municipality=plan.municipality, today=TODAY)
        return len(ctx.captured_queries)

    _vorhaben(plan, 1, editor_unit)
    count_queries()  # the person's memberships are read once and cached on the user
    few = count_queries()
    for n in range(2, 12):
        _vorhaben(plan, n, editor_unit)
    assert count_queries() == few


def test_dashboard_page_queries_do_not_grow(plan, editor_unit, viewer, client_for):
    client = client_for(viewer)
    _vorhaben(plan, 1, editor_unit)
    client.get(reverse("controlling:overview"))  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("controlling:overview"))
    for n in range(2, 8):
        _vorhaben(plan, n, editor_unit)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("controlling:overview"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_other_municipality_sees_nothing(plan, editor_unit, other_town_admin, client_for):
    _vorhaben(plan, 1, editor_unit, title="Geheimes Vorhaben")
    page = client_for(other_town_admin).get(reverse("controlling:overview")).content.decode()
    assert "Geheimes Vorhaben" not in page


# --- Meine Aktualisierungen -----------------------------------------------------------------


def test_project_lead_sees_their_vorhaben_with_what_is_due(
    project_lead, led_initiative, client_for
):
    MilestoneFactory(
        municipality=led_initiative.municipality,
        initiative=led_initiative,
        title="Pilot startet",
        due_date=dt.date(2020, 1, 1),
    )
    soon = timezone.localdate() + dt.timedelta(days=10)
    MilestoneFactory(
        municipality=led_initiative.municipality,
        initiative=led_initiative,
        title="Testbetrieb",
        due_date=soon,
    )
    IndicatorFactory(
        municipality=led_initiative.municipality,
        initiative=led_initiative,
        title="Buchungen online",
    )
    measured = IndicatorFactory(
        municipality=led_initiative.municipality,
        initiative=led_initiative,
        title="Wartezeit",
    )
    MeasurementFactory(
        municipality=led_initiative.municipality,
        indicator=measured,
        measured_on=dt.date(2021, 3, 4),
        value=12,
    )
    page = client_for(project_lead).get(reverse("controlling:my_updates")).content.decode()
    assert "Online-Terminvergabe" in page
    assert 'Pilot startet – <span class="state--overdue">überfällig seit 01.01.2020' in page
    assert f"Testbetrieb – fällig am {soon:%d.%m.%Y}" in page
    assert "Buchungen online" in page and "noch nie gemessen" in page
    assert 'Wartezeit <span class="meta">(zuletzt 04.03.2021)' in page
    assert "Warum und was nun?" in page


def test_unit_editor_sees_the_vorhaben_of_their_unit(
    unit_editor, led_initiative, musterstadt, strategy_unit, client_for
):
    InitiativeFactory(municipality=musterstadt, title="Fremdes Vorhaben", lead_unit=strategy_unit)
    page = client_for(unit_editor).get(reverse("controlling:my_updates")).content.decode()
    assert "Online-Terminvergabe" in page and "Fremdes Vorhaben" not in page


def test_viewer_has_nothing_due(viewer, led_initiative, client_for):
    page = client_for(viewer).get(reverse("controlling:my_updates")).content.decode()
    assert "nichts von Ihnen fällig" in page


def test_quick_report_posts_to_the_one_status_report_page(project_lead, led_initiative, client_for):
    page = client_for(project_lead).get(reverse("controlling:my_updates")).content.decode()
    url = reverse("plans:status_report_create", kwargs={"pk": led_initiative.pk})
    assert f'action="{url}"' in page
    # Each Vorhaben's quick form has ids of its own on the one page.
    assert f'id="r{led_initiative.pk}-text"' in page


def test_quick_report_requires_a_note_when_off_track(project_lead, led_initiative, client_for):
    url = reverse("plans:status_report_create", kwargs={"pk": led_initiative.pk})
    client = client_for(project_lead)
    response = client.post(url, {"health": Health.OFF_TRACK, "text": "Verzug beim Anbieter."})
    assert response.status_code == 422
    assert "Warum, und was passiert jetzt?" in response.content.decode()
    assert not StatusReport.objects.exists()
    response = client.post(
        url,
        {
            "health": Health.OFF_TRACK,
            "text": "Verzug beim Anbieter.",
            "off_track_note": "Vertragsstrafe angedroht, Ersatztermin im Herbst.",
            "next": reverse("controlling:my_updates"),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("controlling:my_updates")
    report = StatusReport.objects.get()
    assert report.health == Health.OFF_TRACK and report.author == project_lead
    led_initiative.refresh_from_db()
    assert led_initiative.last_report_at is not None


@pytest.mark.parametrize("persona", ["viewer", "council_member"])
def test_readers_cannot_report(persona, request, led_initiative, client_for):
    user = request.getfixturevalue(persona)
    url = reverse("plans:status_report_create", kwargs={"pk": led_initiative.pk})
    response = client_for(user).post(url, {"health": Health.ON_TRACK, "text": "x"})
    assert response.status_code == 403
    assert not StatusReport.objects.exists()


def test_unit_editor_cannot_report_for_another_unit(
    unit_editor, musterstadt, strategy_unit, client_for
):
    other = InitiativeFactory(municipality=musterstadt, lead_unit=strategy_unit)
    url = reverse("plans:status_report_create", kwargs={"pk": other.pk})
    assert client_for(unit_editor).get(url).status_code == 403


# --- Kommentare und Rückmeldungen -----------------------------------------------------------


def test_council_member_comments_and_asks_for_feedback(
    council_member, project_lead, led_initiative, client_for, django_capture_on_commit_callbacks
):
    url = reverse("controlling:comments", kwargs={"pk": led_initiative.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(council_member).post(
            url,
            {
                "text": "Wie sind die ersten Rückmeldungen der Bürger?",
                "feedback_from": [project_lead.pk],
            },
        )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.author == council_member
    assert list(comment.feedback_from.all()) == [project_lead]
    assert AuditLogEntry.objects.filter(action="comment.create").exists()
    assert [m.to for m in mail.outbox] == [[project_lead.email]]
    assert "Bitte um Rückmeldung" in mail.outbox[0].subject
    page = client_for(project_lead).get(url).content.decode()
    assert "Wie sind die ersten Rückmeldungen der Bürger?" in page


def test_no_mail_when_the_comment_is_rolled_back(
    council_member, project_lead, led_initiative, django_capture_on_commit_callbacks
):
    from leitwerk.controlling.services import comment_create

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment_create(
            initiative=led_initiative, actor=council_member, text="x", feedback_from=[project_lead]
        )
    assert len(callbacks) == 1 and mail.outbox == []


def test_responsible_people_are_informed_of_comments(
    strategy_user, project_lead, led_initiative, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(strategy_user).post(
            reverse("controlling:comments", kwargs={"pk": led_initiative.pk}),
            {"text": "Bitte Zahlen ergänzen."},
        )
    assert [m.to for m in mail.outbox] == [[project_lead.email]]
    assert "Neuer Kommentar" in mail.outbox[0].subject


def test_viewer_reads_but_does_not_comment(viewer, led_initiative, client_for):
    url = reverse("controlling:comments", kwargs={"pk": led_initiative.pk})
    client = client_for(viewer)
    assert client.get(url).status_code == 200
    assert "Kommentar speichern" not in client.get(url).content.decode()
    assert client.post(url, {"text": "Hallo"}).status_code == 403
    assert not Comment.objects.exists()


def test_feedback_only_from_people_of_the_municipality(
    council_member, led_initiative, other_town_admin
):
    from django.core.exceptions import ValidationError

    from leitwerk.controlling.services import comment_create

    with pytest.raises(ValidationError):
        comment_create(
            initiative=led_initiative,
            actor=council_member,
            text="x",
            feedback_from=[other_town_admin],
        )


def test_comment_form_offers_only_own_people(
    council_member, led_initiative, other_town_admin, client_for
):
    outsider = UserFactory(email="extern@example.org")
    MembershipFactory(
        user=outsider,
        municipality=other_town_admin.memberships.first().municipality,
        role=Role.VIEWER,
    )
    page = (
        client_for(council_member)
        .get(reverse("controlling:comments", kwargs={"pk": led_initiative.pk}))
        .content.decode()
    )
    assert "Fritz" not in page and "extern@example.org" not in page


def test_qualitative_indicators_lead_to_make_measurable(
    project_lead, led_initiative, viewer, client_for
):
    indicator = IndicatorFactory(
        municipality=led_initiative.municipality,
        initiative=led_initiative,
        title="weniger Abstimmungsschleifen",
        kind="qualitative",
    )
    link = reverse("controlling:make_measurable", kwargs={"pk": indicator.pk})
    page = client_for(project_lead).get(reverse("controlling:my_updates")).content.decode()
    assert "Noch nicht messbar" in page and link in page
    assert "noch nie gemessen" not in page  # a qualitative indicator cannot miss a measurement
    page = client_for(project_lead).get(reverse("controlling:overview")).content.decode()
    assert "weniger Abstimmungsschleifen" in page and link in page


@pytest.mark.parametrize("persona", ["viewer", "council_member", "unit_editor"])
def test_make_measurable_link_only_for_people_who_may_change_the_vorhaben(
    persona, request, plan, client_for
):
    """Readers and editors of other units see the indicator, but no link that answers 403."""
    initiative = _vorhaben(plan, 1)  # led by no unit, so the unit editor may not change it
    indicator = IndicatorFactory(
        municipality=plan.municipality,
        initiative=initiative,
        title="weniger Abstimmungsschleifen",
        kind="qualitative",
    )
    link = reverse("controlling:make_measurable", kwargs={"pk": indicator.pk})
    client = client_for(request.getfixturevalue(persona))
    page = client.get(reverse("controlling:overview")).content.decode()
    assert "weniger Abstimmungsschleifen" in page and link not in page
    assert client.get(link).status_code == 403  # the link would have led here
    page = client_for(request.getfixturevalue("strategy_user")).get(reverse("controlling:overview"))
    assert link in page.content.decode()


@override_settings(LEITWERK_FRAGMENT_CACHE=False)  # factory rows are not audited; counts rendering
def test_make_measurable_links_cost_no_queries_per_row(plan, editor_unit, project_lead, client_for):
    client = client_for(project_lead)

    def qualitative_vorhaben(n):
        initiative = _vorhaben(plan, n, editor_unit)
        initiative.responsible_people.add(project_lead)
        IndicatorFactory(
            municipality=plan.municipality,
            initiative=initiative,
            title=f"Zufriedenheit {n}",
            kind="qualitative",
        )

    qualitative_vorhaben(1)
    client.get(reverse("controlling:overview"))  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("controlling:overview")).content.decode()
    assert page.count("messbar machen<") == 1
    for n in range(2, 7):
        qualitative_vorhaben(n)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("controlling:overview")).content.decode()
    assert page.count("messbar machen<") == 6
    assert len(many.captured_queries) == len(few.captured_queries)


def test_overview_links_each_plan_to_its_bulk_update(plan, editor_unit, strategy_user, client_for):
    _vorhaben(plan, 1, editor_unit)
    page = client_for(strategy_user).get(reverse("controlling:overview")).content.decode()
    assert reverse("controlling:bulk_update", kwargs={"pk": plan.pk}) in page


@pytest.mark.parametrize("persona", ["viewer", "council_member"])
def test_readers_see_no_bulk_update_link(persona, request, plan, editor_unit, client_for):
    _vorhaben(plan, 1, editor_unit)
    client = client_for(request.getfixturevalue(persona))
    page = client.get(reverse("controlling:overview")).content.decode()
    bulk = reverse("controlling:bulk_update", kwargs={"pk": plan.pk})
    assert plan.title in page and bulk not in page and "Sammelpflege" not in page
    assert client.get(bulk).status_code == 403


def test_my_updates_queries_do_not_grow(plan, editor_unit, unit_editor):
    from leitwerk.controlling.selectors import my_updates_for_user

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            my_updates_for_user(user=unit_editor, municipality=plan.municipality, today=TODAY)
        return len(ctx.captured_queries)

    _vorhaben(plan, 1, editor_unit)
    count_queries()
    few = count_queries()
    for n in range(2, 9):
        _vorhaben(plan, n, editor_unit)
    assert count_queries() == few
    assert (
        len(my_updates_for_user(user=unit_editor, municipality=plan.municipality, today=TODAY)) == 8
    )
