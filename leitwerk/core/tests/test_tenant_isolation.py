"""A person of Musterstadt sees no row of another municipality on any page.

Every URL pattern is taken from the resolver (`leitwerk.testing.routes`), so a new page is
covered the moment it is added: a pattern with parameters that FILLERS cannot fill fails the
test, with a hint where to add a filler. Fremdstadt's rows carry the canary tag in every text
field.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from leitwerk.municipalities.selectors import SESSION_KEY
from leitwerk.testing.portal import release_plans
from leitwerk.testing.routes import (
    CANARY,
    FILLERS,
    OWN_TAG,
    all_routes,
    body_text,
    is_public,
)
from leitwerk.testing.world import build_world

OWN_OK = {200, 302, 403, 405}
# Pages whose selector answers 404 for people without the right (missing and forbidden look
# alike): for such a person the own object is "not found" too; the admin run covers them.
ROLE_GATED = {"imports:run": "imports.run_import", "imports:preview": "imports.run_import"}
# The single sign-on callback answers 401 when no sign-in was started in this session (the
# state check of allauth): by design, and it shows no row.
# A notice is its recipient's alone: the crawl's own-town notice belongs to another person, so
# the signed-in person gets 404 there too (test_notices covers the recipient).
OWN_OK_FOR = {
    "openid_connect_callback": OWN_OK | {401},
    "controlling:notice_done": OWN_OK | {404},
}
# An API token is revoked only by its holder: the world's token is its person's, so the
# requester (another person of the same town) gets 404 there as well, by design.
OWN_OK_FOR["api_tokens:revoke"] = OWN_OK | {404}


@pytest.fixture
def worlds(musterstadt, other_town):
    own, other = build_world(musterstadt, OWN_TAG), build_world(other_town, CANARY)
    # Published on both sides, so the portal has own pages to show and a foreign public
    # Vorhaben would be a real leak, not one hidden by the public flag.
    for world in (own, other):
        for row in (world.plan, world.initiative, world.goal, world.indicator):
            row.public = True
            row.save()
        world.survey.status = "open"
        world.survey.save()
    release_plans(musterstadt, other_town)
    return own, other


@pytest.fixture(params=["admin_user", "viewer"])
def musterstadt_person(request):
    # The tenant admin has the widest rights inside the tenant; the viewer the narrowest.
    return request.getfixturevalue(request.param)


def test_every_route_has_a_name_and_a_filler():
    """Every pattern can be reversed, and every parameterised one has a filler here."""
    unknown = []
    for route in all_routes():
        if not route.name or route.name.endswith(":"):
            unknown.append(f"<unnamed pattern with {route.params}>")
        elif route.params and route.name not in FILLERS:
            unknown.append(route.name)
    assert not unknown, (
        "URL patterns the tenant isolation test cannot fill – add them to FILLERS in "
        f"leitwerk/testing/routes.py: {unknown}"
    )


def test_routes_are_enumerated():
    """The walk finds the pages of this shell, so the tests below are not vacuous."""
    names = {r.name for r in all_routes()}
    assert {"home", "guidelines:detail", "plans:initiative_detail"} <= names


@pytest.mark.django_db
def test_foreign_objects_answer_404_and_no_page_shows_a_canary(
    worlds, musterstadt_person, client_for
):
    own, other = worlds
    client = client_for(musterstadt_person)
    client.raise_request_exception = False  # collect every problem instead of stopping
    problems = []
    for route in all_routes():
        if route.params:
            if route.name not in FILLERS:
                continue  # reported by test_every_route_has_a_name_and_a_filler
            own_url = reverse(route.name, kwargs=FILLERS[route.name](own, own))
            foreign_url = reverse(route.name, kwargs=FILLERS[route.name](other, own))
            own_response = client.get(own_url)
            # Role rules differ per page (tested in each app); here the own object only has
            # to be found, so 403 (role) and 405 (POST only) count as found.
            gated = route.name in ROLE_GATED and not musterstadt_person.has_perm(
                ROLE_GATED[route.name], own.municipality
            )
            if own_response.status_code not in OWN_OK_FOR.get(route.name, OWN_OK) and not (
                gated and own_response.status_code == 404
            ):
                problems.append(f"{own_url}: own object answered {own_response.status_code}")
            bodies = [(own_url, own_response)]
            if foreign_url != own_url:
                response = client.get(foreign_url)
                if response.status_code != 404:
                    problems.append(
                        f"{foreign_url}: foreign object answered {response.status_code}"
                    )
                bodies.append((foreign_url, response))
        else:
            url = reverse(route.name)
            response = client.get(url)
            if response.status_code >= 500:
                problems.append(f"{url}: server error {response.status_code}")
            bodies = [(url, response)]
        for url, resp in bodies:
            if CANARY in body_text(resp):
                problems.append(f"{url}: shows a row of Fremdstadt")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_own_rows_are_visible_so_the_canary_check_means_something(worlds, viewer, client_for):
    own, _other = worlds
    client = client_for(viewer)
    for url in [
        reverse("guidelines:detail", kwargs={"pk": own.guideline.pk}),
        reverse("plans:initiative_detail", kwargs={"pk": own.initiative.pk}),
    ]:
        assert OWN_TAG in client.get(url).content.decode()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_and_public_pages_show_no_canary(worlds, client):
    own, _other = worlds
    client.raise_request_exception = False
    login = reverse("accounts:login")
    problems = []
    for route in all_routes():
        if route.params and route.name not in FILLERS:
            continue
        kwargs = FILLERS[route.name](own, own) if route.params else {}
        url = reverse(route.name, kwargs=kwargs)
        response = client.get(url)
        if is_public(route):
            if response.status_code >= 500:
                problems.append(f"{url}: server error {response.status_code}")
            if CANARY in body_text(response):
                problems.append(f"{url}: shows a row of Fremdstadt")
        elif response.status_code == 302:
            if not response["Location"].startswith(login):
                problems.append(f"{url}: redirects elsewhere than the login")
        elif response.status_code != 405:
            problems.append(f"{url}: answered {response.status_code} without sign-in")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_switching_to_a_foreign_municipality_is_ignored(worlds, viewer, client_for, other_town):
    client = client_for(viewer)
    response = client.post(reverse("municipalities:switch"), {"municipality": other_town.pk})
    assert response.status_code == 302
    assert client.session.get(SESSION_KEY) != other_town.pk
    assert CANARY not in client.get(reverse("home")).content.decode()
    assert CANARY not in client.get(reverse("plans:list")).content.decode()


def test_canary_hunt_reads_inside_spreadsheets_and_pdfs():
    """A3: a canary hidden in an XLSX cell or a PDF page is found, not only in HTML."""
    from django.http import HttpResponse, StreamingHttpResponse
    from openpyxl import Workbook
    from weasyprint import HTML

    book = Workbook()
    book.active["B7"] = f"Vorhaben {CANARY}"
    buffer = io.BytesIO()
    book.save(buffer)
    pdf = HTML(string=f"<p>Bericht {CANARY}</p>").write_pdf()
    assert CANARY in body_text(HttpResponse(buffer.getvalue()))
    assert CANARY in body_text(StreamingHttpResponse(iter([pdf[:100], pdf[100:]])))
    assert CANARY not in body_text(HttpResponse(b"<p>nichts</p>"))
