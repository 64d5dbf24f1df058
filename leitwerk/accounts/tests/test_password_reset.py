"""B6: password reset – one-time link valid for one hour, no enumeration, notification mail."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from leitwerk.accounts.tests.signin import app_for, password_step, signed_in
from leitwerk.core.models import AuditLogEntry

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
NEW = "Ein-neues-Passwort-2026"


def _request_link(client, email: str):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def _link_from_mail() -> str:
    found = re.search(r"https?://[^/\s]+(/konto/passwort-neu/\S+/)", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


def _set_new_password(client, link: str):
    form_page = client.get(link, follow=True)
    if form_page.status_code != 200 or "new_password1" not in form_page.content.decode():
        return form_page
    return client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": NEW, "new_password2": NEW},
    )


def test_link_expires_within_one_hour():
    """Catalogue row B6."""
    assert settings.PASSWORD_RESET_TIMEOUT <= 3600


def test_same_answer_for_known_and_unknown_addresses(viewer, client):
    """Catalogue row B6."""
    known = _request_link(client, viewer.email)
    unknown = _request_link(client, "niemand@musterstadt.test")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [viewer.email]
    html = client.get(reverse("accounts:password_reset_done")).content.decode()
    assert "Wenn es zu dieser Adresse einen Zugang gibt" in html


def test_the_link_works_once_and_sends_the_notification(
    viewer, client, django_capture_on_commit_callbacks
):
    """Catalogue row B6."""
    _request_link(client, viewer.email)
    assert mail.outbox[0].subject == "Leitwerk: neues Passwort festlegen"
    link = _link_from_mail()
    # The notice is queued once the new password is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = _set_new_password(client, link)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert mail.outbox[-1].subject == "Ihr Passwort wurde zurückgesetzt"
    assert mail.outbox[-1].to == [viewer.email]
    assert AuditLogEntry.objects.filter(action="accounts.password_reset").exists()
    # The reset does not sign in; the new password does.
    assert not signed_in(client)
    assert password_step(client, viewer.email, NEW)["Location"] == reverse("home")
    client.post(reverse("accounts:logout"))
    again = client.get(link, follow=True).content.decode()
    assert "Dieser Link gilt nicht mehr" in again


def test_the_link_expires_after_one_hour(viewer, client):
    """Catalogue row B6."""
    with time_machine.travel(T0, tick=False) as traveller:
        _request_link(client, viewer.email)
        link = _link_from_mail()
        traveller.move_to(T0 + dt.timedelta(hours=1, minutes=1))
        page = client.get(link, follow=True).content.decode()
    assert "Dieser Link gilt nicht mehr" in page


def test_a_token_of_one_person_does_not_work_for_another(viewer, strategy_user, client):
    """Catalogue row B6."""
    _request_link(client, viewer.email)
    link = _link_from_mail()
    uid, token = link.rstrip("/").split("/")[-2:]
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    other_uid = urlsafe_base64_encode(force_bytes(strategy_user.pk))
    forged = link.replace(f"/{uid}/{token}/", f"/{other_uid}/{token}/")
    assert "Dieser Link gilt nicht mehr" in client.get(forged, follow=True).content.decode()


def test_reset_does_not_skip_the_second_factor(admin_user, client, enforce):
    """Catalogue row B6."""
    app_for(admin_user)
    _request_link(client, admin_user.email)
    _set_new_password(client, _link_from_mail())
    response = password_step(client, admin_user.email, NEW)
    assert response["Location"] == reverse("accounts:2fa_verify")
    assert not signed_in(client)


def test_login_page_links_to_the_reset(client):
    """Catalogue row B6."""
    html = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("accounts:password_reset")}"' in html


QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_the_request_does_the_same_work_for_known_and_unknown_addresses(viewer, client, settings):
    """M7: the mail was sent inside the request, so a known address answered more slowly.
    Now the request only queues; the lookup and the mail happen in the worker."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks import default_task_backend

    settings.TASKS = QUEUE_ONLY
    with CaptureQueriesContext(connection) as known_queries:
        known = _request_link(client, viewer.email)
    with CaptureQueriesContext(connection) as unknown_queries:
        unknown = _request_link(client, "niemand@musterstadt.test")
    assert known.status_code == unknown.status_code == 302
    assert len(known_queries) == len(unknown_queries)
    assert not any("accounts_user" in q["sql"] for q in known_queries.captured_queries)
    assert mail.outbox == []
    queued = [r.kwargs["email"] for r in default_task_backend.results]
    assert queued == [viewer.email, "niemand@musterstadt.test"]


def test_the_worker_sends_the_link_only_to_a_known_address(viewer):
    """M7: the queued task does the lookup; an unknown address gets nothing."""
    from leitwerk.accounts.tasks import send_password_reset_mail

    assert send_password_reset_mail.call("niemand@musterstadt.test", "https://a.example") == 0
    assert send_password_reset_mail.call(viewer.email, "https://leitwerk.example.de") == 1
    assert mail.outbox[0].to == [viewer.email]
    assert "https://leitwerk.example.de/konto/passwort-neu/" in mail.outbox[0].body


def test_at_most_three_reset_mails_per_address_and_hour(viewer, client):
    """M7: 96 reset mails to one address were possible; more requests get the same answer."""
    answers = [_request_link(client, viewer.email) for _ in range(6)]
    assert {a.status_code for a in answers} == {302}
    assert len(mail.outbox) == 3
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1, minutes=1)):
        _request_link(client, viewer.email)
    assert len(mail.outbox) == 4


def test_many_reset_requests_from_one_client_are_refused_in_german(viewer, client, settings):
    """M7: per client address, across e-mail addresses."""
    settings.LEITWERK_RESET_PER_CLIENT = 3
    for n in range(3):
        assert _request_link(client, f"person{n}@musterstadt.test").status_code == 302
    refused = _request_link(client, viewer.email)
    assert refused.status_code == 429
    assert "sehr viele Anfragen" in refused.content.decode()
    assert mail.outbox == []
    # Another client (another address behind the proxy) is not affected.
    other = client.post(
        reverse("accounts:password_reset"), {"email": viewer.email}, REMOTE_ADDR="192.0.2.7"
    )
    assert other.status_code == 302 and len(mail.outbox) == 1


def test_the_reset_link_uses_site_url_not_the_requests_host(viewer, client, settings):
    """I3: a forged Host header must not end up in the link."""
    settings.SITE_URL = "https://leitwerk.example.de"
    _request_link(client, viewer.email)
    assert "https://leitwerk.example.de/konto/passwort-neu/" in mail.outbox[0].body
    assert "testserver" not in mail.outbox[0].body
