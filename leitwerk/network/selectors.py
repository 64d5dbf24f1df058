"""Reads of the network stage for a signed-in person, always from one municipality's view.

What another municipality shows here is only ever its `SharedInitiative` profiles (shared,
in a network both belong to) and its benchmark values through the rules of `benchmark.py`;
a missing and a forbidden row both answer Http404.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from leitwerk.core.access import may, require_visible
from leitwerk.municipalities.models import Municipality
from leitwerk.plans.models import Initiative, TransferCity

from . import benchmark
from .models import (
    BenchmarkDefinition,
    BenchmarkValue,
    Network,
    RegistryMunicipality,
    SharedIndicator,
    SharedInitiative,
    TransferMessage,
    TransferRecord,
    TransferRequest,
    TransferRequestStatus,
)
from .similarity import Document, Index

if TYPE_CHECKING:
    from leitwerk.accounts.models import User

SUGGESTIONS_PER_INITIATIVE = 3
# A suggestion must cover at least half of what the own Vorhaben is about (similarity.Index.search):
# below that, the matches on the demo and on an imported real plan were all unrelated.
MIN_RELEVANCE = 0.5
# Bounds of the similarity work per page (audit 2, L2: a 30,000-Vorhaben plan took the network
# overview to 6 s): at most so many shared profiles are indexed (the most recently shared),
# and at most so many own Vorhaben are looked up at once; the others get no suggestion on the
# overview (their own page asks for theirs alone).
MAX_CANDIDATES = 2000
MAX_QUERIES = 200


def networks_for(*, user: User, municipality: Municipality) -> list[Network]:
    if not may(user, "network.view_network", municipality):
        return []
    return list(municipality.networks.prefetch_related("members"))


def network_get_for_user(*, user: User, municipality: Municipality, slug: str) -> Network:
    require_visible(user, "network.view_network", municipality)
    network = municipality.networks.prefetch_related("members").filter(slug=slug).first()
    if network is None:
        raise Http404
    return network


def registry_entries_for(municipalities: list[Municipality]) -> dict[int, RegistryMunicipality]:
    """Directory entry per municipality (by AGS), for population and Land where known."""
    by_ags = {
        r.ags: r
        for r in RegistryMunicipality.objects.filter(
            ags__in=[m.ags for m in municipalities if m.ags]
        )
    }
    return {m.pk: by_ags[m.ags] for m in municipalities if m.ags in by_ags}


def shared_visible_to(
    municipality: Municipality, network: Network | None = None
) -> QuerySet[SharedInitiative]:
    """Shared profiles of OTHER municipalities in networks the municipality belongs to.

    A profile counts only in a network its own municipality still belongs to: one that left
    took its profiles with it, even though the share rows (and their network links) remain.
    """
    networks = municipality.networks.all() if network is None else [network]
    return (
        # One filter() call, so both conditions hold for the same network.
        SharedInitiative.objects.filter(
            shared=True, networks__in=networks, networks__members=F("municipality")
        )
        # Other towns' profiles, shared with a network both belong to: that is the scope.
        .across_municipalities()
        .exclude(municipality=municipality)
        .select_related("municipality")
        .distinct()
        .order_by("municipality__name", "title")
    )


def shared_list_for_user(
    *, user: User, municipality: Municipality, network: Network | None = None
) -> list[SharedInitiative]:
    if not may(user, "network.view_network", municipality):
        return []
    return list(shared_visible_to(municipality, network))


def shared_get_for_user(*, user: User, municipality: Municipality, pk: int) -> SharedInitiative:
    """A shared profile: the own one (as preview) or one shared with the municipality."""
    require_visible(user, "network.view_network", municipality)
    own = SharedInitiative.objects.filter(municipality=municipality, pk=pk)
    shared = (
        own.select_related("municipality").first()
        or shared_visible_to(municipality).filter(pk=pk).first()
    )
    if shared is None:
        raise Http404
    return shared


@dataclass(frozen=True)
class TransferCityLink:
    """A city the action plan names to learn from, and what the network knows of it."""

    name: str
    ags: str
    member: Municipality | None  # the city is in one of our networks
    shared: tuple[SharedInitiative, ...]  # its Vorhaben shared with us


def transfer_city_links(
    *, municipality: Municipality, initiative: Initiative
) -> list[TransferCityLink]:
    """The Vorhaben's transfer cities (from an imported plan or typed), matched to network
    members by AGS (or, without one, by name) and to the Vorhaben they share with us. Three
    queries."""
    cities = list(TransferCity.objects.for_municipality(municipality).filter(initiative=initiative))
    if not cities:
        return []
    shared = list(shared_visible_to(municipality))
    members: dict[str, Municipality] = {}
    for row in shared:
        member = row.municipality
        if member.ags:
            members.setdefault(f"ags:{member.ags}", member)
        members.setdefault(f"name:{member.name.casefold()}", member)
    links = []
    for city in cities:
        town: Municipality | None = members.get(f"ags:{city.ags}") if city.ags else None
        town = town or members.get(f"name:{city.name.strip().casefold()}")
        rows = tuple(r for r in shared if town is not None and r.municipality_id == town.pk)
        links.append(TransferCityLink(name=city.name, ags=city.ags, member=town, shared=rows))
    return links


def towns_like_us(*, municipality: Municipality, limit: int = 8) -> list[RegistryMunicipality]:
    """ "Kommunen wie wir": registry towns of the same Land and town type, closest in size
    first, that are not yet in one of our networks (candidates to invite). One query."""
    kind = benchmark.settlement_type(municipality.population)
    if not kind or not municipality.state:
        return []
    low, high = next((lo, hi) for lo, hi, label in benchmark.SETTLEMENT_TYPES if label == kind)
    members = Municipality.objects.filter(networks__members=municipality).values("ags")
    rows = RegistryMunicipality.objects.filter(state=municipality.state, population__gte=low)
    if high is not None:
        rows = rows.filter(population__lt=high)
    rows = rows.exclude(ags__in=members).exclude(ags=municipality.ags)
    found = list(rows.order_by("name")[:500])
    own = municipality.population or 0
    return sorted(found, key=lambda r: (abs((r.population or 0) - own), r.name))[:limit]


def _own_initiative_rows(municipality: Municipality) -> QuerySet[Initiative]:
    return (
        Initiative.objects.for_municipality(municipality)
        .select_related("action_field", "shared_profile")
        .prefetch_related("ideas", "goals__goal_field")
        .order_by("action_field__plan_id", "action_field__order", "order", "number", "pk")
    )


OWN_PAGE_SIZE = 50


def own_initiatives_page(
    *, user: User, municipality: Municipality, page: str | int | None
) -> Page[Initiative] | None:
    """One page of the own Vorhaben (OWN_PAGE_SIZE); None for who may not see the network.

    A plan with 30,000 Vorhaben made the overview 7.3 MB and 6 s (audit 2, L2): the page
    loads, compares and shows one slice, with the same number of queries for any size.
    """
    if not may(user, "network.view_network", municipality):
        return None
    return Paginator(_own_initiative_rows(municipality), OWN_PAGE_SIZE).get_page(page)


def own_initiative_get(*, user: User, municipality: Municipality, pk: int) -> Initiative:
    require_visible(user, "network.view_network", municipality)
    initiative = (
        Initiative.objects.for_municipality(municipality)
        .select_related("action_field", "lead_unit")
        .prefetch_related("ideas", "goals__goal_field", "milestones")
        .filter(pk=pk)
        .first()
    )
    if initiative is None:
        raise Http404
    return initiative


# --------------------------------------------------------------------------- suggestions


def initiative_text(initiative: Initiative) -> str:
    """What the own Vorhaben is about: it never leaves the municipality, so all of it counts."""
    parts = [initiative.title, initiative.title, initiative.objective, initiative.description]
    parts += [idea.text for idea in initiative.ideas.all()]
    parts.append(initiative.action_field.title)
    parts += [goal.goal_field.title for goal in initiative.goals.all()]
    return "\n".join(p for p in parts if p)


def shared_text(shared: SharedInitiative) -> str:
    """Only the shared profile: ranking on anything else would leak it through the explanation."""
    parts = [
        shared.title,
        shared.title,
        shared.objective,
        shared.approach,
        shared.milestones_summary,
        shared.results,
        shared.topics,
    ]
    return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class Suggestion:
    shared: SharedInitiative
    score: float
    terms: tuple[str, ...]


def suggestions_for(
    *,
    municipality: Municipality,
    initiatives: list[Initiative],
    limit: int = SUGGESTIONS_PER_INITIATIVE,
) -> dict[int, list[Suggestion]]:
    """Similar shared Vorhaben of other municipalities, per own Vorhaben, best first."""
    found: dict[int, list[Suggestion]] = {i.pk: [] for i in initiatives}
    if not initiatives:
        return found
    candidates = list(shared_visible_to(municipality).order_by("-pk")[:MAX_CANDIDATES])
    if not candidates:
        return found
    by_key = {str(s.pk): s for s in candidates}
    queries = {i.pk: initiative_text(i) for i in initiatives[:MAX_QUERIES]}
    index = Index(
        [Document(str(s.pk), shared_text(s)) for s in candidates],
        vocabulary=queries.values(),
    )
    for pk, text in queries.items():
        found[pk] = [
            Suggestion(by_key[m.key], round(m.score, 2), m.terms[:5])
            for m in index.search(text, limit=limit, min_relevance=MIN_RELEVANCE)
        ]
    return found


# --------------------------------------------------------------------------- transfers


def requests_outgoing(*, user: User, municipality: Municipality) -> list[TransferRequest]:
    if not may(user, "network.view_network", municipality):
        return []
    return list(
        TransferRequest.objects.for_municipality(municipality).select_related(
            "shared_initiative__municipality", "initiative"
        )
    )


def requests_incoming(*, user: User, municipality: Municipality) -> list[TransferRequest]:
    """Requests other municipalities sent about the own shared Vorhaben."""
    if not may(user, "network.view_network", municipality):
        return []
    return list(
        TransferRequest.objects.filter(shared_initiative__municipality=municipality)
        .select_related("municipality", "shared_initiative")
        .only(
            "pk",
            "created_at",
            "status",
            "message",
            "contact_role",
            "municipality__name",
            "shared_initiative__title",
            "shared_initiative__municipality_id",
        )
    )


@dataclass(frozen=True)
class RequestThread:
    """One transfer request as one side sees it."""

    request: TransferRequest
    messages: list[TransferMessage]
    receiver: bool  # the viewer's town is the asked one
    open: bool  # replies, accepting, declining and closing still possible
    show_contact: bool  # the asked town's contact, once it accepted

    @property
    def other_town(self) -> Municipality:
        shared = self.request.shared_initiative
        return self.request.municipality if self.receiver else shared.municipality


def transfer_thread(*, user: User, municipality: Municipality, pk: int) -> RequestThread:
    """A request and its messages for either of its two towns; 404 for anyone else (2 queries)."""
    require_visible(user, "network.view_network", municipality)
    request = (
        TransferRequest.objects.filter(pk=pk)
        .filter(Q(municipality=municipality) | Q(shared_initiative__municipality=municipality))
        # The asking and the asked town both read it; the OR names this town on both branches.
        .across_municipalities()
        .select_related("municipality", "shared_initiative__municipality", "initiative")
        .first()
    )
    if request is None:
        raise Http404
    messages = list(
        TransferMessage.objects.for_municipality(request.municipality_id)
        .filter(request=request)
        .select_related("author")
    )
    finished = request.status in (TransferRequestStatus.DECLINED, TransferRequestStatus.CLOSED)
    return RequestThread(
        request=request,
        messages=messages,
        receiver=request.shared_initiative.municipality_id == municipality.pk,
        open=not finished,
        show_contact=request.status == TransferRequestStatus.ACCEPTED
        or (request.status == TransferRequestStatus.CLOSED and bool(request.contact_email)),
    )


def records_for(*, user: User, municipality: Municipality) -> list[TransferRecord]:
    if not may(user, "network.view_network", municipality):
        return []
    return list(
        TransferRecord.objects.filter(
            Q(municipality=municipality) | Q(source_municipality=municipality)
        )
        # Both sides of a transfer see its record: the town that learnt and the one it
        # learnt from (the OR names the municipality on both branches).
        .across_municipalities()
        .select_related("municipality", "source_municipality", "shared_initiative", "initiative")
    )


# --------------------------------------------------------------------------- benchmarks


PEER_GROUPS = {
    "alle": benchmark.PeerGroup(),
    "groesse": benchmark.PeerGroup(same_size=True),
    "land": benchmark.PeerGroup(same_state=True),
    "groesse-land": benchmark.PeerGroup(same_size=True, same_state=True),
    "typ": benchmark.PeerGroup(same_type=True),
}
PEER_GROUP_LABELS = {
    "alle": "alle Teilnehmenden des Netzwerks",
    "groesse": "gleiche Größenklasse",
    "land": "gleiches Land",
    "groesse-land": "gleiche Größenklasse und gleiches Land",
    "typ": "gleicher Gemeindetyp (nach BBSR: Großstadt, Mittelstadt, Kleinstadt, Landgemeinde)",
}


def definitions() -> list[BenchmarkDefinition]:
    return list(BenchmarkDefinition.objects.all())


def definition_get(*, slug: str) -> BenchmarkDefinition:
    definition = BenchmarkDefinition.objects.filter(slug=slug).first()
    if definition is None:
        raise Http404
    return definition


def own_benchmarks(*, user: User, municipality: Municipality) -> dict[str, Any]:
    if not may(user, "network.view_network", municipality):
        return {"shared": {}, "values": []}
    shared = {
        s.definition_id: s
        for s in SharedIndicator.objects.for_municipality(municipality).prefetch_related("networks")
    }
    values = list(
        BenchmarkValue.objects.for_municipality(municipality).select_related("definition")
    )
    return {"shared": shared, "values": values}


def periods_for(*, network: Network, definition: BenchmarkDefinition) -> list[str]:
    return sorted(
        set(
            BenchmarkValue.objects.filter(
                definition=definition,
                municipality__in=network.members.all(),
                published_value__isnull=False,
            ).values_list("period", flat=True)
        ),
        reverse=True,
    )


def participants(
    *, network: Network, definition: BenchmarkDefinition, period: str
) -> list[benchmark.Participant]:
    """Published values of members that opted this definition in for this network (only those).

    The comparison reads what was published when the last quarter closed, never the live value
    (audit L9): a share or a correction reaches it with everybody else's, once a quarter.
    """
    opted_in = SharedIndicator.objects.filter(
        definition=definition, networks=network, municipality__in=network.members.all()
    ).values("municipality_id")
    rows = BenchmarkValue.objects.filter(
        definition=definition,
        period=period,
        municipality_id__in=opted_in,
        published_value__isnull=False,
    ).select_related("municipality")
    return [
        benchmark.Participant(
            municipality_id=r.municipality_id,
            name=r.municipality.name,
            value=Decimal(r.published_value),
            allow_naming=r.published_allow_naming,
            population=r.municipality.population,
            state=r.municipality.state,
        )
        for r in rows
        if r.published_value is not None  # filtered above; narrows the type
    ]


def benchmark_comparison(
    *,
    user: User,
    municipality: Municipality,
    network: Network,
    definition: BenchmarkDefinition,
    period: str,
    peer_group: str = "alle",
) -> dict[str, Any]:
    """The comparison within a member network: statistics, rows and chart, or the message."""
    require_visible(user, "network.view_network", municipality)
    if not network.members.filter(pk=municipality.pk).exists():
        raise Http404
    group = PEER_GROUPS.get(peer_group, PEER_GROUPS["alle"])
    everyone = participants(network=network, definition=definition, period=period)
    own = next((p for p in everyone if p.municipality_id == municipality.pk), None)
    reference = own or benchmark.Participant(
        municipality_id=municipality.pk,
        name=municipality.name,
        value=Decimal(0),
        population=municipality.population,
        state=municipality.state,
    )
    peers = group.select(reference, everyone)
    comparison = benchmark.compare(peers, own_id=municipality.pk)
    # The own value as entered, when the comparison does not show it yet: the person sees
    # that it arrived and when it joins (the first day of the next quarter).
    live = (
        BenchmarkValue.objects.for_municipality(municipality)
        .filter(definition=definition, period=period)
        .first()
    )
    pending = None
    if live is not None and (live.published_value is None or live.published_value != live.value):
        pending = {
            "value": live.value,
            "appears_on": benchmark.next_publication(live.updated_at.date()),
        }
    return {
        "pending": pending,
        "comparison": comparison,
        "chart": benchmark.chart(comparison, title=definition.title),
        "own": own,
        "peer_group": peer_group if peer_group in PEER_GROUPS else "alle",
        "peer_group_label": group.label(reference),
    }


# --------------------------------------------------------------------------- public feed


def public_network(*, slug: str) -> Network:
    network = Network.objects.filter(slug=slug, public=True).first()
    if network is None:
        raise Http404
    return network


def feed_entries(*, network: Network) -> list[SharedInitiative]:
    return list(
        SharedInitiative.objects.filter(
            shared=True, networks=network, municipality__networks=network
        )
        .across_municipalities()  # the public network feed: what its members shared
        .select_related("municipality")
        .prefetch_related(Prefetch("networks", queryset=Network.objects.filter(pk=network.pk)))
        .order_by("municipality__name", "title", "pk")
    )
