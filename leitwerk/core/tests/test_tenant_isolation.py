"""A person of Musterstadt sees no row of another municipality on any page.

Every URL pattern is taken from the resolver, so a new page is covered the moment it is
added: a pattern with parameters that this file cannot fill fails the test, with a hint
where to add a filler. Fremdstadt's rows carry the canary tag in every text field.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from leitwerk.core.tests.world import World, build_world
from leitwerk.municipalities.selectors import SESSION_KEY

CANARY = "KANARIE-Fremdstadt"
OWN_TAG = "EIGEN-Musterstadt"

# The Django admin is for superusers only (no tenant scoping by design), so it is left out.
# The REST API answers 401/403 in JSON instead of redirecting to the login page; its own test
# (leitwerk/api/tests/test_isolation.py) walks every API route x method for two municipalities.
EXCLUDED_NAMESPACES = {"admin", "api"}

# Reachable without signing in.
PUBLIC = {"accounts:login", "core:healthz", "core:readyz", "set_language"}
# The same sign-in page under the name django-allauth reverses (accounts/allauth_urls.py).
PUBLIC |= {"account_login"}
# Password reset (catalogue B6): reachable without signing in, the same for every address.
PUBLIC |= {
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
}
# Single sign-on through a municipality's identity provider (allauth's names, no namespace):
# reached before signing in; the slug names the provider, not a tenant's row.
PUBLIC |= {"openid_connect_login", "openid_connect_callback", "socialaccount_login_cancelled"}
PUBLIC_NAMESPACES = {"portal", "feedback_public", "feedback_suggestions", "network_public"}


OWN_OK = {200, 302, 403, 405}
# Pages whose selector answers 404 for people without the right (missing and forbidden look
# alike): for such a person the own object is "not found" too; the admin run covers them.
ROLE_GATED = {"imports:run": "imports.run_import"}
# The single sign-on callback answers 401 when no sign-in was started in this session (the
# state check of allauth): by design, and it shows no row.
OWN_OK_FOR = {"openid_connect_callback": OWN_OK | {401}}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    params: tuple[str, ...]


def _attachment(world: World):
    """An attachment of the world's Vorhaben (the shared world has none), tagged like the rest."""
    from django.core.files.base import ContentFile

    from leitwerk.plans.models import Attachment

    found = Attachment.objects.filter(initiative=world.initiative).first()
    if found is None:
        found = Attachment(
            municipality=world.municipality,
            initiative=world.initiative,
            original_name=f"{world.tag}-Anhang.txt",
            content_type="text/plain",
            size=len(world.tag),
        )
        found.file.save("anhang.txt", ContentFile(world.tag.encode()), save=True)
    return found


# How to fill each parameterised URL: `filler(world, home)` returns its kwargs, where `world`
# holds the rows whose access is tested and `home` is the requester's own world (for a
# municipality slug in the path, e.g. the portal). Add a line here with every new page.
FILLERS: dict[str, Callable[[World, World], dict]] = {
    "guidelines:detail": lambda w, home: {"pk": w.guideline.pk},
    "goals:field_detail": lambda w, home: {"pk": w.goal_field.pk},
    "goals:goal_detail": lambda w, home: {"pk": w.goal.pk},
    "plans:detail": lambda w, home: {"pk": w.plan.pk},
    "plans:initiative_detail": lambda w, home: {"pk": w.initiative.pk},
    "obstacles:detail": lambda w, home: {"pk": w.obstacle.pk},
    "imports:run": lambda w, home: {"pk": w.import_run.pk},
    # Editing pages (guidelines, goals, plans): the same rows, addressed for editing.
    **{
        f"guidelines:{name}": (lambda w, home: {"pk": w.guideline.pk})
        for name in ("edit", "delete", "section_create")
    },
    **{
        f"guidelines:{name}": (lambda w, home: {"pk": w.section.pk})
        for name in ("section_edit", "section_delete", "statement_create")
    },
    **{
        f"guidelines:{name}": (lambda w, home: {"pk": w.statement.pk})
        for name in ("statement_edit", "statement_delete")
    },
    **{
        f"goals:{name}": (lambda w, home: {"pk": w.goal_field.pk})
        for name in ("field_edit", "field_delete", "goal_create")
    },
    **{
        f"goals:{name}": (lambda w, home: {"pk": w.goal.pk})
        for name in ("goal_edit", "goal_delete", "goal_statements")
    },
    **{
        f"plans:{name}": (lambda w, home: {"pk": w.plan.pk})
        for name in ("edit", "delete", "as_of", "action_field_create")
    },
    **{
        f"plans:{name}": (lambda w, home: {"pk": w.action_field.pk})
        for name in ("action_field_edit", "action_field_delete", "initiative_create")
    },
    **{
        f"plans:{name}": (lambda w, home: {"pk": w.initiative.pk})
        for name in (
            "initiative_edit",
            "initiative_delete",
            "initiative_history",
            "initiative_as_of",
            "sub_initiative_create",
            "milestone_create",
            "indicator_create",
            "status_report_create",
            "attachment_create",
            "transfer_city_create",
        )
    },
    **{
        f"plans:{name}": (lambda w, home: {"pk": w.initiative.ideas.first().pk})
        for name in ("sub_initiative_edit", "sub_initiative_delete")
    },
    **{
        f"plans:{name}": (lambda w, home: {"pk": w.milestone.pk})
        for name in ("milestone_edit", "milestone_delete", "milestone_complete")
    },
    **{
        f"plans:{name}": (lambda w, home: {"pk": w.indicator.pk})
        for name in ("indicator_edit", "indicator_delete", "measurement_create")
    },
    **{
        f"plans:{name}": (lambda w, home: {"pk": w.measurement.pk})
        for name in ("measurement_edit", "measurement_delete")
    },
    **{
        f"plans:{name}": (lambda w, home: {"pk": w.initiative.transfer_cities.first().pk})
        for name in ("transfer_city_edit", "transfer_city_delete")
    },
    **{
        f"plans:{name}": (lambda w, home: {"pk": _attachment(w).pk})
        for name in ("attachment_download", "attachment_delete")
    },
    **{
        f"priorities:{name}": (lambda w, home: {"pk": w.priority_round.pk})
        for name in ("detail", "ballot", "results", "adopt", "change")
    },
    **{
        f"feedback:{name}": (lambda w, home: {"pk": w.survey.pk})
        for name in (
            "survey_detail",
            "survey_results",
            "survey_results_csv",
            "survey_qr_svg",
            "survey_qr_png",
            "survey_codes",
        )
    },
    "feedback:suggestion_detail": lambda w, home: {"pk": w.suggestion.pk},
    "reports:detail": lambda w, home: {"pk": w.report.pk},
    "reports:download": lambda w, home: {"pk": w.report.pk},
    # Public pages: always the requester's own municipality in the path, foreign ids after it.
    "feedback_public:list": lambda w, home: {"municipality_slug": home.municipality.slug},
    "feedback_public:detail": lambda w, home: {
        "municipality_slug": home.municipality.slug,
        "pk": w.survey.pk,
    },
    "feedback_suggestions:form": lambda w, home: {"municipality_slug": home.municipality.slug},
    "controlling:status_report": lambda w, home: {"pk": w.initiative.pk},
    "controlling:comments": lambda w, home: {"pk": w.initiative.pk},
    "controlling:make_measurable": lambda w, home: {"pk": w.indicator.pk},
    **{
        f"controlling:{name}": (lambda w, home: {"pk": w.plan.pk})
        for name in ("bulk_update", "bulk_download", "bulk_confirm")
    },
    "portal:initiative": lambda w, home: {
        "municipality_slug": home.municipality.slug,
        "initiative_id": w.initiative.pk,
    },
    # A one-time token, not a tenant's row: the same (invalid) link for both worlds.
    "accounts:password_reset_confirm": lambda w, home: {"uidb64": "MA", "token": "abc-123"},
}


def _network_of(w: World):
    """A network of the world's municipality alone, with its Vorhaben shared there.

    Only the requester's own network is public: a foreign, non-public network must answer 404
    (its shared Vorhaben would rightly be visible in a public feed).
    """
    from leitwerk.network.models import Network, SharedInitiative

    network, _ = Network.objects.get_or_create(
        slug=f"netz-{w.municipality.slug}",
        defaults={"name": f"{w.tag}-Netzwerk", "public": w.tag == OWN_TAG},
    )
    network.members.add(w.municipality)
    shared, _ = SharedInitiative.objects.get_or_create(
        initiative=w.initiative,
        defaults={"municipality": w.municipality, "title": f"{w.tag}-Geteilt"},
    )
    shared.networks.add(network)
    return network, shared


def _identity_provider_of(home: World) -> dict:
    """The home municipality's sign-in through its Verwaltung (a provider, not a tenant's row)."""
    from leitwerk.accounts.models import IdentityProvider

    provider, _ = IdentityProvider.objects.get_or_create(
        slug=home.municipality.slug,
        defaults={
            "municipality": home.municipality,
            "name": f"{home.tag}-Verwaltung",
            "issuer": "https://login.invalid/realms/test",
            "client_id": "leitwerk",
            "secret_env": "LEITWERK_OIDC_SECRET_TEST",
            "email_domains": "example.org",
        },
    )
    return {"provider_id": provider.slug}


FILLERS.update(
    {
        name: (lambda w, home: _identity_provider_of(home))
        for name in ("openid_connect_login", "openid_connect_callback")
    }
)

FILLERS.update(
    {
        "network:detail": lambda w, home: {"slug": _network_of(w)[0].slug},
        "network:benchmark_detail": lambda w, home: {
            "slug": _network_of(w)[0].slug,
            "definition": "wartezeit-buergeramt",
        },
        "network:initiative": lambda w, home: {"pk": w.initiative.pk},
        "network:unshare": lambda w, home: {"pk": w.initiative.pk},
        "network:shared": lambda w, home: {"pk": _network_of(w)[1].pk},
        "network:transfer_request": lambda w, home: {"pk": _network_of(w)[1].pk},
        "network:transfer_record": lambda w, home: {"pk": _network_of(w)[1].pk},
        "network_public:feed": lambda w, home: {"network_slug": _network_of(w)[0].slug},
    }
)
# Portal pages addressed by the municipality alone: the canary check covers them (a page of
# Musterstadt must not show Fremdstadt's rows); there is no foreign id to put in the path.
for _name in [
    "home",
    "guideline",
    "initiatives",
    "decisions",
    "participation",
    "calendar",
    "news",
    "open_data",
    "accessibility",
    "calendar_ics",
    "news_feed",
    "open_data_json",
    "open_data_csv",
    "open_data_schema",
    "sitemap",
]:
    FILLERS[f"portal:{_name}"] = lambda w, home: {"municipality_slug": home.municipality.slug}


def body_text(response) -> str:
    """What a person could read in a response, including inside XLSX/DOCX and PDF files (A3)."""
    raw = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if raw.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "".join(
                archive.read(name).decode("utf-8", errors="replace")
                for name in archive.namelist()
                if name.endswith((".xml", ".rels", ".csv", ".json"))
            )
    if raw.startswith(b"%PDF"):
        from pypdf import PdfReader

        return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(raw)).pages)
    return raw.decode("utf-8", errors="replace")


def _walk(patterns, namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            prefix = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            for route in _walk(entry.url_patterns, prefix):
                yield Route(route.name, tuple(entry.pattern.converters) + route.params)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield Route(name, tuple(entry.pattern.converters))


def all_routes() -> list[Route]:
    return sorted(set(_walk(get_resolver().url_patterns)), key=lambda r: r.name)


def _is_public(route: Route) -> bool:
    return route.name in PUBLIC or route.name.split(":")[0] in PUBLIC_NAMESPACES


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
        f"leitwerk/core/tests/test_tenant_isolation.py: {unknown}"
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
        if _is_public(route):
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
