"""The UI shell: home, municipality switcher, health check, error pages, accessible markup."""

import pytest
from django.urls import reverse

from leitwerk.municipalities.models import Role
from leitwerk.municipalities.selectors import SESSION_KEY
from leitwerk.municipalities.tests.factories import MembershipFactory, MunicipalityFactory
from leitwerk.plans.tests.factories import ActionPlanFactory


def test_healthz_answers_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_home_shows_municipality_and_plans(viewer, musterstadt, client_for):
    ActionPlanFactory(municipality=musterstadt, title="Aktionsplan Verwaltung 2030")
    html = client_for(viewer).get(reverse("home")).content.decode()
    assert "Musterstadt" in html
    assert "Aktionsplan Verwaltung 2030" in html


@pytest.mark.django_db
def test_home_explains_when_the_person_has_no_municipality(client_for):
    from leitwerk.accounts.tests.factories import UserFactory

    html = client_for(UserFactory()).get(reverse("home")).content.decode()
    assert "noch keiner Kommune zugeordnet" in html


@pytest.mark.django_db
def test_base_layout_is_accessible(viewer, client_for):
    html = client_for(viewer).get(reverse("home")).content.decode()
    assert '<html lang="de">' in html
    assert 'href="#inhalt"' in html and 'id="inhalt"' in html
    assert "<header" in html and "<main" in html and "<footer" in html and "<nav" in html
    assert html.count("<h1") == 1
    assert "https://" not in html.split("</head>")[0], "no CDN in <head>"


@pytest.mark.django_db
def test_lifecycle_navigation_links_built_stages_and_marks_the_rest(viewer, client_for):
    html = client_for(viewer).get(reverse("guidelines:list")).content.decode()
    assert f'href="{reverse("guidelines:list")}" aria-current="page"' in html
    assert f'href="{reverse("plans:list")}"' in html
    for label in ["Leitbild", "Ziele", "Hemmnisse", "Prioritäten", "Aktionsplan", "Controlling"]:
        assert label in html
    assert "in Vorbereitung" in html or "Netzwerk</a>" in html


@pytest.mark.django_db
def test_switcher_appears_only_with_several_memberships(viewer, musterstadt, client_for):
    client = client_for(viewer)
    assert 'name="municipality"' not in client.get(reverse("home")).content.decode()
    MembershipFactory(user=viewer, municipality=MunicipalityFactory(name="Nachbarstadt"))
    html = client.get(reverse("home")).content.decode()
    assert 'name="municipality"' in html and "Nachbarstadt" in html


@pytest.mark.django_db
def test_switching_to_an_own_municipality_changes_the_header(viewer, client_for):
    other = MunicipalityFactory(name="Nachbarstadt")
    MembershipFactory(user=viewer, municipality=other, role=Role.VIEWER)
    client = client_for(viewer)
    response = client.post(
        reverse("municipalities:switch"),
        {"municipality": other.pk, "next": reverse("plans:list")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("plans:list")
    assert client.session[SESSION_KEY] == other.pk
    assert "Übersicht für Nachbarstadt" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_switcher_refuses_foreign_municipalities_and_external_redirects(
    viewer, other_town, client_for
):
    client = client_for(viewer)
    response = client.post(
        reverse("municipalities:switch"),
        {"municipality": other_town.pk, "next": "https://example.com/"},
    )
    assert response["Location"] == reverse("home")
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_switcher_accepts_only_post(viewer, client_for):
    assert client_for(viewer).get(reverse("municipalities:switch")).status_code == 405


@pytest.mark.django_db
def test_404_page_is_german_and_friendly(viewer, client_for):
    response = client_for(viewer).get(reverse("plans:detail", args=[999_999]))
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_500_page_renders_without_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Ein Fehler ist aufgetreten" in html and 'lang="de"' in html


@pytest.mark.django_db
def test_a_browser_asking_for_english_gets_the_complete_german_page(viewer, client_for):
    """A half-translated English UI ("Stand: 4. December 2026") is gone: German throughout."""
    client = client_for(viewer)
    html = client.get(reverse("plans:list"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="de">' in html
    assert "Zum Inhalt springen" in html and "Aktionspläne" in html
    assert "English" not in html and 'name="language"' not in html
