"""Every mail leaves through the task queue after the commit and survives a failing mail server.

A relay that hangs up neither breaks the page the person clicked nor loses the mail quietly:
the mail is tried again with backoff, and after the last attempt it is logged as an error.
"""

from __future__ import annotations

import ast
import datetime as dt
import logging
import pathlib

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from leitwerk.controlling.models import Comment
from leitwerk.core import mail as outgoing
from leitwerk.municipalities.models import Role
from leitwerk.testing.mail import FailingBackend

pytestmark = pytest.mark.django_db

FAILING = "leitwerk.testing.mail.FailingBackend"


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks, monkeypatch):
    """Run each request's on-commit callbacks right after it, as the real commit would."""
    original = Client.request

    def request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


def _comment(client, initiative, person):
    return client.post(
        reverse("controlling:comments", kwargs={"pk": initiative.pk}),
        {"text": "Wie ist der Stand?", "feedback_from": [person.pk]},
    )


@override_settings(EMAIL_BACKEND=FAILING)
def test_a_comment_mail_arrives_although_the_mail_server_hung_up_twice(
    council_member, project_lead, led_initiative, client_for
):
    FailingBackend.reset(fail_next=2)
    response = _comment(client_for(council_member), led_initiative, project_lead)
    assert response.status_code == 302
    assert FailingBackend.attempts == 3
    assert [m.to for m in mail.outbox] == [[project_lead.email]]
    assert "Bitte um Rückmeldung" in mail.outbox[0].subject


@override_settings(EMAIL_BACKEND=FAILING)
def test_a_mail_server_that_stays_down_keeps_the_comment_and_logs_the_lost_mail(
    council_member, project_lead, led_initiative, client_for, caplog
):
    FailingBackend.reset(fail_next=-1)
    with caplog.at_level(logging.WARNING, logger="leitwerk.mail"):
        response = _comment(client_for(council_member), led_initiative, project_lead)
    assert response.status_code == 302
    assert Comment.objects.filter(initiative=led_initiative).count() == 1
    assert mail.outbox == []
    assert FailingBackend.attempts == outgoing.MAX_ATTEMPTS
    given_up = [r for r in caplog.records if r.getMessage() == "mail.given_up"]
    assert len(given_up) == 1 and given_up[0].levelno == logging.ERROR
    # The log names the domain only, never the address.
    assert project_lead.email not in caplog.text


@override_settings(EMAIL_BACKEND=FAILING)
def test_an_invitation_reaches_the_person_after_the_mail_server_failed_once(admin_user, client_for):
    FailingBackend.reset(fail_next=1)
    response = client_for(admin_user).post(
        reverse("people:invite"),
        {
            "email": "paula@musterstadt.test",
            "first_name": "Paula",
            "last_name": "Projekt",
            "roles": [Role.VIEWER],
        },
    )
    assert response.status_code == 302
    assert FailingBackend.attempts == 2
    assert [m.to for m in mail.outbox] == [["paula@musterstadt.test"]]
    assert "/konto/einladung/" in mail.outbox[0].body


@override_settings(EMAIL_BACKEND=FAILING)
def test_a_reset_link_arrives_although_the_mail_server_hung_up_once(viewer, client):
    FailingBackend.reset(fail_next=1)
    response = client.post(reverse("accounts:password_reset"), {"email": viewer.email})
    assert response.status_code == 302
    assert FailingBackend.attempts == 2
    assert [m.to for m in mail.outbox] == [[viewer.email]]
    assert "/konto/passwort-neu/" in mail.outbox[0].body


@override_settings(EMAIL_BACKEND=FAILING)
def test_the_password_changed_notice_does_not_break_the_change_when_mail_is_down(
    viewer, client_for, password
):
    FailingBackend.reset(fail_next=-1)
    response = client_for(viewer).post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "Ein-ganz-neues-Passwort-2026",
            "new_password2": "Ein-ganz-neues-Passwort-2026",
        },
    )
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.check_password("Ein-ganz-neues-Passwort-2026")


@override_settings(
    EMAIL_BACKEND=FAILING,
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
)
def test_with_the_real_queue_the_next_attempt_waits_for_the_backoff():
    from django_tasks_db.models import DBTaskResult

    FailingBackend.reset(fail_next=1)
    before = timezone.now()
    sent = outgoing.deliver_mail.call(to=["a@musterstadt.test"], subject="Test", body="Hallo")
    assert sent == 0 and mail.outbox == []
    row = DBTaskResult.objects.get(task_path="leitwerk.core.mail.deliver_mail")
    assert row.args_kwargs["kwargs"]["attempt"] == 2
    wait = row.run_after - before
    assert dt.timedelta(seconds=outgoing.BACKOFF[0]) <= wait < dt.timedelta(minutes=2)


def test_no_code_sends_mail_outside_the_queue():
    """Every send goes through leitwerk.core.mail: a new direct send_mail would skip retries."""
    allowed = {
        pathlib.Path("leitwerk/core/mail.py"),
        # These two render a secret link in the worker and retry through send_or_retry.
        pathlib.Path("leitwerk/accounts/tasks.py"),
        pathlib.Path("leitwerk/controlling/tasks.py"),
    }
    root = pathlib.Path(__file__).resolve().parents[3]
    offenders = []
    for path in sorted((root / "leitwerk").rglob("*.py")):
        relative = path.relative_to(root)
        if "tests" in relative.parts or "testing" in relative.parts or relative in allowed:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "django.core.mail":
                names = {a.name for a in node.names}
                if names & {
                    "send_mail",
                    "send_mass_mail",
                    "EmailMessage",
                    "EmailMultiAlternatives",
                    "mail_admins",
                }:
                    offenders.append(f"{relative}:{node.lineno}")
    assert offenders == []
