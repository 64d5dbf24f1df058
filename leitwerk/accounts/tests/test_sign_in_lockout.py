"""B3: brute force and enumeration – django-axes locks an e-mail + IP pair after 10 failures."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import RequestFactory
from django.urls import reverse

from leitwerk.accounts.signals import client_ip
from leitwerk.accounts.tests.signin import password_step, signed_in, without_csrf
from leitwerk.core.models import AuditLogEntry

pytestmark = pytest.mark.django_db

LIMIT = 10
START = 1_780_000_000.0


def _fail(client, email: str, times: int, **extra) -> list:
    return [password_step(client, email, "falsches-Passwort-1", **extra) for _ in range(times)]


def test_settings_lock_an_email_and_ip_pair_after_ten_failures_for_15_minutes(settings):
    """Catalogue row B3."""
    assert settings.AXES_ENABLED is True
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_twenty_wrong_passwords_lock_the_account_with_a_german_page(viewer, client):
    """Catalogue row B3."""
    with time_machine.travel(START, tick=False):
        responses = _fail(client, viewer.email, 20)
        assert [r.status_code for r in responses[: LIMIT - 1]] == [200] * (LIMIT - 1)
        assert {r.status_code for r in responses[LIMIT - 1 :]} == {429}
        html = responses[-1].content.decode()
        assert "Anmeldung vorübergehend gesperrt" in html and "15 Minuten" in html
        # Even the right password does not help while the lock lasts.
        assert password_step(client, viewer.email).status_code == 429
        assert not signed_in(client)
    assert AuditLogEntry.objects.filter(action="accounts.lockout").exists()
    assert AuditLogEntry.objects.filter(action="accounts.login_failed").count() >= LIMIT


def test_the_lock_ends_after_the_cool_off(viewer, client):
    """Catalogue row B3."""
    with time_machine.travel(START, tick=False) as traveller:
        _fail(client, viewer.email, LIMIT)
        assert password_step(client, viewer.email).status_code == 429
        traveller.shift(16 * 60)
        assert password_step(client, viewer.email)["Location"] == reverse("home")


def test_case_of_the_address_does_not_give_new_tries(viewer, client):
    """Catalogue row B3."""
    with time_machine.travel(START, tick=False):
        _fail(client, viewer.email.upper(), LIMIT)
        assert password_step(client, viewer.email).status_code == 429


def test_the_lock_is_per_address_pair_not_for_the_whole_town_hall(
    viewer, strategy_user, client, client_factory
):
    """Catalogue row B3."""
    with time_machine.travel(START, tick=False):
        _fail(client, viewer.email, LIMIT)
        # Same NAT address, another colleague: not locked.
        assert password_step(client, strategy_user.email)["Location"] == reverse("home")
        # The same person from another address: not locked either.
        other = client_factory()
        response = password_step(other, viewer.email, REMOTE_ADDR="10.0.0.8")
        assert response["Location"] == reverse("home")


def test_many_accounts_three_tries_each_from_one_address_are_not_locked(client):
    # 20 accounts x 3 tries: under the per-pair limit, by design (shared municipal NAT).
    """Catalogue row B3."""
    with time_machine.travel(START, tick=False):
        codes = {
            password_step(client, f"p{i}@musterstadt.test", "falsch-falsch-1").status_code
            for i in range(20)
            for _ in range(3)
        }
    assert codes == {200}


def test_wrong_password_and_unknown_address_look_the_same(viewer, client):
    """Catalogue row B3."""
    known = password_step(client, viewer.email, "falsches-Passwort-1")
    unknown_email = "x" * (len(viewer.email) - len("@musterstadt.test")) + "@musterstadt.test"
    assert len(unknown_email) == len(viewer.email)
    unknown = password_step(client, unknown_email, "falsches-Passwort-1")
    assert known.status_code == unknown.status_code == 200
    a = without_csrf(known.content.decode()).replace(viewer.email, "EMAIL")
    b = without_csrf(unknown.content.decode()).replace(unknown_email, "EMAIL")
    assert a == b
    assert len(known.content) == len(unknown.content)


def test_lockout_page_is_the_same_for_unknown_addresses(viewer, client):
    """Catalogue row B3."""
    with time_machine.travel(START, tick=False):
        known = _fail(client, viewer.email, LIMIT + 1)[-1]
        fake = "y" * (len(viewer.email) - len("@musterstadt.test")) + "@musterstadt.test"
        unknown = _fail(client, fake, LIMIT + 1)[-1]
    assert known.status_code == unknown.status_code == 429
    assert without_csrf(known.content.decode()) == without_csrf(unknown.content.decode())


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "192.0.2.1"),  # no proxy configured: X-Forwarded-For is ignored
        (1, "203.0.113.9", "203.0.113.9"),  # nginx appended the client it saw
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a spoofed entry on the left is ignored
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),  # load balancer + nginx
        (2, "203.0.113.9", "192.0.2.1"),  # fewer entries than proxies: REMOTE_ADDR
    ],
)
def test_client_address_behind_proxies(settings, proxies, forwarded, expected):
    """Catalogue row B3."""
    settings.LEITWERK_TRUSTED_PROXIES = proxies
    request = RequestFactory().post(
        "/konto/anmelden/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_ip(request) == expected


class CountingHasher(MD5PasswordHasher):
    """Counts the expensive calls; Argon2 costs the same per call whatever the outcome."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


def test_unknown_addresses_cost_one_password_hash_like_known_ones(viewer, client, settings):
    # Timing parity by construction: Django hashes the given password for unknown addresses
    # too, so the answer does not come back faster (measured figure in the report).
    """Catalogue row B3."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    viewer.set_password("Ein-langes-Passwort-2026")
    viewer.save()
    counts = {}
    for email in (viewer.email, "nobody@musterstadt.test"):
        CountingHasher.calls = 0
        password_step(client, email, "falsches-Passwort-1")
        counts[email] = CountingHasher.calls
    assert counts[viewer.email] == counts["nobody@musterstadt.test"] >= 1


def test_a_deactivated_account_looks_like_a_wrong_password(viewer, strategy_user, client):
    viewer.is_active = False
    viewer.save()
    inactive = password_step(client, viewer.email)  # the right password
    wrong = password_step(client, strategy_user.email, "falsches-Passwort-1")
    assert inactive.status_code == wrong.status_code == 200
    a = without_csrf(inactive.content.decode()).replace(viewer.email, "EMAIL")
    b = without_csrf(wrong.content.decode()).replace(strategy_user.email, "EMAIL")
    assert a == b
    assert not signed_in(client)


def test_password_spraying_from_one_address_hits_a_ceiling_across_names(
    viewer, client, client_factory, settings
):
    """L4: 27 wrong passwords across 3 accounts from one address locked nothing. Now one
    address has a ceiling across all names (default 100 per 15 minutes: a town hall's NAT)."""
    assert settings.LEITWERK_SIGNIN_FAILURES_PER_CLIENT == 100
    settings.LEITWERK_SIGNIN_FAILURES_PER_CLIENT = 12
    with time_machine.travel(START, tick=False) as traveller:
        codes = [
            password_step(client, f"p{i}@musterstadt.test", "falsch-falsch-1").status_code
            for i in range(4)
            for _ in range(3)
        ]
        assert codes == [200] * 12
        refused = password_step(client, viewer.email)
        assert refused.status_code == 429
        html = refused.content.decode()
        assert "Anmeldung vorübergehend gesperrt" in html and "verschiedene Zugänge" in html
        assert not signed_in(client)
        # Another address is not affected.
        other = client_factory()
        assert password_step(other, viewer.email, REMOTE_ADDR="10.0.0.8")["Location"] == (
            reverse("home")
        )
        traveller.shift(16 * 60)
        assert password_step(client, viewer.email)["Location"] == reverse("home")
    assert AuditLogEntry.objects.filter(action="accounts.lockout_client").count() == 1
