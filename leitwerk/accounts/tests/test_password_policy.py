"""B2: password policy – at least 12 characters, long passphrases work, common ones refused."""

from __future__ import annotations

import gzip
from pathlib import Path

import django.contrib.auth
import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.accounts.tests.signin import password_step, signed_in

pytestmark = pytest.mark.django_db


def _errors(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return list(error.messages)
    return []


def test_twelve_characters_are_accepted_eleven_are_not():
    """Catalogue row B2."""
    assert _errors("wald see ber") == []  # 12, lower case and spaces only: no composition rules
    messages = _errors("wald see be")  # 11
    assert messages and "12" in messages[0]


@pytest.mark.parametrize("length", [64, 128, 256])
def test_long_passphrases_are_accepted_and_sign_in(client, length):
    """Catalogue row B2."""
    password = ("Die Amsel singt am Rathaus " * 10)[:length]
    assert len(password) == length and _errors(password) == []
    user = UserFactory(email=f"lang{length}@musterstadt.test", password=password)
    assert password_step(client, user.email, password)["Location"] == reverse("home")
    assert signed_in(client)


def test_more_than_256_characters_are_refused_in_german():
    """Catalogue row B2."""
    messages = _errors("x7" * 129)
    assert any("höchstens 256 Zeichen" in m for m in messages)


def test_the_3000_most_common_passwords_are_refused():
    """Catalogue row B2."""
    listing = Path(django.contrib.auth.__file__).parent / "common-passwords.txt.gz"
    with gzip.open(listing, "rt") as lines:
        top = [line.strip() for _, line in zip(range(3000), lines, strict=False)]
    assert len(top) == 3000
    accepted = [p for p in top if not _errors(p)]
    assert accepted == []


def test_a_password_like_the_email_address_is_refused():
    """Catalogue row B2."""
    user = UserFactory.build(email="sabine.steuermann@musterstadt.test")
    assert _errors("sabine.steuermann", user)


def test_password_fields_allow_pasting(admin_user, client_for, client):
    # No onpaste/autocomplete="off" tricks: password managers must work.
    """Catalogue row B2."""
    pages = [
        (client_for(admin_user), reverse("accounts:password_change"), "new-password"),
        (client, reverse("accounts:login"), "current-password"),
    ]
    for browser, url, autocomplete in pages:
        html = browser.get(url).content.decode()
        assert "onpaste" not in html and 'autocomplete="off"' not in html
        assert f'autocomplete="{autocomplete}"' in html
