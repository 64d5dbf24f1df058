"""The DCAT-AP.de catalogue: what GovData and the state portals harvest, validated against the
published SHACL shapes (tests/fixtures/dcat-ap-de), with the municipality's licence everywhere."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from leitwerk.portal.models import OpenDataSettings

SHAPES = Path(__file__).parent / "fixtures" / "dcat-ap-de"


@functools.cache
def shapes() -> Graph:
    graph = Graph()
    for path in sorted(SHAPES.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def _catalog(slug: str, name: str = "open_data_catalog_ttl") -> Graph:
    response = Client().get(reverse(f"portal:{name}", kwargs={"municipality_slug": slug}))
    assert response.status_code == 200
    fmt = "turtle" if name.endswith("ttl") else "json-ld"
    return Graph().parse(data=response.content.decode(), format=fmt)


def _problems(graph: Graph) -> str:
    conforms, _report, text = validate(
        graph, shacl_graph=shapes(), inference="none", allow_warnings=False
    )
    return "" if conforms else text


@pytest.mark.django_db
def test_the_catalogue_passes_the_dcat_ap_de_shapes_without_a_warning(world):
    graph = _catalog("musterstadt")
    assert not _problems(graph)
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 2
    # What got a real town refused: no spatial coverage. Ours names the AGS.
    for dataset in datasets:
        (spatial,) = graph.objects(dataset, DCTERMS.spatial)
        assert str(spatial).endswith(f"/municipalityKey/{world.municipality.ags}")


@pytest.mark.django_db
def test_a_catalogue_without_licence_would_be_refused(world):
    """The check is real: drop one distribution's licence and the shapes refuse it."""
    graph = _catalog("musterstadt")
    distribution = next(graph.subjects(RDF.type, DCAT.Distribution))
    graph.remove((distribution, DCTERMS.license, None))
    assert "dcterms:license" in _problems(graph)


@pytest.mark.django_db
def test_the_chosen_licence_is_on_every_distribution_feed_and_file(world):
    OpenDataSettings.objects.create(
        municipality=world.municipality, licence="cc-by/4.0", attribution="Stadt Musterstadt"
    )
    graph = _catalog("musterstadt")
    licence = URIRef("http://dcat-ap.de/def/licenses/cc-by/4.0")
    distributions = list(graph.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == 4
    assert all((d, DCTERMS.license, licence) in graph for d in distributions)
    client = Client()
    kwargs = {"municipality_slug": "musterstadt"}
    document = json.loads(client.get(reverse("portal:open_data_json", kwargs=kwargs)).content)
    assert document["lizenz"]["kennung"] == str(licence)
    assert document["lizenz"]["namensnennung"] == "Stadt Musterstadt"
    for name in ("open_data_json", "open_data_csv", "calendar_ics"):
        link = client.get(reverse(f"portal:{name}", kwargs=kwargs))["Link"]
        assert link == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    feed = client.get(reverse("portal:news_feed", kwargs=kwargs)).content.decode()
    assert "<rights>Creative Commons Namensnennung 4.0" in feed


@pytest.mark.django_db
def test_json_ld_says_the_same_as_turtle(world):
    turtle = _catalog("musterstadt")
    jsonld = _catalog("musterstadt", "open_data_catalog_jsonld")
    assert len(turtle) == len(jsonld) and not _problems(jsonld)


@pytest.mark.slow  # loads the whole demo (about half a minute)
@pytest.mark.django_db
def test_both_demo_municipalities_publish_a_valid_catalogue():
    from leitwerk.devdata.demo import demo_load

    demo_load()
    for slug in ("musterstadt", "amt-musterland"):
        graph = _catalog(slug)
        assert not _problems(graph), slug
        assert len(list(graph.subjects(RDF.type, DCAT.Distribution))) == 4


@pytest.mark.django_db
def test_the_strategy_office_sets_the_licence_and_the_portal_names_it(
    world, strategy_user, viewer, client_for
):
    url = reverse("portal_workspace:open_data_settings")
    assert client_for(viewer).get(url).status_code == 403
    client = client_for(strategy_user)
    assert "Datenlizenz Deutschland – Namensnennung" in client.get(url).content.decode()
    data = {"licence": "dl-zero-de/2.0", "attribution": "", "contact_email": "daten@example.org"}
    assert client.post(url, data).status_code == 302
    page = Client().get(reverse("portal:open_data", kwargs={"municipality_slug": "musterstadt"}))
    text = page.content.decode()
    assert "Datenlizenz Deutschland – Zero – Version 2.0" in text and "daten@example.org" in text
    assert "Bitte nennen Sie als Quelle" not in text  # Zero asks for no attribution
    settings = OpenDataSettings.objects.get(municipality=world.municipality)
    stale = {**data, "contact_email": "alt@example.org", "expected_version": settings.version - 1}
    assert client.post(url, stale).status_code == 409
