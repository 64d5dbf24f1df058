import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from leitwerk.accounts.tests.factories import DEFAULT_PASSWORD


@pytest.mark.django_db
def test_login_page_is_german_with_labelled_fields(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Anmelden" in html
    assert '<label for="id_login">' in html and 'id="id_login"' in html
    assert '<label for="id_password">' in html and 'autocomplete="current-password"' in html


@pytest.mark.django_db
def test_login_with_email_leads_home(viewer, client):
    response = client.post(
        reverse("accounts:login"), {"login": viewer.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")


@pytest.mark.django_db
def test_wrong_password_shows_a_german_error(viewer, client):
    response = client.post(reverse("accounts:login"), {"login": viewer.email, "password": "x"})
    assert response.status_code == 200
    assert "Die Anmeldung hat nicht geklappt" in response.content.decode()


@pytest.mark.django_db
def test_logout_by_post_signs_out(viewer, client_for):
    client = client_for(viewer)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert client.get(reverse("home")).status_code == 302


# ------------------------------------------------------------ session timeout (H6, WCAG 2.2.1)

SIGNED_IN_AT = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _session_ends(html: str) -> int:
    found = re.search(r'data-session-ends="(\d+)"', html)
    assert found, "Hinweis auf das Ende der Anmeldung fehlt"
    return int(found.group(1))


@pytest.fixture
def late_session(viewer, client_for):
    """Signed in at 08:00; it is now 15:59, two minutes before the end of the 8-hour sign-in."""
    with time_machine.travel(SIGNED_IN_AT, tick=False) as traveller:
        client = client_for(viewer)
        traveller.move_to(SIGNED_IN_AT + dt.timedelta(hours=7, minutes=58))
        yield client


@pytest.mark.django_db
def test_every_page_offers_to_extend_the_session(late_session):
    page = reverse("plans:list")
    html = late_session.get(page).content.decode()
    assert _session_ends(html) == int((SIGNED_IN_AT + dt.timedelta(hours=8)).timestamp())
    forms = re.findall(
        rf'<form method="post" action="{reverse("accounts:session_extend")}"[^>]*>(.*?)</form>',
        html,
        re.S,
    )
    assert len(forms) == 2, "in the warning and, for pages without JavaScript, in the footer"
    for form in forms:
        assert 'name="csrfmiddlewaretoken"' in form
        assert f'name="next" value="{page}"' in form
        assert "Sitzung verlängern</button>" in form


@pytest.mark.django_db
def test_extending_without_javascript_returns_to_the_page_with_a_new_end(late_session):
    page = reverse("plans:list")
    response = late_session.post(reverse("accounts:session_extend"), {"next": page})
    assert response.status_code == 302 and response["Location"] == page
    html = late_session.get(page).content.decode()
    new_end = SIGNED_IN_AT + dt.timedelta(hours=7, minutes=58) + dt.timedelta(hours=8)
    assert _session_ends(html) == int(new_end.timestamp())
    assert "Ihre Anmeldung ist verlängert" in html
    # Three hours after the old end the person is still signed in.
    with time_machine.travel(SIGNED_IN_AT + dt.timedelta(hours=11), tick=False):
        assert late_session.get(page).status_code == 200


@pytest.mark.django_db
def test_without_extending_the_sign_in_ends(late_session):
    with time_machine.travel(SIGNED_IN_AT + dt.timedelta(hours=8, minutes=1), tick=False):
        response = late_session.get(reverse("plans:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_extending_with_javascript_answers_the_new_end(late_session):
    response = late_session.post(
        reverse("accounts:session_extend"),
        {"next": reverse("plans:list")},
        headers={"Accept": "application/json"},
    )
    new_end = SIGNED_IN_AT + dt.timedelta(hours=15, minutes=58)
    assert response.json() == {"signed_in": True, "ends_at": int(new_end.timestamp())}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/plans/", "javascript:alert(1)", ""]
)
def test_extending_never_redirects_to_another_site(late_session, target):
    response = late_session.post(reverse("accounts:session_extend"), {"next": target})
    assert response.status_code == 302 and response["Location"] == reverse("home")


@pytest.mark.django_db
def test_extending_needs_a_post_with_csrf_token(viewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(viewer)
    assert client.get(reverse("accounts:session_extend")).status_code == 405
    assert client.post(reverse("accounts:session_extend"), {"next": "/"}).status_code == 403


@pytest.mark.django_db
def test_extending_after_the_end_leads_to_the_sign_in_and_back(client):
    page = reverse("plans:list")
    response = client.post(reverse("accounts:session_extend"), {"next": page})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={page}"
