"""„Personen & Rollen“: the municipality's admin invites, changes roles and deactivates people."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leitwerk.accounts.models import Invitation, User
from leitwerk.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from leitwerk.api.models import ApiToken
from leitwerk.api.services import api_token_create
from leitwerk.core.models import AuditLogEntry
from leitwerk.municipalities.models import Membership, Role
from leitwerk.municipalities.tests.factories import MembershipFactory

NEW_PASSWORD = "Ein-langes-Passwort-2026!"


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks, monkeypatch):
    """Mails go out after the commit: run each request's on-commit callbacks right after it."""
    original = Client.request

    def request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


def _invite(client, **extra):
    data = {"email": "paula@musterstadt.test", "first_name": "Paula", "last_name": "Projekt"}
    data.update(extra)
    return client.post(reverse("people:invite"), data)


def _link_in_last_mail() -> str:
    match = re.search(r"/konto/einladung/\d+/[0-9a-f]+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


def test_the_admin_sees_everyone_of_the_municipality_with_their_roles(
    admin_user, strategy_user, council_member, other_town_admin, client_for
):
    page = client_for(admin_user).get(reverse("people:list"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "strategie@musterstadt.test" in text and "Stabsstelle Strategie" in text
    assert "Ratsmitglied" in text
    assert other_town_admin.email not in text


def test_the_search_finds_people_by_name_or_address(admin_user, strategy_user, client_for):
    page = client_for(admin_user).get(reverse("people:list"), {"q": "Strateg"})
    text = page.content.decode()
    assert "strategie@musterstadt.test" in text
    assert "admin@musterstadt.test" not in text


@pytest.mark.parametrize("persona", ["strategy_user", "viewer", "council_member"])
def test_only_the_admin_manages_people(persona, request, client_for):
    person = request.getfixturevalue(persona)
    client = client_for(person)
    assert client.get(reverse("people:list")).status_code == 403
    assert client.post(reverse("people:invite"), {"email": "x@y.de"}).status_code == 403
    assert not User.objects.filter(email="x@y.de").exists()


def test_an_invited_person_gets_a_link_sets_a_password_and_signs_in(
    admin_user, editor_unit, client_for, musterstadt
):
    response = _invite(client_for(admin_user), roles=[Role.PROJECT_LEAD], unit=editor_unit.pk)
    assert response.status_code == 302
    paula = User.objects.get(email="paula@musterstadt.test")
    assert not paula.has_usable_password()
    assert Membership.objects.get(user=paula, municipality=musterstadt).unit == editor_unit
    assert len(mail.outbox) == 1 and "72" not in mail.outbox[0].subject
    assert mail.outbox[0].to == ["paula@musterstadt.test"]
    link = _link_in_last_mail()

    anonymous = Client()
    page = anonymous.get(link)
    assert page.status_code == 200 and "Musterstadt" in page.content.decode()
    done = anonymous.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert "gilt nicht" in anonymous.get(link).content.decode()  # used once
    paula.refresh_from_db()
    assert paula.is_active and paula.check_password(NEW_PASSWORD)
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {"person.invite", "person.invitation_accept"} <= actions


def test_a_weak_password_is_refused_with_a_message_at_the_field(admin_user, client_for):
    _invite(client_for(admin_user), roles=[Role.VIEWER])
    page = Client().post(_link_in_last_mail(), {"password1": "kurz", "password2": "kurz"})
    assert page.status_code == 422
    assert 'id="id_password1-error"' in page.content.decode()
    assert not User.objects.get(email="paula@musterstadt.test").has_usable_password()


def test_the_link_expires_after_72_hours(admin_user, client_for):
    _invite(client_for(admin_user), roles=[Role.VIEWER])
    link = _link_in_last_mail()
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    page = Client().get(link).content.decode()
    assert "72 Stunden" in page and "Passwort speichern" not in page


def test_a_tampered_link_opens_nothing(admin_user, client_for):
    _invite(client_for(admin_user), roles=[Role.VIEWER])
    link = _link_in_last_mail()
    page = Client().post(
        link[:-5] + "0000/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert "gilt nicht" in page.content.decode()
    assert not User.objects.get(email="paula@musterstadt.test").has_usable_password()


def test_sending_again_makes_the_old_link_invalid(admin_user, client_for):
    client = client_for(admin_user)
    _invite(client, roles=[Role.VIEWER])
    old = _link_in_last_mail()
    paula = User.objects.get(email="paula@musterstadt.test")
    response = client.post(reverse("people:invitation_resend", args=[paula.pk]))
    assert response.status_code == 302
    new = _link_in_last_mail()
    assert new != old
    assert "gilt nicht" in Client().get(old).content.decode()
    assert "Passwort speichern" in Client().get(new).content.decode()


def test_unit_editor_without_a_unit_is_refused_naming_the_field(admin_user, client_for):
    page = _invite(client_for(admin_user), roles=[Role.UNIT_EDITOR])
    assert page.status_code == 422
    assert "braucht eine Organisationseinheit" in page.content.decode()
    assert not User.objects.filter(email="paula@musterstadt.test").exists()
    assert mail.outbox == []


def test_a_person_of_another_town_keeps_their_password_and_gets_a_second_role(
    admin_user, other_town_admin, client_for, other_town, musterstadt
):
    _invite(client_for(admin_user), email=other_town_admin.email, roles=[Role.COUNCIL])
    other_town_admin.refresh_from_db()
    assert other_town_admin.check_password(DEFAULT_PASSWORD)
    roles = set(Membership.objects.filter(user=other_town_admin).values_list("role", flat=True))
    assert roles == {Role.ADMIN, Role.COUNCIL}
    assert "Sie haben schon ein Konto" in mail.outbox[-1].body


def test_the_admin_changes_roles_and_the_audit_log_says_what_changed(
    admin_user, viewer, council_body, client_for, musterstadt
):
    response = client_for(admin_user).post(
        reverse("people:edit", args=[viewer.pk]),
        {"roles": [Role.COUNCIL, Role.VIEWER], "body": council_body.pk},
    )
    assert response.status_code == 302
    memberships = Membership.objects.filter(user=viewer, municipality=musterstadt)
    assert {m.role for m in memberships} == {Role.COUNCIL, Role.VIEWER}
    assert {m.body for m in memberships} == {council_body}
    entry = AuditLogEntry.objects.get(action="person.roles_change")
    assert entry.actor == admin_user and entry.municipality == musterstadt


def test_nobody_takes_away_the_last_admin_role(admin_user, client_for, musterstadt):
    page = client_for(admin_user).post(
        reverse("people:edit", args=[admin_user.pk]), {"roles": [Role.VIEWER]}
    )
    assert page.status_code == 422
    assert "einzige Administration" in page.content.decode()
    assert Membership.objects.filter(user=admin_user, role=Role.ADMIN).exists()


def test_a_second_admin_may_step_down(admin_user, client_for, musterstadt):
    deputy = UserFactory(email="vertretung@musterstadt.test")
    MembershipFactory(user=deputy, municipality=musterstadt, role=Role.ADMIN)
    response = client_for(admin_user).post(
        reverse("people:edit", args=[deputy.pk]), {"roles": [Role.VIEWER]}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(user=deputy, role=Role.ADMIN).exists()


def test_deactivating_ends_roles_sessions_and_tokens_but_keeps_authorship(
    admin_user, project_lead, led_initiative, client_for, musterstadt
):
    token, _raw = api_token_create(user=project_lead, municipality=musterstadt, name="Excel")
    lead_client = client_for(project_lead)
    assert lead_client.get(reverse("home")).status_code == 200
    assert Session.objects.count() >= 1

    page = client_for(admin_user).get(reverse("people:deactivate", args=[project_lead.pk]))
    assert page.status_code == 200
    response = client_for(admin_user).post(reverse("people:deactivate", args=[project_lead.pk]))
    assert response.status_code == 302
    project_lead.refresh_from_db()
    assert not project_lead.is_active
    assert not Membership.objects.filter(user=project_lead).exists()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    # Signed out: the old session now leads to the sign-in page.
    assert lead_client.get(reverse("home")).status_code == 302
    # Authorship stays: the Vorhaben still names the person.
    assert project_lead in led_initiative.responsible_people.all()
    assert AuditLogEntry.objects.filter(action="person.deactivate").exists()


def test_deactivating_here_leaves_the_account_of_another_town_usable(
    admin_user, other_town_admin, client_for, musterstadt
):
    MembershipFactory(user=other_town_admin, municipality=musterstadt, role=Role.VIEWER)
    client_for(admin_user).post(reverse("people:deactivate", args=[other_town_admin.pk]))
    other_town_admin.refresh_from_db()
    assert other_town_admin.is_active
    assert Membership.objects.filter(user=other_town_admin).across_municipalities().count() == 1


def test_the_admin_cannot_deactivate_themselves(admin_user, client_for):
    page = client_for(admin_user).post(reverse("people:deactivate", args=[admin_user.pk]))
    assert page.status_code == 409
    assert Membership.objects.filter(user=admin_user).exists()


def test_people_of_another_town_are_not_found(admin_user, other_town_admin, client_for):
    client = client_for(admin_user)
    assert client.get(reverse("people:edit", args=[other_town_admin.pk])).status_code == 404
    response = client.post(reverse("people:deactivate", args=[other_town_admin.pk]))
    assert response.status_code == 404
    other_town_admin.refresh_from_db()
    assert other_town_admin.is_active
