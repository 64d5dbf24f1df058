"""Follow a public Vorhaben or plan by e-mail: double opt-in, a mail when a release changes
what citizens see, one-click unsubscribe, and the per-Vorhaben Atom feed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from leitwerk.plans.models import InitiativeStatus, PlanStatus
from leitwerk.plans.services import initiative_release, plan_release
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    InitiativeFactory,
    MilestoneFactory,
)
from leitwerk.portal import spam
from leitwerk.portal.models import Follow
from leitwerk.portal.notifications import release_changes

pytestmark = pytest.mark.django_db


@pytest.fixture
def released(musterstadt):
    plan = ActionPlanFactory(
        municipality=musterstadt, title="Aktionsplan 2030", public=True, status=PlanStatus.ADOPTED
    )
    field = ActionFieldFactory(municipality=musterstadt, plan=plan, code="1", title="Verwaltung")
    initiative = InitiativeFactory(
        municipality=musterstadt,
        action_field=field,
        number="1.1",
        title="Bürgerbüro digital",
        public=True,
        status=InitiativeStatus.PLANNED,
    )
    MilestoneFactory(
        municipality=musterstadt,
        initiative=initiative,
        title="Konzept",
        due_date=dt.date(2026, 9, 1),
    )
    plan_release(plan=plan, actor=None)
    return initiative


def _url(name: str, **kwargs) -> str:
    return reverse(f"portal:{name}", kwargs={"municipality_slug": "musterstadt", **kwargs})


def _post_form(client: Client, url: str, data: dict) -> object:
    """Fetch the form (its signed start time), wait as a person would, post it."""
    page = client.get(url)
    started = re.search(r'name="started" value="([^"]+)"', page.content.decode()).group(1)
    with time_machine.travel(dt.timedelta(seconds=10)):
        return client.post(url, {**data, "started": started, "website": ""})


def _follow(client, initiative, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return _post_form(
            client, _url("follow_initiative", initiative_id=initiative.pk), {"email": email}
        )


def _path(message, name: str) -> str:
    """The path of a link in the mail (absolute with SITE_URL, which tests leave empty)."""
    pattern = r"/[a-z-]+/folgen/[^/\s]+/" + name + "/"
    return re.search(pattern, message.body).group(0)


def test_following_sends_a_confirmation_mail_and_nothing_else_before_it_is_confirmed(
    musterstadt, released, django_capture_on_commit_callbacks
):
    client = Client()
    response = _follow(client, released, "Anna@Example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.org"]
    assert "bestaetigen" in mail.outbox[0].body
    follow = Follow.objects.get()
    assert follow.confirmed_at is None and follow.initiative_id == released.pk

    released.status = InitiativeStatus.ACTIVE
    released.save()
    with django_capture_on_commit_callbacks(execute=True):
        initiative_release(initiative=released, actor=None)
    assert len(mail.outbox) == 1  # unconfirmed: no news


def test_a_confirmed_follower_gets_a_mail_when_the_released_status_changes(
    musterstadt, released, django_capture_on_commit_callbacks
):
    client = Client()
    _follow(client, released, "anna@example.org", django_capture_on_commit_callbacks)
    confirm = _path(mail.outbox[0], "bestaetigen")
    page = client.get(confirm)
    assert page.status_code == 200 and "bestätigen" in page.content.decode()
    assert Follow.objects.get().confirmed_at is None  # opening the link alone confirms nothing
    assert client.post(confirm).status_code == 200
    assert Follow.objects.get().confirmed_at is not None

    released.status = InitiativeStatus.ACTIVE
    released.save()
    with django_capture_on_commit_callbacks(execute=True):
        initiative_release(initiative=released, actor=None)
    assert len(mail.outbox) == 2
    news = mail.outbox[1]
    assert "Neuer Status: in Umsetzung (vorher: geplant)" in news.body
    assert "/abmelden/" in news.extra_headers["List-Unsubscribe"]


def test_a_release_without_changes_for_citizens_sends_no_mail(
    musterstadt, released, django_capture_on_commit_callbacks
):
    Follow.objects.create(
        municipality=musterstadt,
        email="anna@example.org",
        token="t" * 40,
        initiative=released,
        confirmed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    with django_capture_on_commit_callbacks(execute=True):
        initiative_release(initiative=released, actor=None)
    assert mail.outbox == []


def test_unsubscribing_is_one_button_and_deletes_the_address(musterstadt, released):
    Follow.objects.create(
        municipality=musterstadt, email="anna@example.org", token="x" * 40, initiative=released
    )
    client = Client()
    url = _url("follow_cancel", token="x" * 40)
    page = client.get(url)
    assert "E-Mails abbestellen" in page.content.decode()
    assert Follow.objects.exists()  # opening the link changes nothing
    response = client.post(url)
    assert response.status_code == 200
    assert "abgemeldet" in response.content.decode()
    assert not Follow.objects.exists()


def test_asking_again_with_a_confirmed_address_sends_nothing_and_answers_the_same(
    musterstadt, released, django_capture_on_commit_callbacks
):
    Follow.objects.create(
        municipality=musterstadt,
        email="anna@example.org",
        token="y" * 40,
        initiative=released,
        confirmed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    response = _follow(Client(), released, "anna@example.org", django_capture_on_commit_callbacks)
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in response.content.decode()
    assert mail.outbox == []
    assert Follow.objects.get().token == "y" * 40


def test_a_plan_follower_hears_about_every_changed_vorhaben_of_the_plan(
    musterstadt, released, django_capture_on_commit_callbacks
):
    plan = released.action_field.plan
    Follow.objects.create(
        municipality=musterstadt,
        email="rat@example.org",
        token="p" * 40,
        plan=plan,
        confirmed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    milestone = released.milestones.get()
    milestone.done_on = dt.date(2026, 5, 2)
    milestone.save()
    with django_capture_on_commit_callbacks(execute=True):
        plan_release(plan=plan, actor=None)
    assert len(mail.outbox) == 1
    assert "Meilenstein „Konzept“ erreicht am 02.05.2026." in mail.outbox[0].body


def test_following_a_foreign_or_unreleased_vorhaben_is_404(musterstadt, other_town, released):
    foreign = InitiativeFactory(municipality=other_town, public=True)
    client = Client()
    assert client.get(_url("follow_initiative", initiative_id=foreign.pk)).status_code == 404
    hidden = InitiativeFactory(
        municipality=musterstadt, action_field=released.action_field, public=False
    )
    assert client.get(_url("follow_initiative", initiative_id=hidden.pk)).status_code == 404


def test_a_filled_in_trap_field_stores_nothing(musterstadt, released):
    client = Client()
    url = _url("follow_initiative", initiative_id=released.pk)
    page = client.get(url)
    started = re.search(r'name="started" value="([^"]+)"', page.content.decode()).group(1)
    with time_machine.travel(dt.timedelta(seconds=10)):
        response = client.post(
            url, {"email": "bot@example.org", "started": started, "website": "http://spam"}
        )
    assert response.status_code == 200
    assert not Follow.objects.exists()


def test_a_form_sent_within_a_second_is_refused_with_a_clear_message(musterstadt, released):
    client = Client()
    url = _url("follow_initiative", initiative_id=released.pk)
    response = client.post(
        url, {"email": "bot@example.org", "started": spam.started_stamp(), "website": ""}
    )
    assert response.status_code == 400
    assert "Das ging sehr schnell" in response.content.decode()
    assert not Follow.objects.exists()


def test_the_vorhaben_feed_lists_its_milestones_reached(musterstadt, released):
    milestone = released.milestones.get()
    milestone.done_on = dt.date(2026, 5, 2)
    milestone.save()
    plan_release(plan=released.action_field.plan, actor=None)
    response = Client().get(_url("initiative_feed", initiative_id=released.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Meilenstein erreicht: Konzept" in body
    assert "Bürgerbüro digital" in body


def test_release_changes_name_status_milestones_and_figures():
    old = {
        "initiatives": [
            {
                "id": 1,
                "number": "1.1",
                "title": "A",
                "status": "planned",
                "milestones": [{"id": 5, "title": "M", "due_date": "2026-06-01", "done_on": None}],
                "indicators": [{"id": 7, "title": "Quote", "unit": "%", "latest_value": "10"}],
            }
        ]
    }
    new = {
        "initiatives": [
            {
                "id": 1,
                "number": "1.1",
                "title": "A",
                "status": "active",
                "milestones": [{"id": 5, "title": "M", "due_date": "2026-07-01", "done_on": None}],
                "indicators": [{"id": 7, "title": "Quote", "unit": "%", "latest_value": "12.5"}],
            },
            {
                "id": 2,
                "number": "1.2",
                "title": "B",
                "status": "planned",
                "milestones": [],
                "indicators": [],
            },
        ]
    }
    changes = release_changes(old, new)
    assert changes[1].lines == [
        "Neuer Status: in Umsetzung (vorher: geplant).",
        "Meilenstein „M“ hat ein neues Datum: 01.07.2026 (vorher: 01.06.2026).",
        "Kennzahl „Quote“: jetzt 12,5 % (vorher: 10 %).",
    ]
    assert changes[2].lines == ["Das Vorhaben ist jetzt öffentlich. Status: geplant."]
    assert release_changes(new, new) == {}
