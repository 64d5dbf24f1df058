"""A signed-in request reads the person from the shared cache, and every change to the person,
their roles, their second factor or a municipality counts from the very next request on
(issue 21, accounts/signin_cache.py). The test settings run with the cache switched on."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leitwerk.accounts.privacy import end_sessions
from leitwerk.accounts.services import person_deactivate, person_roles_set
from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.municipalities.models import Membership, Role
from leitwerk.municipalities.tests.factories import MembershipFactory

SIGN_IN_TABLES = ('"django_session"', '"accounts_user"', '"municipalities_membership"')
SIGN_IN_TABLES += ('"mfa_authenticator"', '"municipalities_municipality"')


def _sign_in_reads(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT")
        and any(f"FROM {table}" in q["sql"] for table in SIGN_IN_TABLES)
    ]


def _signed_in(client: Client) -> bool:
    response = client.get(reverse("accounts:account"))
    return response.status_code == 200


@pytest.fixture
def second_admin(musterstadt):
    user = UserFactory(email="zweite@musterstadt.test")
    MembershipFactory(user=user, municipality=musterstadt, role=Role.ADMIN)
    return user


def test_a_signed_in_page_reads_session_person_roles_and_towns_once_then_from_the_cache(
    viewer, client_for
):
    client = client_for(viewer)
    url = reverse("home")
    first = _sign_in_reads(client, url)
    assert first, "the first request reads the sign-in rows"
    assert _sign_in_reads(client, url) == []


def test_a_deactivated_person_is_signed_out_on_the_next_request(
    admin_user, viewer, client_for, musterstadt
):
    client = client_for(viewer)
    assert _signed_in(client)
    person_deactivate(municipality=musterstadt, user=viewer, actor=admin_user)
    assert not _signed_in(client)
    assert client.get(reverse("accounts:account")).status_code == 302


def test_an_account_locked_in_the_admin_is_signed_out_on_the_next_request(viewer, client_for):
    client = client_for(viewer)
    assert _signed_in(client)
    viewer.is_active = False
    viewer.save(update_fields=["is_active"])
    assert not _signed_in(client)


def test_a_removed_admin_role_closes_the_people_page_on_the_next_request(
    admin_user, second_admin, client_for, musterstadt
):
    client = client_for(second_admin)
    people = reverse("people:list")
    assert client.get(people).status_code == 200
    person_roles_set(
        municipality=musterstadt, user=second_admin, roles=[Role.VIEWER], actor=admin_user
    )
    assert client.get(people).status_code in (403, 404)


def test_a_membership_deleted_outside_the_services_ends_access_on_the_next_request(
    second_admin, client_for
):
    client = client_for(second_admin)
    people = reverse("people:list")
    assert client.get(people).status_code == 200
    Membership.objects.filter(user=second_admin).across_municipalities().delete()
    assert client.get(people).status_code != 200


def test_a_password_change_signs_out_the_other_sessions_on_their_next_request(viewer, client_for):
    elsewhere = client_for(viewer)
    assert _signed_in(elsewhere)
    viewer.set_password("ein-ganz-neues-Passwort-2026")
    viewer.save()
    assert not _signed_in(elsewhere)


def test_signing_out_everywhere_ends_a_session_kept_in_the_cache(viewer, client_for):
    client = client_for(viewer)
    assert _signed_in(client)
    end_sessions(viewer)
    assert not _signed_in(client)


def test_signing_out_ends_the_session_on_the_server_and_in_the_cache(viewer, client_for):
    client = client_for(viewer)
    assert _signed_in(client)
    cookie = client.cookies["sessionid"].value
    client.post(reverse("accounts:logout"))
    replay = Client()
    replay.cookies["sessionid"] = cookie
    assert not _signed_in(replay)


def test_a_session_survives_an_empty_cache_like_a_restart(viewer, client_for):
    client = client_for(viewer)
    assert _signed_in(client)
    cache.clear()
    assert _signed_in(client)
    assert Session.objects.exists()


@override_settings(LEITWERK_2FA_ENFORCE_ALL_SESSIONS=True)
def test_a_second_factor_set_up_elsewhere_is_asked_for_on_the_next_request(viewer, client_for):
    client = client_for(viewer)
    assert _signed_in(client)
    Authenticator.objects.create(
        user=viewer, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:2fa_verify")


def test_a_renamed_municipality_shows_its_new_name_on_the_next_request(
    viewer, client_for, musterstadt
):
    client = client_for(viewer)
    assert "Musterstadt" in client.get(reverse("accounts:account")).content.decode()
    musterstadt.name = "Neustadt am Kanal"
    musterstadt.save()
    assert "Neustadt am Kanal" in client.get(reverse("accounts:account")).content.decode()


def test_a_person_with_a_new_role_elsewhere_can_switch_to_that_town_at_once(
    viewer, client_for, other_town
):
    client = client_for(viewer)
    assert "Fremdstadt" not in client.get(reverse("accounts:account")).content.decode()
    MembershipFactory(user=viewer, municipality=other_town, role=Role.VIEWER)
    assert "Fremdstadt" in client.get(reverse("accounts:account")).content.decode()


@override_settings(LEITWERK_SIGNIN_CACHE=False)
def test_without_the_cache_every_request_reads_the_sign_in_rows(viewer, client_for):
    client = client_for(viewer)
    url = reverse("accounts:account")
    client.get(url)
    assert _sign_in_reads(client, url)
