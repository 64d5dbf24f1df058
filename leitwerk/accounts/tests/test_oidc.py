"""Single sign-on through a municipality's identity provider, against a real OpenID Connect
provider (django-oauth-toolkit in its own process on a loopback port, `oidc_provider/`).

The browser's part is played by the Django test client (Leitwerk) and a requests.Session (the
provider's login form); Leitwerk itself fetches discovery, tokens, userinfo and the signing
keys from the provider over real HTTP.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import NoReverseMatch, reverse

from leitwerk.accounts.models import IdentityProvider, User
from leitwerk.accounts.tests.factories import SuperUserFactory, UserFactory
from leitwerk.core.models import AuditLogEntry
from leitwerk.municipalities.models import Membership, Role
from leitwerk.municipalities.selectors import SESSION_KEY
from leitwerk.municipalities.services import OidcSignInDenied, user_sign_in_from_oidc
from leitwerk.municipalities.tests.factories import MembershipFactory
from leitwerk.testing.oidc_provider import running_identity_provider

CLIENT_ID = "leitwerk-musterstadt"
CLIENT_SECRET = "op-test-secret-" + "z" * 30
SECRET_ENV = "LEITWERK_OIDC_SECRET_MUSTERSTADT"
REDIRECT_URI = "http://testserver/konto/oidc/musterstadt/login/callback/"
ALICE_PASSWORD = "alice-im-verzeichnis"
GROUP_ROLES = {
    "leitwerk-strategie": Role.STRATEGY,
    "leitwerk-lesen": Role.VIEWER,
    "/verwaltung/leitwerk-rat": Role.COUNCIL,
}


@pytest.fixture(scope="module")
def identity_provider(tmp_path_factory):
    """The Verwaltung's identity provider, running until the module's tests are done."""
    with running_identity_provider(
        tmp_path_factory.mktemp("op"),
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uri=REDIRECT_URI,
        users={"alice": ["alice@musterstadt.de", ALICE_PASSWORD]},
    ) as provider:
        yield provider


def _musterstadt_config(musterstadt, issuer: str) -> IdentityProvider:
    return IdentityProvider.objects.create(
        municipality=musterstadt,
        slug="musterstadt",
        name="Stadtverwaltung Musterstadt",
        issuer=issuer,
        client_id=CLIENT_ID,
        secret_env=SECRET_ENV,
        scopes="openid profile email groups",
        groups_claim="groups",
        group_roles={group: str(role) for group, role in GROUP_ROLES.items()},
        email_domains="musterstadt.de",
    )


@pytest.fixture
def musterstadt_sso(identity_provider, musterstadt, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, CLIENT_SECRET)
    return _musterstadt_config(musterstadt, identity_provider.issuer)


def _through_provider(start: str, password: str = ALICE_PASSWORD) -> str:
    """The browser at the provider: log in with its form, authorize; returns the callback URL."""
    browser = requests.Session()
    browser.trust_env = False
    response = browser.get(start, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text[:500]
    login_url = requests.compat.urljoin(start, response.headers["Location"])
    form = browser.get(login_url, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    next_url = re.search(r'name="next" value="([^"]+)"', form.text).group(1).replace("&amp;", "&")
    response = browser.post(
        login_url,
        data={
            "csrfmiddlewaretoken": token,
            "username": "alice",
            "password": password,
            "next": next_url,
        },
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, "the provider refused the password"
    authorize = requests.compat.urljoin(login_url, response.headers["Location"])
    response = browser.get(authorize, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text[:500]
    return response.headers["Location"]


def _sign_in(client, provider_id: str = "musterstadt", tamper=None):
    """Leitwerk's button → provider → back to Leitwerk's callback; returns the final response."""
    response = client.post(
        reverse("openid_connect_login", kwargs={"provider_id": provider_id}),
        {"next": "/arbeitsbereich/plaene/"},
    )
    assert response.status_code == 302, response.content[:500]
    callback = urlsplit(_through_provider(response["Location"]))
    assert f"{callback.scheme}://{callback.netloc}{callback.path}" == REDIRECT_URI
    query = dict(parse_qsl(callback.query))
    if tamper:
        query = tamper(query)
    return client.get(f"{callback.path}?{urlencode(query)}")


def _roles(user, municipality) -> set[str]:
    return set(
        Membership.objects.filter(user=user, municipality=municipality).values_list(
            "role", flat=True
        )
    )


@pytest.mark.django_db
def test_login_page_offers_the_verwaltung_of_each_configured_municipality(
    musterstadt, other_town, client
):
    _musterstadt_config(musterstadt, "https://login.musterstadt.de/realms/verwaltung")
    IdentityProvider.objects.create(
        municipality=other_town,
        slug="fremdstadt",
        name="Fremdstadt",
        issuer="https://login.fremdstadt.example/realms/fremd",
        client_id="x",
        secret_env="LEITWERK_OIDC_SECRET_FREMDSTADT",
        email_domains="fremdstadt.example",
        enabled=False,
    )
    response = client.get(reverse("accounts:login"))
    page = response.content.decode()
    assert "Mit dem Konto Ihrer Verwaltung anmelden (Musterstadt)" in page
    assert reverse("openid_connect_login", kwargs={"provider_id": "musterstadt"}) in page
    assert "Fremdstadt" not in page  # switched off
    # The button's form answers with a redirect to the provider: the CSP must let it go there.
    form_action = next(
        part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.split()[:1] == ["form-action"]
    )
    assert "https://login.musterstadt.de" in form_action
    assert "https://login.fremdstadt.example" not in form_action


@pytest.mark.slow
@pytest.mark.django_db
def test_sign_in_gives_the_mapped_roles_in_that_municipality_only(
    identity_provider, musterstadt_sso, musterstadt, other_town, client
):
    alice = UserFactory(email="alice@musterstadt.de")
    MembershipFactory(user=alice, municipality=other_town, role=Role.COUNCIL)
    identity_provider.set_groups("alice", ["leitwerk-strategie", "leitwerk-lesen", "kantine"])

    response = _sign_in(client)

    assert response.status_code == 302, response.content.decode()[-1500:]
    assert response["Location"] == "/arbeitsbereich/plaene/"
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert client.session[SESSION_KEY] == musterstadt.pk
    assert _roles(alice, musterstadt) == {Role.STRATEGY, Role.VIEWER}
    assert _roles(alice, other_town) == {Role.COUNCIL}  # another municipality: untouched
    entry = AuditLogEntry.objects.get(action="membership.sync_from_oidc")
    assert entry.municipality == musterstadt
    assert entry.data["added"] == [Role.STRATEGY, Role.VIEWER]


@pytest.mark.slow
@pytest.mark.django_db
def test_new_person_is_created_without_password_and_loses_roles_whose_group_vanished(
    identity_provider, musterstadt_sso, musterstadt
):

    identity_provider.set_groups("alice", ["leitwerk-strategie", "/verwaltung/leitwerk-rat"])
    assert _sign_in(Client()).status_code == 302
    alice = User.objects.get(email="alice@musterstadt.de")
    assert not alice.has_usable_password()
    assert _roles(alice, musterstadt) == {Role.STRATEGY, Role.COUNCIL}

    identity_provider.set_groups("alice", ["/verwaltung/leitwerk-rat"])
    second = Client()
    assert _sign_in(second).status_code == 302
    assert second.session["_auth_user_id"] == str(alice.pk)
    assert _roles(alice, musterstadt) == {Role.COUNCIL}
    assert User.objects.filter(email="alice@musterstadt.de").count() == 1


@pytest.mark.slow
@pytest.mark.django_db
def test_without_a_mapped_group_sign_in_is_refused_in_german_and_roles_are_removed(
    identity_provider, musterstadt_sso, musterstadt, other_town, client
):
    alice = UserFactory(email="alice@musterstadt.de")
    MembershipFactory(user=alice, municipality=musterstadt, role=Role.VIEWER)
    MembershipFactory(user=alice, municipality=other_town, role=Role.VIEWER)
    identity_provider.set_groups("alice", ["kantine"])

    response = _sign_in(client)

    assert response.status_code == 403
    assert "keiner Rolle in Leitwerk zugeordnet" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _roles(alice, musterstadt) == set()
    assert _roles(alice, other_town) == {Role.VIEWER}


@pytest.mark.slow
@pytest.mark.django_db
def test_tampered_state_is_rejected(identity_provider, musterstadt_sso, client):
    identity_provider.set_groups("alice", ["leitwerk-lesen"])

    response = _sign_in(client, tamper=lambda q: {**q, "state": q["state"][:-2] + "xx"})

    assert response.status_code == 401
    assert "Die Anmeldung über Ihre Verwaltung hat nicht geklappt" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="alice@musterstadt.de").exists()


@pytest.mark.slow
@pytest.mark.django_db
def test_callback_from_another_browser_session_is_rejected(
    identity_provider, musterstadt_sso, client
):
    # The login was started in one browser; an attacker replays the callback in another.
    identity_provider.set_groups("alice", ["leitwerk-lesen"])
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": "musterstadt"}))
    callback = urlsplit(_through_provider(response["Location"]))
    attacker = Client()

    response = attacker.get(f"{callback.path}?{callback.query}")

    assert response.status_code == 401
    assert "_auth_user_id" not in attacker.session


@pytest.mark.slow
@pytest.mark.django_db
def test_provider_with_another_issuer_than_configured_is_rejected(
    identity_provider, musterstadt_sso, client
):
    # Reached under another name, the provider names its real issuer: not the one configured.
    musterstadt_sso.issuer = f"http://localhost:{identity_provider.port}/o"
    musterstadt_sso.save()
    identity_provider.set_groups("alice", ["leitwerk-lesen"])

    response = _sign_in(client)

    assert response.status_code == 401
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="alice@musterstadt.de").exists()


# ---- Without the provider process: the rules of the sign-in service ----


def _service(musterstadt, **overrides):
    arguments = {
        "municipality": musterstadt,
        "provider": "musterstadt",
        "claims": {"email": "bob@musterstadt.de"},
        "groups": ["leitwerk-lesen"],
        "group_roles": {"leitwerk-lesen": "viewer"},
        "email_domains": {"musterstadt.de"},
    }
    return user_sign_in_from_oidc(**{**arguments, **overrides})


@pytest.mark.django_db
def test_an_address_outside_the_municipalitys_domains_is_refused(musterstadt, other_town):
    # Musterstadt's identity provider cannot take over a Fremdstadt person's account.
    victim = UserFactory(email="chef@fremdstadt.example")
    MembershipFactory(user=victim, municipality=other_town, role=Role.ADMIN)
    with pytest.raises(OidcSignInDenied, match="nicht zu den Adressen"):
        _service(musterstadt, claims={"email": "chef@fremdstadt.example"})
    assert _roles(victim, musterstadt) == set()


@pytest.mark.django_db
def test_accounts_with_django_admin_rights_cannot_sign_in_through_the_provider(musterstadt):
    SuperUserFactory(email="bob@musterstadt.de")
    with pytest.raises(OidcSignInDenied, match="Passwort an"):
        _service(musterstadt)


@pytest.mark.django_db
def test_unit_editor_group_names_its_unit(musterstadt, editor_unit):
    user = _service(
        musterstadt,
        groups=["fb3"],
        group_roles={"fb3": f"unit_editor:{editor_unit.code}"},
    )
    membership = Membership.objects.get(user=user, municipality=musterstadt)
    assert (membership.role, membership.unit) == (Role.UNIT_EDITOR, editor_unit)


@pytest.mark.django_db
def test_identity_provider_config_names_unknown_roles_in_german(musterstadt):
    from django.core.exceptions import ValidationError

    row = IdentityProvider(
        municipality=musterstadt,
        slug="musterstadt",
        name="Stadtverwaltung",
        issuer="https://login.musterstadt.de/realms/verwaltung",
        client_id="leitwerk",
        secret_env="LEITWERK_OIDC_SECRET_MUSTERSTADT",
        group_roles={"chefs": "boss"},
        email_domains="",
    )
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "Unbekannte Rolle bei chefs → boss" in str(error.value)
    assert "mindestens eine E-Mail-Domain" in str(error.value)


def test_allauth_signup_and_email_pages_are_not_routed():
    for name in ["account_signup", "account_reset_password", "account_email", "mfa_index"]:
        with pytest.raises(NoReverseMatch):
            reverse(name)
    # allauth's sign-in pages are Leitwerk's, under the paths people know.
    assert reverse("account_login") == reverse("accounts:login") == "/konto/anmelden/"
    assert reverse("mfa_authenticate") == reverse("accounts:2fa_verify")
    assert reverse("account_reauthenticate") == reverse("accounts:reauth")


@pytest.mark.slow
@pytest.mark.django_db
def test_an_admin_signing_in_through_the_provider_gives_the_code_before_login(
    identity_provider, musterstadt_sso, musterstadt, other_town, client, enforce
):
    # allauth's code step runs for single sign-on too (B5): an admin (here of another town)
    # with an app is not signed in until the code is given.
    from leitwerk.accounts.tests.signin import app_for, code

    alice = UserFactory(email="alice@musterstadt.de")
    MembershipFactory(user=alice, municipality=other_town, role=Role.ADMIN)
    app = app_for(alice)
    identity_provider.set_groups("alice", ["leitwerk-lesen"])

    response = _sign_in(client)

    assert response["Location"] == reverse("accounts:2fa_verify")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("accounts:2fa_verify"), {"code": code(app)})
    assert response["Location"] == "/arbeitsbereich/plaene/"
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert client.get(reverse("accounts:account")).status_code == 200
