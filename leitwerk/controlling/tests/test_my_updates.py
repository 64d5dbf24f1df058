"""'Meine Aktualisierungen' lists the open feedback requests addressed to the person."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from leitwerk.controlling.services import comment_create
from leitwerk.core.tests.querycount import assert_constant_queries
from leitwerk.plans.tests.factories import InitiativeFactory


def _ask(initiative, author, people, text, when):
    with time_machine.travel(when, tick=False):
        return comment_create(initiative=initiative, actor=author, text=text, feedback_from=people)


@pytest.mark.django_db
def test_council_member_sees_a_request_for_feedback_and_reaches_the_comments(
    strategy_user, council_member, musterstadt, client_for
):
    initiative = InitiativeFactory(municipality=musterstadt, title="Bürgerportal")
    _ask(
        initiative,
        strategy_user,
        [council_member],
        "Passt der Zwischenstand zum Ratsbeschluss?",
        dt.datetime(2026, 6, 1, 9, 0),
    )
    page = client_for(council_member).get(reverse("controlling:my_updates")).content.decode()
    assert "Um Ihre Rückmeldung gebeten" in page
    assert "Passt der Zwischenstand zum Ratsbeschluss?" in page
    assert f'href="{reverse("controlling:comments", args=[initiative.pk])}"' in page
    # The person has no Vorhaben to report on, so the page must not claim nothing is due.
    assert "Im Moment ist nichts von Ihnen fällig" not in page


@pytest.mark.django_db
def test_a_request_disappears_once_answered_and_others_never_see_it(
    strategy_user, council_member, viewer, musterstadt, client_for
):
    initiative = InitiativeFactory(municipality=musterstadt)
    _ask(initiative, strategy_user, [council_member], "Bitte prüfen", dt.datetime(2026, 6, 1, 9))
    assert "Bitte prüfen" not in (
        client_for(viewer).get(reverse("controlling:my_updates")).content.decode()
    )
    _ask(initiative, council_member, [], "Sieht gut aus.", dt.datetime(2026, 6, 2, 9))
    page = client_for(council_member).get(reverse("controlling:my_updates")).content.decode()
    assert "Bitte prüfen" not in page
    assert "Um Ihre Rückmeldung gebeten" not in page


@pytest.mark.django_db
def test_my_updates_queries_do_not_grow_with_feedback_requests(
    strategy_user, council_member, musterstadt, client_for
):
    client = client_for(council_member)
    first = InitiativeFactory(municipality=musterstadt)
    _ask(first, strategy_user, [council_member], "Erste Frage", dt.datetime(2026, 6, 1, 9))

    def add_rows():
        for n in range(4):
            initiative = InitiativeFactory(municipality=musterstadt)
            _ask(
                initiative,
                strategy_user,
                [council_member],
                f"Frage {n}",
                dt.datetime(2026, 6, 2 + n, 9),
            )

    assert_constant_queries(lambda: client.get(reverse("controlling:my_updates")), add_rows)
    assert "Frage 3" in client.get(reverse("controlling:my_updates")).content.decode()
