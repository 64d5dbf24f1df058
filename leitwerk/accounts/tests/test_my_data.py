"""„Meine Daten“ from „Mein Konto“: a person downloads what is stored about them."""

from __future__ import annotations

import json

from django.urls import reverse


def test_mein_konto_links_the_download_and_the_api_tokens(council_member, client_for):
    page = client_for(council_member).get(reverse("accounts:account")).content.decode()
    assert reverse("accounts:my_data") in page
    assert reverse("api_tokens:list") in page


def test_the_download_holds_the_person_and_their_roles_of_every_town(
    council_member, client_for, other_town
):
    from leitwerk.municipalities.models import Role
    from leitwerk.municipalities.tests.factories import MembershipFactory

    MembershipFactory(user=council_member, municipality=other_town, role=Role.VIEWER)
    response = client_for(council_member).get(reverse("accounts:my_data"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "rat@musterstadt.test"
    assert {m["municipality"] for m in data["memberships"]} == {"musterstadt", "fremdstadt"}
    assert "password" not in response.content.decode().lower().replace("has_usable_password", "")
