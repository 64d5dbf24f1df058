"""Every page of the resolver and how to fill its parameters from a World (catalogue A2, A3).

The route walk, the FILLERS and the canary hunt behind the tenant-isolation, permission and
security tests. Every URL pattern is taken from the resolver, so a new page is covered the
moment it is added: a pattern with parameters that FILLERS cannot fill fails
`test_every_route_has_a_name_and_a_filler`, with a hint to add a filler here.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from leitwerk.testing.world import World

CANARY = "KANARIE-Fremdstadt"
OWN_TAG = "EIGEN-Musterstadt"

# The Django admin is for superusers only (no tenant scoping by design), so it is left out.
# The REST API answers 401/403 in JSON instead of redirecting to the login page; its own test
# (leitwerk/api/tests/test_isolation.py) walks every API route x method for two municipalities.
EXCLUDED_NAMESPACES = {"admin", "api"}

# Reachable without signing in.
PUBLIC = {"accounts:login", "core:healthz", "core:readyz"}
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
# Accepting an invitation ("Personen & Rollen"): reached before signing in with a one-time link.
PUBLIC |= {"accounts:invitation_accept"}
# Confirming and cancelling a follower's e-mail: one-time links from a mail, no tenant's row.
PUBLIC |= {"portal:follow_confirm", "portal:follow_cancel"}
PUBLIC_NAMESPACES = {"portal", "feedback_public", "feedback_suggestions", "network_public"}


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


def _member_of(world: World):
    """The world's person with a role in its municipality (the shared world gives them none)."""
    from leitwerk.municipalities.models import Membership, Role

    Membership.objects.get_or_create(
        user=world.person, municipality=world.municipality, role=Role.VIEWER
    )
    return world.person


def _token_of(world: World):
    """An API token of the world's person (the requester's own would be revocable by them)."""
    from leitwerk.api.models import ApiToken

    _member_of(world)
    token = ApiToken.objects.filter(user=world.person, municipality=world.municipality).first()
    if token is None:
        from leitwerk.api.services import api_token_create

        token, _raw = api_token_create(
            user=world.person, municipality=world.municipality, name=f"{world.tag}-Token"
        )
    return token


def follow_up_of(world: World):
    """A decision of the world under follow-up, the world's unit responsible, tagged."""
    from leitwerk.council.models import CouncilDecision, DecisionFollowUp

    found = DecisionFollowUp.objects.filter(municipality=world.municipality).first()
    if found is None:
        decision = CouncilDecision.objects.create(
            municipality=world.municipality,
            title=f"{world.tag}-Beschluss",
            resolution_text=f"{world.tag}-Beschlusstext",
        )
        found = DecisionFollowUp.objects.create(
            municipality=world.municipality,
            decision=decision,
            unit=world.initiative.lead_unit,
            delay_reason=f"{world.tag}-Grund",
        )
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
    "imports:preview": lambda w, home: {"pk": w.import_run.pk},
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
    "plans:goal_as_of": lambda w, home: {"pk": w.goal.pk},
    "plans:goal_indicator_create": lambda w, home: {"pk": w.goal.pk},
    **{
        f"plans:{name}": (lambda w, home: {"pk": w.plan.pk})
        for name in ("edit", "delete", "as_of", "changes", "action_field_create", "release")
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
            "initiative_release",
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
            "survey_disclosure",
            "survey_qr_svg",
            "survey_qr_png",
            "survey_codes",
            "survey_question_add",
            "survey_wave_open",
            "survey_wave_close",
            "survey_schedule",
            "survey_binding_add",
        )
    },
    "feedback:suggestion_detail": lambda w, home: {"pk": w.suggestion.pk},
    **{
        f"council:{name}": (lambda w, home: {"pk": follow_up_of(w).decision_id})
        for name in ("decision_detail", "follow_up_start")
    },
    "council:follow_up_edit": lambda w, home: {"pk": follow_up_of(w).pk},
    "reports:detail": lambda w, home: {"pk": w.report.pk},
    "reports:download": lambda w, home: {"pk": w.report.pk},
    "reports:retry": lambda w, home: {"pk": w.report.pk},
    "reports:cancel": lambda w, home: {"pk": w.report.pk},
    "reports:schedule_delete": lambda w, home: {"pk": _report_schedule(w).pk},
    # Public pages: always the requester's own municipality in the path, foreign ids after it.
    "feedback_public:list": lambda w, home: {"municipality_slug": home.municipality.slug},
    "feedback_public:detail": lambda w, home: {
        "municipality_slug": home.municipality.slug,
        "pk": w.survey.pk,
    },
    "feedback_suggestions:form": lambda w, home: {"municipality_slug": home.municipality.slug},
    "controlling:comments": lambda w, home: {"pk": w.initiative.pk},
    "controlling:notice_done": lambda w, home: {"pk": _notice_of(w).pk},
    "controlling:alignment_pick": lambda w, home: {"pk": w.statement.pk, "kind": "vorhaben"},
    "controlling:make_measurable": lambda w, home: {"pk": w.indicator.pk},
    **{
        f"controlling:{name}": (lambda w, home: {"pk": w.plan.pk})
        for name in ("bulk_update", "bulk_download", "bulk_confirm")
    },
    "portal:initiative": lambda w, home: {
        "municipality_slug": home.municipality.slug,
        "initiative_id": w.initiative.pk,
    },
    **{
        f"portal:{name}": (
            lambda w, home: {
                "municipality_slug": home.municipality.slug,
                "initiative_id": w.initiative.pk,
            }
        )
        for name in ("initiative_feed", "follow_initiative")
    },
    # The world allows comments (testing/world.py), so the form answers.
    "portal:comment": lambda w, home: {
        "municipality_slug": home.municipality.slug,
        "initiative_id": w.initiative.pk,
    },
    "portal:follow_plan": lambda w, home: {
        "municipality_slug": home.municipality.slug,
        "plan_id": w.plan.pk,
    },
    # Tokens from a mail, not a tenant's row: the same (unknown) token for both worlds.
    **{
        f"portal:{name}": (
            lambda w, home: {"municipality_slug": home.municipality.slug, "token": "abc123"}
        )
        for name in ("follow_confirm", "follow_cancel")
    },
    "portal_workspace:comment_moderate": lambda w, home: {"pk": _comment_of(w).pk},
    # A one-time token, not a tenant's row: the same (invalid) link for both worlds.
    "accounts:invitation_accept": lambda w, home: {"pk": 0, "token": "abc123"},
    "api_tokens:revoke": lambda w, home: {"pk": _token_of(w).pk},
    # "Kommune einrichten": the unit leading the world's Vorhaben, the body adopting its plan.
    "administration:unit_edit": lambda w, home: {"pk": w.initiative.lead_unit.pk},
    "administration:unit_merge": lambda w, home: {"pk": w.initiative.lead_unit.pk},
    "administration:body_edit": lambda w, home: {"pk": w.plan.adopted_by.pk},
    # "Personen & Rollen": a person of the world's municipality.
    **{
        f"people:{name}": (lambda w, home: {"pk": _member_of(w).pk})
        for name in ("edit", "invitation_resend", "deactivate")
    },
    "accounts:password_reset_confirm": lambda w, home: {"uidb64": "MA", "token": "abc-123"},
    # Rahmenkonzepte: a concept of the world's municipality, framing its goal and plan.
    **{
        f"goals:{name}": (lambda w, home: {"pk": _framework_of(w).pk})
        for name in ("framework_edit", "framework_delete")
    },
    # Beteiligungsangebote: a (not public) opportunity of the world's municipality.
    **{
        f"portal_workspace:{name}": (lambda w, home: {"pk": _opportunity_of(w).pk})
        for name in ("participation_edit", "participation_delete")
    },
}


def _comment_of(w: World):
    """A citizen's comment on the world's Vorhaben, waiting for moderation."""
    import datetime as dt

    from leitwerk.portal.models import PublicComment

    found = PublicComment.objects.filter(municipality=w.municipality).first()
    if found is None:
        found = PublicComment.objects.create(
            municipality=w.municipality,
            initiative=w.initiative,
            text="Ein Kommentar",
            received_on=dt.date(2026, 1, 5),
            due_on=dt.date(2026, 1, 19),
        )
    return found


def _framework_of(w: World):
    """A Rahmenkonzept tagged like the rest, linked to the world's goal and plan."""
    from leitwerk.goals.models import FrameworkConcept

    found = FrameworkConcept.objects.filter(municipality=w.municipality).first()
    if found is None:
        found = FrameworkConcept.objects.create(
            municipality=w.municipality,
            title=f"{w.tag}-Rahmenkonzept",
            description=f"{w.tag}-Rahmentext",
        )
        found.goals.add(w.goal)
        w.plan.framework_concepts.add(found)
    return found


def _opportunity_of(w: World):
    """A participation opportunity tagged like the rest (the shared world has none)."""
    import datetime as dt

    from django.utils import timezone

    from leitwerk.portal.models import ParticipationOpportunity

    found = ParticipationOpportunity.objects.filter(municipality=w.municipality).first()
    if found is None:
        found = ParticipationOpportunity.objects.create(
            municipality=w.municipality,
            title=f"{w.tag}-Beteiligungsangebot",
            location=f"{w.tag}-Ort",
            starts_at=timezone.now() + dt.timedelta(days=7),
        )
    return found


def _notice_of(w: World):
    """A notice for a person outside the roles the crawl signs in as."""
    from leitwerk.accounts.models import User
    from leitwerk.core.models import Notice

    person, _ = User.objects.get_or_create(email=f"hinweis-{w.municipality.slug}@example.org")
    notice, _ = Notice.objects.get_or_create(
        municipality=w.municipality, recipient=person, defaults={"text": f"{w.tag}-Hinweis"}
    )
    return notice


def _transfer_request_of(w: World):
    """A request about the world's shared Vorhaben (asked by its own town: both sides at once)."""
    from leitwerk.network.models import TransferRequest

    shared = _network_of(w)[1]
    request, _ = TransferRequest.objects.get_or_create(
        municipality=w.municipality,
        shared_initiative=shared,
        defaults={"contact_role": "Stabsstelle", "message": f"{w.tag}-Anfrage zum Vorhaben"},
    )
    return request


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
        **{
            f"network:{name}": lambda w, home: {"pk": _transfer_request_of(w).pk}
            for name in (
                "request_detail",
                "request_reply",
                "request_accept",
                "request_decline",
                "request_close",
            )
        },
    }
)


def _budget_of(w: World):
    """A Teilhaushalt of the world's municipality with one product and one key figure."""
    from leitwerk.budget.models import BudgetArea, KeyFigure, Product, ProductLevel

    area, _ = BudgetArea.objects.get_or_create(
        municipality=w.municipality, code="1", defaults={"title": f"{w.tag}-Teilhaushalt"}
    )
    product, _ = Product.objects.get_or_create(
        municipality=w.municipality,
        code="11101",
        defaults={
            "title": f"{w.tag}-Produkt",
            "level": ProductLevel.PRODUCT,
            "budget_area": area,
        },
    )
    figure, _ = KeyFigure.objects.get_or_create(
        municipality=w.municipality,
        product=product,
        code="K1",
        defaults={"name": f"{w.tag}-Kennzahl"},
    )
    return area, product, figure


FILLERS.update(
    {
        **{
            f"budget:{name}": (lambda w, home: {"pk": _budget_of(w)[0].pk})
            for name in ("area", "area_docx", "area_xlsx")
        },
        **{
            f"budget:{name}": (lambda w, home: {"pk": _budget_of(w)[1].pk})
            for name in (
                "product",
                "product_goals",
                "product_indicators",
                "product_initiatives",
                "key_figure_create",
            )
        },
        **{
            f"budget:{name}": (lambda w, home: {"pk": _budget_of(w)[2].pk})
            for name in ("key_figure_edit", "key_figure_values")
        },
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
    "open_data_budget_json",
    "open_data_budget_csv",
    "open_data_schema",
    "open_data_catalog_ttl",
    "open_data_catalog_jsonld",
    "sitemap",
    "accessibility_jsonld",
    "barrier_report",
    "easy_language",
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


def is_public(route: Route) -> bool:
    return route.name in PUBLIC or route.name.split(":")[0] in PUBLIC_NAMESPACES


def _report_schedule(w: Any) -> Any:
    """The world's report schedule, made on first use (only the reports routes need one)."""
    from leitwerk.municipalities.models import Body
    from leitwerk.reports.models import ReportSchedule

    body, _ = Body.objects.get_or_create(
        municipality=w.municipality, name=f"Gremium {w.tag}", defaults={"kind": "ausschuss"}
    )
    schedule, _ = ReportSchedule.objects.get_or_create(
        municipality=w.municipality, plan=w.plan, body=body, defaults={"lead_days": 14}
    )
    return schedule
