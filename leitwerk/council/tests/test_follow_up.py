"""Beschlusskontrolle: status rules, traffic light, pages, reminders and the quarterly paper."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from leitwerk.core.editing import ConflictError
from leitwerk.core.models import Notice
from leitwerk.council import services
from leitwerk.council.models import DecisionFollowUp, FollowUpStatus, Light
from leitwerk.priorities.tests.factories import DecisionFactory

from .factories import CouncilDecisionFactory, DecisionFollowUpFactory

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def follow_up(musterstadt, editor_unit, council_body):
    decision = CouncilDecisionFactory(
        municipality=musterstadt, title="Radwegekonzept umsetzen", body=council_body
    )
    return DecisionFollowUpFactory(
        decision=decision, unit=editor_unit, deadline=dt.date(2026, 9, 30)
    )


def _update(follow_up, actor, **changes):
    return services.follow_up_update(
        follow_up=follow_up, actor=actor, expected_version=follow_up.version, changes=changes
    )


def test_the_traffic_light_is_red_after_the_deadline_and_amber_when_delayed(follow_up):
    assert follow_up.light(TODAY) == Light.GREEN
    assert follow_up.light(dt.date(2026, 9, 20)) == Light.AMBER  # due within two weeks
    assert follow_up.light(dt.date(2026, 10, 1)) == Light.RED
    follow_up.status = FollowUpStatus.DELAYED
    assert follow_up.light(TODAY) == Light.AMBER


def test_delayed_needs_a_reason_and_done_needs_a_note(follow_up, strategy_user):
    with pytest.raises(ValidationError, match="Grund"):
        _update(follow_up, strategy_user, status=FollowUpStatus.DELAYED, delay_reason=" ")
    with pytest.raises(ValidationError, match="Erledigungsvermerk"):
        _update(follow_up, strategy_user, status=FollowUpStatus.DONE)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN and follow_up.version == 1


def test_done_items_leave_the_list_and_show_under_the_done_filter(
    follow_up, strategy_user, client_for
):
    _update(follow_up, strategy_user, status=FollowUpStatus.DONE, done_note="Konzept beschlossen")
    client = client_for(strategy_user)

    open_page = client.get(reverse("council:overview")).content.decode()
    done_page = client.get(reverse("council:overview"), {"status": "done"}).content.decode()

    assert "Radwegekonzept umsetzen" not in open_page
    assert "Radwegekonzept umsetzen" in done_page and "Konzept beschlossen" in done_page


def test_the_overview_filters_by_body_and_unit(follow_up, musterstadt, strategy_user, client_for):
    other = DecisionFollowUpFactory(
        decision=CouncilDecisionFactory(municipality=musterstadt, title="Anderer Beschluss")
    )
    client = client_for(strategy_user)
    page = client.get(
        reverse("council:overview"), {"unit": follow_up.unit_id, "body": follow_up.decision.body_id}
    ).content.decode()
    assert "Radwegekonzept umsetzen" in page and other.decision.title not in page


def test_the_unit_editor_marks_their_decision_delayed_with_a_reason(
    follow_up, unit_editor, client_for
):
    client = client_for(unit_editor)
    url = reverse("council:follow_up_edit", kwargs={"pk": follow_up.pk})
    response = client.post(
        url,
        {
            "unit": follow_up.unit_id,
            "deadline": "2026-09-30",
            "status": "delayed",
            "delay_reason": "",
            "expected_version": 1,
        },
    )
    assert response.status_code == 422
    assert "Grund" in response.content.decode()

    response = client.post(
        url,
        {
            "unit": follow_up.unit_id,
            "deadline": "2026-09-30",
            "status": "delayed",
            "delay_reason": "Fördermittel noch nicht bewilligt",
            "expected_version": 1,
        },
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DELAYED
    assert follow_up.delay_reason == "Fördermittel noch nicht bewilligt"


def test_a_concurrent_edit_gets_a_conflict(follow_up, strategy_user):
    _update(follow_up, strategy_user, status=FollowUpStatus.IN_PROGRESS)
    with pytest.raises(ConflictError):
        services.follow_up_update(
            follow_up=follow_up,
            actor=strategy_user,
            expected_version=1,
            changes={"status": FollowUpStatus.OPEN},
        )


def test_another_unit_editor_and_a_viewer_cannot_change_it(
    follow_up, viewer, council_member, client_for
):
    url = reverse("council:follow_up_edit", kwargs={"pk": follow_up.pk})
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(council_member).get(url).status_code == 403
    # ...but they read the decision.
    detail = reverse("council:decision_detail", kwargs={"pk": follow_up.decision_id})
    assert client_for(viewer).get(detail).status_code == 200


def test_another_town_sees_nothing(follow_up, other_town_admin, client_for):
    client = client_for(other_town_admin)
    detail = reverse("council:decision_detail", kwargs={"pk": follow_up.decision_id})
    assert client.get(detail).status_code == 404
    assert "Radwegekonzept" not in client.get(reverse("council:overview")).content.decode()


def test_a_decision_entered_by_hand_goes_under_follow_up(
    strategy_user, editor_unit, council_body, led_initiative, client_for
):
    response = client_for(strategy_user).post(
        reverse("council:decision_create"),
        {
            "d-title": "Sanierung der Grundschule",
            "d-decided_on": "2026-05-20",
            "d-body": council_body.pk,
            "d-result": "beschlossen",
            "f-unit": editor_unit.pk,
            "f-deadline": "2026-12-31",
            "f-initiatives": [led_initiative.pk],
        },
    )
    assert response.status_code == 302
    follow_up = DecisionFollowUp.objects.get(decision__title="Sanierung der Grundschule")
    assert list(follow_up.initiatives.all()) == [led_initiative]


def test_the_vorhaben_page_shows_its_real_decision_and_result(
    follow_up, led_initiative, musterstadt, strategy_user, client_for
):
    follow_up.initiatives.add(led_initiative)
    DecisionFactory(
        municipality=musterstadt, initiative=led_initiative, oparl_url="https://ris.test/paper/9"
    )
    CouncilDecisionFactory(
        municipality=musterstadt,
        title="Vorlage aus dem RIS",
        result="Einstimmig beschlossen",
        paper_oparl_id="https://ris.test/paper/9",
    )
    page = client_for(strategy_user).get(
        reverse("plans:initiative_detail", kwargs={"pk": led_initiative.pk})
    )
    text = page.content.decode()
    assert "Radwegekonzept umsetzen" in text
    assert "Vorlage aus dem RIS" in text and "Einstimmig beschlossen" in text


def test_reminders_go_to_the_responsible_unit_once_per_deadline(
    follow_up, unit_editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.follow_up_reminders_send(today=dt.date(2026, 9, 20)) == 1
    assert services.follow_up_reminders_send(today=dt.date(2026, 9, 21)) == 0
    notice = Notice.objects.get(recipient=unit_editor)
    assert "Radwegekonzept umsetzen" in notice.text and "30.09.2026" in notice.text
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [unit_editor.email]


def test_nothing_is_reminded_long_before_the_deadline(follow_up, unit_editor):
    assert services.follow_up_reminders_send(today=TODAY) == 0


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_quarterly_paper_lists_open_and_done_decisions(
    fmt, follow_up, musterstadt, strategy_user, client_for
):
    done = DecisionFollowUpFactory(
        decision=CouncilDecisionFactory(municipality=musterstadt, title="Spielplatz erneuert"),
        status=FollowUpStatus.DONE,
        done_note="Übergeben am 3. Juni",
        done_on=dt.date(2026, 6, 3),
    )
    response = client_for(strategy_user).post(
        reverse("council:paper"), {"quarter": "2026-2", "fmt": fmt}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'Beschlusskontrolle-2026-Q2.{fmt}"')
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(response.content)) as package:
            xml = package.read("word/document.xml").decode()
        for text in (
            "Informationsvorlage",
            "Beschlussvorschlag",
            "Sachverhalt",
            "Radwegekonzept umsetzen",
            done.done_note,
            "Finanzielle Auswirkungen",
        ):
            assert text in xml
    else:
        assert response.content.startswith(b"%PDF")


def test_the_priority_list_shows_the_decision_that_adopted_it(
    musterstadt, strategy_user, client_for
):
    from leitwerk.priorities.tests.factories import PriorityRoundFactory

    priority_round = PriorityRoundFactory(
        municipality=musterstadt, oparl_url="https://ris.test/paper/842"
    )
    CouncilDecisionFactory(
        municipality=musterstadt,
        title="Prioritätenliste beschlossen",
        result="Einstimmig beschlossen",
        paper_oparl_id="https://ris.test/paper/842",
    )
    page = client_for(strategy_user).get(
        reverse("priorities:detail", kwargs={"pk": priority_round.pk})
    )
    assert "Einstimmig beschlossen" in page.content.decode()


def test_the_unit_reports_the_state_but_the_deadline_stays_with_the_office(
    follow_up, unit_editor, client_for
):
    client = client_for(unit_editor)
    url = reverse("council:follow_up_edit", kwargs={"pk": follow_up.pk})
    assert 'name="deadline"' not in client.get(url).content.decode()
    client.post(
        url,
        {"status": "in_progress", "deadline": "2030-01-01", "expected_version": 1},
    )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.IN_PROGRESS
    assert follow_up.deadline == dt.date(2026, 9, 30)
