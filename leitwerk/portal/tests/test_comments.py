"""Comments on public Vorhaben: off by default, moderated before they show, answered like
suggestions, protected against spam without third parties."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from leitwerk.plans.models import PlanStatus
from leitwerk.plans.services import plan_release
from leitwerk.plans.tests.factories import ActionFieldFactory, ActionPlanFactory, InitiativeFactory
from leitwerk.portal import spam
from leitwerk.portal.models import CommentStatus, PortalSettings, PublicComment

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(musterstadt):
    plan = ActionPlanFactory(municipality=musterstadt, public=True, status=PlanStatus.ADOPTED)
    field = ActionFieldFactory(municipality=musterstadt, plan=plan)
    found = InitiativeFactory(municipality=musterstadt, action_field=field, public=True)
    plan_release(plan=plan, actor=None)
    return found


@pytest.fixture
def comments_on(musterstadt):
    return PortalSettings.objects.create(municipality=musterstadt, comments_enabled=True)


def _url(name: str, **kwargs) -> str:
    return reverse(f"portal:{name}", kwargs={"municipality_slug": "musterstadt", **kwargs})


def _comment(client: Client, initiative, text: str):
    url = _url("comment", initiative_id=initiative.pk)
    started = re.search(r'name="started" value="([^"]+)"', client.get(url).content.decode()).group(
        1
    )
    with time_machine.travel(dt.timedelta(seconds=30)):
        return client.post(
            url, {"author_name": "Jo", "text": text, "started": started, "website": ""}
        )


def test_comments_are_off_until_the_municipality_allows_them(initiative):
    assert Client().get(_url("comment", initiative_id=initiative.pk)).status_code == 404
    body = Client().get(_url("initiative", initiative_id=initiative.pk)).content.decode()
    assert "Kommentar schreiben" not in body


def test_a_comment_shows_only_after_moderation_with_the_answer(
    musterstadt, initiative, comments_on, strategy_user, client_for
):
    response = _comment(Client(), initiative, "Bitte auch an Lastenräder denken.")
    assert response.status_code == 200
    comment = PublicComment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert comment.due_on == comment.received_on + dt.timedelta(days=14)
    detail = _url("initiative", initiative_id=initiative.pk)
    assert "Lastenräder" not in Client().get(detail).content.decode()

    staff = client_for(strategy_user)
    listing = staff.get(reverse("portal_workspace:comments")).content.decode()
    assert "Lastenräder" in listing
    moderate = reverse("portal_workspace:comment_moderate", args=[comment.pk])
    answer = "Danke, die Abstellplätze planen wir mit ein."
    response = staff.post(moderate, {"decision": CommentStatus.PUBLISHED, "answer": answer})
    assert response.status_code == 302
    body = Client().get(detail).content.decode()
    assert "Bitte auch an Lastenräder denken." in body and answer in body


def test_a_rejected_comment_never_shows(
    musterstadt, initiative, comments_on, strategy_user, client_for
):
    _comment(Client(), initiative, "Werbung für etwas ganz anderes.")
    comment = PublicComment.objects.get()
    client_for(strategy_user).post(
        reverse("portal_workspace:comment_moderate", args=[comment.pk]),
        {"decision": CommentStatus.REJECTED, "answer": ""},
    )
    body = Client().get(_url("initiative", initiative_id=initiative.pk)).content.decode()
    assert "Werbung" not in body


def test_viewers_cannot_moderate(musterstadt, initiative, comments_on, viewer, client_for):
    _comment(Client(), initiative, "Ein Kommentar.")
    comment = PublicComment.objects.get()
    client = client_for(viewer)
    assert client.get(reverse("portal_workspace:comments")).status_code == 403
    url = reverse("portal_workspace:comment_moderate", args=[comment.pk])
    assert client.post(url, {"decision": CommentStatus.PUBLISHED}).status_code == 403
    assert PublicComment.objects.get().status == CommentStatus.PENDING


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_more_comments_from_one_address_than_a_person_writes_are_refused(
    musterstadt, initiative, comments_on
):
    client = Client()
    for n in range(spam.LIMIT_PER_HOUR):
        assert _comment(client, initiative, f"Kommentar {n}").status_code == 200
    response = _comment(client, initiative, "Noch einer")
    assert response.status_code == 429
    assert "sehr viele Nachrichten" in response.content.decode()
    assert PublicComment.objects.count() == spam.LIMIT_PER_HOUR
