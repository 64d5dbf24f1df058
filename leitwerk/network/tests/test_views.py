"""Network pages: nothing that is not shared reaches another municipality; roles; feed schema."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.municipalities.models import Role
from leitwerk.municipalities.tests.factories import MembershipFactory
from leitwerk.network import benchmark, corpus
from leitwerk.network.models import (
    BenchmarkDefinition,
    BenchmarkValue,
    SharedInitiative,
    TransferRecord,
    TransferRequest,
)
from leitwerk.network.services import (
    benchmark_value_submit,
    benchmark_values_publish,
    indicator_share,
)
from leitwerk.network.views import load_schema
from leitwerk.plans.models import Milestone

pytestmark = pytest.mark.django_db

CANARY = "KANARIE-nicht-geteilt"


@pytest.fixture
def loaded():
    network, by_key = corpus.load()
    # Canaries in every field of a shared Vorhaben that is not part of its profile.
    shared = by_key["westerfeld-hitze"]
    shared.description = f"{CANARY}-Beschreibung"
    shared.responsible_text = [f"{CANARY}-Person"]
    shared.extra = {"Notiz": f"{CANARY}-Extra"}
    shared.save()
    Milestone.objects.create(
        municipality=shared.municipality, initiative=shared, title=f"{CANARY}-Meilenstein"
    )
    return network, by_key


def person(municipality, role=Role.STRATEGY):
    user = UserFactory()
    MembershipFactory(user=user, municipality=municipality, role=role)
    return user


def _pages(client, network, by_key, own_key):
    own = by_key[own_key]
    urls = [
        reverse("network:list"),
        reverse("network:detail", args=[network.slug]),
        reverse("network:initiative", args=[own.pk]),
        reverse("network_public:feed", args=[network.slug]),
    ]
    urls += [
        reverse("network:shared", args=[s.pk])
        for s in SharedInitiative.objects.exclude(municipality=own.municipality)
    ]
    return {url: client.get(url) for url in urls}


def test_nothing_not_shared_appears_on_any_network_page_or_feed(loaded, client_for):
    network, by_key = loaded
    viewer = person(by_key["eichental-waerme"].municipality, Role.VIEWER)
    pages = _pages(client_for(viewer), network, by_key, "eichental-waerme")
    own_slug = "eichental"
    hidden = [CANARY] + [
        f"{corpus.INTERNAL_TAG}-{key}" for key in by_key if not key.startswith(own_slug)
    ]
    municipalities = corpus.read()["municipalities"]
    own_titles = {
        s["title"] for m in municipalities if m["slug"] == own_slug for s in m["initiatives"]
    }
    not_shared_titles = [
        s["title"]
        for m in municipalities
        if m["slug"] != own_slug
        for s in m["initiatives"]
        if not s.get("shared") and s["title"] not in own_titles
    ]
    problems = []
    for url, response in pages.items():
        assert response.status_code == 200, url
        body = response.content.decode()
        problems += [f"{url}: {text}" for text in hidden + not_shared_titles if text in body]
    assert problems == []
    # ...while the shared profiles are there, so the check means something.
    assert "Hitzeschutz für ältere Menschen" in pages[reverse("network:list")].content.decode()


def test_unshared_profile_disappears_and_outsiders_get_404(loaded, client_for, other_town):
    network, by_key = loaded
    shared = by_key["westerfeld-hitze"].shared_profile
    outsider = client_for(person(other_town))
    assert outsider.get(reverse("network:shared", args=[shared.pk])).status_code == 404
    assert outsider.get(reverse("network:detail", args=[network.slug])).status_code == 404
    owner = client_for(person(shared.municipality))
    owner.post(reverse("network:unshare", args=[shared.initiative_id]))
    member = client_for(person(by_key["musterhafen-hitze"].municipality, Role.VIEWER))
    assert member.get(reverse("network:shared", args=[shared.pk])).status_code == 404
    feed = json.loads(member.get(reverse("network_public:feed", args=[network.slug])).content)
    assert shared.title not in {i["title"] for i in feed["initiatives"]}


def test_feed_validates_against_the_shipped_schema(loaded, client):
    network, _by_key = loaded
    response = client.get(reverse("network_public:feed", args=[network.slug]))
    assert response.status_code == 200
    payload = json.loads(response.content)
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(payload, schema, format_checker=jsonschema.FormatChecker())
    assert len(payload["initiatives"]) == SharedInitiative.objects.filter(shared=True).count()
    assert client.get(reverse("network_public:schema")).status_code == 200


def test_feed_of_a_private_network_is_404(loaded, client):
    network, _ = loaded
    network.public = False
    network.save()
    assert client.get(reverse("network_public:feed", args=[network.slug])).status_code == 404
    assert client.get(reverse("network_public:feed", args=["gibt-es-nicht"])).status_code == 404


def test_share_needs_the_right_role(loaded, client_for):
    _network, by_key = loaded
    initiative = by_key["eichental-licht"]
    url = reverse("network:initiative", args=[initiative.pk])
    data = {
        "networks": [n.pk for n in initiative.municipality.networks.all()],
        "title": "LED-Licht",
    }
    viewer = client_for(person(initiative.municipality, Role.VIEWER))
    assert viewer.post(url, data).status_code == 403
    assert not SharedInitiative.objects.filter(initiative=initiative).exists()
    strategy = client_for(person(initiative.municipality, Role.STRATEGY))
    assert strategy.post(url, data).status_code == 302
    assert SharedInitiative.objects.get(initiative=initiative).title == "LED-Licht"


def test_transfer_request_and_record(loaded, client_for):
    _network, by_key = loaded
    me = by_key["eichental-beschwerden"]
    target = by_key["auenfurt-beschwerden"].shared_profile
    viewer = client_for(person(me.municipality, Role.VIEWER))
    url = reverse("network:transfer_request", args=[target.pk])
    payload = {
        "message": "Wie haben Sie die Fristen eingeführt?",
        "contact_role": "Hauptamt",
        "initiative": me.pk,
    }
    assert viewer.post(url, payload).status_code == 403
    client = client_for(person(me.municipality))
    assert client.post(url, payload).status_code == 302
    assert TransferRequest.objects.get().municipality == me.municipality
    response = client.post(
        reverse("network:transfer_record", args=[target.pk]),
        {"summary": "Fristenkontrolle übernommen."},
    )
    assert response.status_code == 302
    record = TransferRecord.objects.get()
    assert record.source_municipality == target.municipality
    # The answering municipality sees the request on its network page.
    answering = client_for(person(target.municipality, Role.VIEWER))
    assert (
        "Wie haben Sie die Fristen eingeführt?"
        in answering.get(reverse("network:list")).content.decode()
    )


# Six members of the corpus network that share the waiting-time benchmark in these tests.
BENCHMARK_KEYS = [
    "eichental-waerme",
    "auenfurt-waerme",
    "nordhafen-termine",
    "westerfeld-eakte",
    "ostbruck-kita",
    "suedheim-rad",
]


def _values(network, by_key, keys, values, naming=()):
    definition = BenchmarkDefinition.objects.get(slug="wartezeit-buergeramt")
    for key, value in zip(keys, values, strict=True):
        m = by_key[key].municipality
        indicator_share(municipality=m, actor=None, definition=definition, networks=[network])
        benchmark_value_submit(
            municipality=m,
            actor=None,
            definition=definition,
            period="2025",
            value=Decimal(value),
            allow_naming=key in naming,
        )
    benchmark_values_publish(everything=True)
    return definition


def test_benchmark_five_participant_rule_and_anonymity(loaded, client_for):
    network, by_key = loaded
    keys = BENCHMARK_KEYS
    definition = _values(network, by_key, keys[:4], [12, 25, 30, 18])
    client = client_for(person(by_key["eichental-waerme"].municipality, Role.VIEWER))
    url = reverse("network:benchmark_detail", args=[network.slug, definition.slug])
    body = client.get(url).content.decode()
    assert "Kein Vergleich möglich" in body and "ab 5 Kommunen" in body
    assert "Nordhafen" not in body and 'role="img"' not in body
    _values(network, by_key, keys[4:], [40, 22], naming={"suedheim-rad"})
    body = client.get(url).content.decode()
    assert "Median" in body and 'role="img"' in body
    assert "Eichental (wir)" in body  # own value named
    assert "Südheim" in body  # allowed naming
    for anonymous in ("Auenfurt", "Nordhafen", "Westerfeld", "Ostbruck"):
        assert anonymous not in body
    # A Land peer group of one is too small again.
    body = client.get(url, {"vergleich": "land"}).content.decode()
    assert "Kein Vergleich möglich" in body


def test_a_late_sharer_changes_the_comparison_only_with_the_next_quarter(loaded, client_for):
    """Audit L9: the value a member shares late cannot be read off the shift it causes alone."""
    network, by_key = loaded
    keys = BENCHMARK_KEYS
    definition = _values(network, by_key, keys[:5], [12, 25, 30, 18, 40])
    own = client_for(person(by_key["eichental-waerme"].municipality, Role.VIEWER))
    url = reverse("network:benchmark_detail", args=[network.slug, definition.slug])

    def comparison() -> str:
        body = own.get(url).content.decode()
        return body[body.index('<dl class="facts">') : body.index("</table>")]

    before = comparison()
    assert "Median" in before
    # Südheim shares late, then the daily job runs within the same quarter: nothing moves.
    late = by_key["suedheim-rad"].municipality
    indicator_share(municipality=late, actor=None, definition=definition, networks=[network])
    benchmark_value_submit(
        municipality=late, actor=None, definition=definition, period="2025", value=Decimal(99)
    )
    assert benchmark_values_publish() == 0
    assert comparison() == before
    # Südheim itself sees that its value arrived and when it joins.
    body = client_for(person(late, Role.VIEWER)).get(url).content.decode()
    assert "Unser Wert 99 Minuten ist gespeichert und erscheint ab" in body
    # On the first day of the next quarter every value shared in the last one joins at once.
    next_quarter = benchmark.next_publication(timezone.localdate())
    assert benchmark_values_publish(today=next_quarter) == 1
    after = comparison()
    assert after != before and "<dd>6</dd>" in after


def test_a_corrected_value_keeps_its_published_figure_until_the_next_quarter(loaded):
    network, by_key = loaded
    definition = _values(network, by_key, ["eichental-waerme"], [12])
    municipality = by_key["eichental-waerme"].municipality
    benchmark_value_submit(
        municipality=municipality,
        actor=None,
        definition=definition,
        period="2025",
        value=Decimal(15),
    )
    benchmark_values_publish()
    row = BenchmarkValue.objects.get(municipality=municipality, definition=definition)
    assert (row.value, row.published_value) == (Decimal(15), Decimal(12))
    benchmark_values_publish(today=benchmark.next_publication(timezone.localdate()))
    row.refresh_from_db()
    assert row.published_value == Decimal(15)


def test_benchmark_values_need_the_opt_in_and_strategy_role(loaded, client_for):
    _network, by_key = loaded
    municipality = by_key["eichental-waerme"].municipality
    url = reverse("network:benchmarks")
    viewer = client_for(person(municipality, Role.VIEWER))
    assert viewer.get(url).status_code == 200
    definition = BenchmarkDefinition.objects.get(slug="wartezeit-buergeramt")
    data = {"value-definition": definition.pk, "value-period": "2025", "value-value": "12"}
    assert viewer.post(url, data).status_code == 403
    strategy = client_for(person(municipality))
    response = strategy.post(url, data)
    assert "zuerst für ein Netzwerk freigeben" in response.content.decode()


def test_profile_disappears_when_its_municipality_leaves_the_network(loaded, client_for):
    network, by_key = loaded
    shared = by_key["westerfeld-hitze"].shared_profile
    member = client_for(person(by_key["musterhafen-hitze"].municipality, Role.VIEWER))
    detail = reverse("network:shared", args=[shared.pk])
    feed_url = reverse("network_public:feed", args=[network.slug])

    def feed_titles():
        return {i["title"] for i in json.loads(member.get(feed_url).content)["initiatives"]}

    assert member.get(detail).status_code == 200
    assert shared.title in member.get(reverse("network:list")).content.decode()
    assert shared.title in feed_titles()

    network.members.remove(shared.municipality)

    assert member.get(detail).status_code == 404
    assert shared.title not in member.get(reverse("network:list")).content.decode()
    assert (
        shared.title
        not in member.get(reverse("network:detail", args=[network.slug])).content.decode()
    )
    assert shared.title not in feed_titles()


def test_member_populations_are_written_with_thousands_separators(loaded, client_for):
    network, by_key = loaded
    town = by_key["westerfeld-hitze"].municipality
    town.population = 85400
    town.save(update_fields=["population"])
    html = client_for(person(town)).get(reverse("network:detail", args=[network.slug]))
    assert "85.400" in html.content.decode() and "85400" not in html.content.decode()


def test_benchmark_bars_are_drawn_with_machine_numbers(loaded, client_for):
    """The chart was blank: German decimal commas in `width` and `x` are not SVG numbers."""
    import re

    from defusedxml import ElementTree as ET

    network, by_key = loaded
    keys = ["eichental-waerme", "auenfurt-waerme", "nordhafen-termine", "westerfeld-eakte"]
    keys += ["ostbruck-kita"]
    definition = _values(
        network, by_key, keys, ["12.25", "25.5", "30.125", "18", "1234.75"], naming=set(keys)
    )
    client = client_for(person(by_key["eichental-waerme"].municipality, Role.VIEWER))
    body = client.get(reverse("network:benchmark_detail", args=[network.slug, definition.slug]))
    (markup,) = re.findall(r"<svg.*?</svg>", body.content.decode(), flags=re.S)
    svg = ET.fromstring(markup)  # a real XML parser: the page's SVG is well-formed
    ns = "{http://www.w3.org/2000/svg}"
    rects = svg.findall(f"{ns}rect")
    for rect in rects:
        for name in ("x", "y", "width", "height"):
            assert re.fullmatch(r"\d+(\.\d+)?", rect.get(name, "")), (name, rect.get(name))
    widths = [float(r.get("width")) for r in rects if r.get("height") == "18"]
    assert len(widths) == 5 and all(w > 0 for w in widths)
    assert widths == sorted(widths), "bars ascend like the table beside them"
    assert "1.234,75" in body.content.decode()  # the visible values stay German


def test_towns_like_us_come_from_the_registry_and_leave_out_members(loaded, client_for):
    from leitwerk.network.tests.factories import RegistryMunicipalityFactory

    _network, by_key = loaded
    town = by_key["eichental-waerme"].municipality
    town.state, town.population = "Bayern", 30_000
    town.save(update_fields=["state", "population"])
    RegistryMunicipalityFactory(name="Nahstadt", state="Bayern", population=31_000)
    RegistryMunicipalityFactory(name="Fernstadt", state="Bayern", population=95_000)
    RegistryMunicipalityFactory(name="Großheim", state="Bayern", population=150_000)
    RegistryMunicipalityFactory(name="Hessenstadt", state="Hessen", population=30_000)
    page = client_for(person(town)).get(reverse("network:benchmarks")).content.decode()
    section = page.split("Kommunen wie wir", 1)[1]
    assert section.index("Nahstadt") < section.index("Fernstadt")
    assert "Großheim" not in section and "Hessenstadt" not in section


def test_publish_benchmarks_command_names_a_bad_date_and_reports_the_count(loaded):
    network, by_key = loaded
    _values(network, by_key, ["eichental-waerme"], [12])
    with pytest.raises(CommandError, match="Ungültiges Datum „31.12.2026“"):
        call_command("publish_benchmarks", "--date", "31.12.2026")
    out = io.StringIO()
    call_command("publish_benchmarks", "--alle", stdout=out)
    assert "0 Vergleichswerte in den Vergleich übernommen." in out.getvalue()
