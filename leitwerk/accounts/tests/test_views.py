import pytest
from django.urls import reverse

from leitwerk.accounts.tests.factories import DEFAULT_PASSWORD


@pytest.mark.django_db
def test_login_page_is_german_with_labelled_fields(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Anmelden" in html
    assert '<label for="id_username">' in html and 'id="id_username"' in html
    assert '<label for="id_password">' in html and 'autocomplete="current-password"' in html


@pytest.mark.django_db
def test_login_with_email_leads_home(viewer, client):
    response = client.post(
        reverse("accounts:login"), {"username": viewer.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


@pytest.mark.django_db
def test_wrong_password_shows_a_german_error(viewer, client):
    response = client.post(reverse("accounts:login"), {"username": viewer.email, "password": "x"})
    assert response.status_code == 200
    assert "Die Anmeldung hat nicht geklappt" in response.content.decode()


@pytest.mark.django_db
def test_logout_by_post_signs_out(viewer, client_for):
    client = client_for(viewer)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert client.get(reverse("core:home")).status_code == 302
