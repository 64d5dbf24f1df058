"""The plan page's content is kept per change (core.fragments, issue 21): an audited change
shows at once, and what one person may do never shows for another."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from leitwerk.plans import services
from leitwerk.plans.tests.factories import (
    IndicatorFactory,
    InitiativeFactory,
    MilestoneFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_page(musterstadt):
    initiative = InitiativeFactory(municipality=musterstadt, title="Radwege ausbauen")
    MilestoneFactory(
        municipality=musterstadt,
        initiative=initiative,
        title="Planung",
        due_date=dt.date(2026, 3, 1),
    )
    return initiative, reverse("plans:detail", args=[initiative.action_field.plan_id])


def test_an_edited_vorhaben_shows_on_the_plan_page_at_once(plan_page, strategy_user, client_for):
    initiative, url = plan_page
    client = client_for(strategy_user)
    assert "Radwege ausbauen" in client.get(url).content.decode()
    services.initiative_update(
        initiative=initiative,
        actor=strategy_user,
        expected_version=initiative.version,
        changes={"title": "Radwege sicher ausbauen"},
    )
    html = client.get(url).content.decode()
    assert "Radwege sicher ausbauen" in html


def test_a_recorded_measurement_changes_the_kept_page_at_once(
    plan_page, strategy_user, client_for, django_assert_max_num_queries
):
    initiative, url = plan_page
    indicator = IndicatorFactory(municipality=initiative.municipality, initiative=initiative)
    client = client_for(strategy_user)
    client.get(url)
    with django_assert_max_num_queries(12):  # kept: access, rights, the newest change
        assert "Radwege ausbauen" in client.get(url).content.decode()
    services.measurement_record(
        indicator=indicator, actor=strategy_user, measured_on=dt.date.today(), value=Decimal(5)
    )
    # A new audit entry is a new key: the page is built again (here: the same content, as
    # the indicator has no target; built again all the same, as the query count shows).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as rebuilt:
        client.get(url)
    with CaptureQueriesContext(connection) as kept:
        client.get(url)
    assert len(rebuilt) > len(kept)


def test_edit_links_and_the_release_form_do_not_leak_to_a_reader(
    plan_page, strategy_user, viewer, client_for
):
    _initiative, url = plan_page
    editor_html = client_for(strategy_user).get(url).content.decode()
    button = '<button type="submit" class="button">Für das Portal freigeben</button>'
    assert "Plan bearbeiten" in editor_html and button in editor_html
    reader_html = client_for(viewer).get(url).content.decode()
    assert "Plan bearbeiten" not in reader_html
    assert button not in reader_html
    assert "Radwege ausbauen" in reader_html


def test_each_person_gets_their_own_form_token_in_a_kept_page(
    plan_page, strategy_user, admin_user, client_for
):
    _initiative, url = plan_page
    first, second = client_for(strategy_user), client_for(admin_user)
    a = first.get(url).content.decode()
    b = second.get(url).content.decode()
    assert "csrf-placeholder" not in a and "csrf-placeholder" not in b
    release = reverse("plans:release", args=[_initiative.action_field.plan_id])
    assert release in b
    # The token in the kept page works for the second person (CSRF checks on).
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin_user)
    html = strict.get(url).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = strict.post(release, {"csrfmiddlewaretoken": token})
    assert response.status_code != 403


def test_a_recorded_measurement_shows_on_the_profile_at_once(
    plan_page, strategy_user, viewer, client_for
):
    initiative, _url = plan_page
    indicator = IndicatorFactory(
        municipality=initiative.municipality, initiative=initiative, title="Kilometer"
    )
    url = reverse("plans:initiative_detail", args=[initiative.pk])
    editor, reader = client_for(strategy_user), client_for(viewer)
    assert "Messwert erfassen" in editor.get(url).content.decode()
    assert "Messwert erfassen" not in reader.get(url).content.decode()
    services.measurement_record(
        indicator=indicator, actor=strategy_user, measured_on=dt.date.today(), value=Decimal("47.5")
    )
    assert "47,5" in editor.get(url).content.decode()
    assert "47,5" in reader.get(url).content.decode()


def test_the_goal_scorecard_shows_an_edit_at_once_and_its_forms_only_to_editors(
    musterstadt, strategy_user, viewer, client_for
):
    from leitwerk.goals import services as goal_services
    from leitwerk.goals.tests.factories import GoalFactory

    goal = GoalFactory(municipality=musterstadt, title="Weniger Wartezeit")
    url = reverse("goals:goal_detail", args=[goal.pk])
    editor, reader = client_for(strategy_user), client_for(viewer)
    assert "Weniger Wartezeit" in reader.get(url).content.decode()
    goal_services.goal_update(
        goal=goal,
        actor=strategy_user,
        expected_version=goal.version,
        changes={"title": "Kürzere Wartezeit"},
    )
    assert "Kürzere Wartezeit" in reader.get(url).content.decode()
    edit_link = f'href="{reverse("goals:goal_edit", args=[goal.pk])}"'
    assert edit_link in editor.get(url).content.decode()
    assert edit_link not in reader.get(url).content.decode()


def test_a_measurement_moves_the_row_and_the_plan_figure_on_the_next_request(
    musterstadt, strategy_user, client_for
):
    initiative = InitiativeFactory(municipality=musterstadt, title="Bäume pflanzen")
    indicator = IndicatorFactory(municipality=musterstadt, initiative=initiative)
    url = reverse("plans:detail", args=[initiative.action_field.plan_id])
    client = client_for(strategy_user)
    assert "50 % erreicht" not in client.get(url).content.decode()
    # Baseline 10, target 50: a value of 30 is half the way.
    services.measurement_record(
        indicator=indicator, actor=strategy_user, measured_on=dt.date.today(), value=Decimal(30)
    )
    html = client.get(url).content.decode()
    row = html[html.index("Bäume pflanzen</a>") :]
    row = row[: row.index("</tr>")]
    assert "50 % erreicht" in row
    figures = html[html.index('<dl class="facts">') :]
    figures = figures[: figures.index("</dl>")]
    assert "50 % erreicht" in figures
