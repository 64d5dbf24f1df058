"""The open-data catalogue of a municipality in DCAT-AP.de 3.0, for GovData and state portals.

State open-data portals harvest only DCAT-AP.de. What they refuse a catalogue for: no licence on
a distribution, no publisher, no spatial coverage (`dct:spatial`), vocabulary terms they cannot
place. So every dataset names the municipality by its official key (AGS) in `dct:spatial`
(with the level of the geocoding), every distribution carries the licence the
municipality chose, and each controlled term says which vocabulary it is from (`skos:inScheme`),
because harvesters validate without loading the EU vocabularies.

Built with rdflib; served as Turtle (`catalog.ttl`) and JSON-LD (`catalog.jsonld`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from leitwerk.municipalities.models import Municipality

from .licences import Licence

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"


@dataclass(frozen=True)
class Distribution:
    title: str
    url: str
    file_type: str  # EU file-type code: "JSON", "CSV", "ATOM", "ICS"
    media_type: str  # IANA: "application/json"
    conforms_to: str = ""


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    description: str
    landing_page: str
    keywords: tuple[str, ...]
    distributions: tuple[Distribution, ...]


@dataclass(frozen=True)
class CatalogInfo:
    municipality: Municipality
    url: str
    homepage: str
    licence: Licence
    attribution: str
    contact_email: str
    modified: dt.datetime
    datasets: tuple[Dataset, ...]


def _concept(graph: Graph, iri: str, scheme: str) -> URIRef:
    node = URIRef(iri)
    graph.add((node, SKOS.inScheme, URIRef(scheme)))
    return node


def _spatial(graph: Graph, municipality: Municipality) -> URIRef | BNode:
    if municipality.ags:
        key = URIRef(f"{GEOCODING}municipalityKey/{municipality.ags}")
        graph.add((key, RDF.type, DCTERMS.Location))
        return key
    # Without a key, a named place: still a coverage a harvester can show.
    place = BNode()
    graph.add((place, RDF.type, DCTERMS.Location))
    graph.add((place, SKOS.prefLabel, Literal(municipality.name, lang="de")))
    return place


def _add_distribution(
    graph: Graph,
    info: CatalogInfo,
    node: URIRef,
    part: Distribution,
    licence: URIRef,
    modified: Literal,
) -> None:
    """One download of a dataset: its format, media type, licence and standard."""
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(part.title, lang="de")))
    graph.add((node, DCAT.accessURL, URIRef(part.url)))
    graph.add((node, DCAT.downloadURL, URIRef(part.url)))
    file_type = _concept(graph, f"{EU}file-type/{part.file_type}", f"{EU}file-type")
    graph.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
    graph.add((node, DCTERMS["format"], file_type))
    media = URIRef(f"https://www.iana.org/assignments/media-types/{part.media_type}")
    graph.add((media, RDF.type, DCTERMS.MediaType))
    graph.add((node, DCAT.mediaType, media))
    graph.add((node, DCTERMS.license, licence))
    graph.add((node, DCTERMS.modified, modified))
    if info.licence.needs_attribution:
        graph.add((node, DCATDE.licenseAttributionByText, Literal(info.attribution, lang="de")))
    if part.conforms_to:
        standard = URIRef(part.conforms_to)
        graph.add((standard, RDF.type, DCTERMS.Standard))
        graph.add((node, DCTERMS.conformsTo, standard))


def build(info: CatalogInfo) -> Graph:
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("dcatde", DCATDE)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    graph.bind("skos", SKOS)
    municipality = info.municipality
    catalog = URIRef(info.url)
    publisher = URIRef(f"{info.homepage}#herausgeber")
    # Harvesters validate without RDFS inference: name the super classes the shapes ask for.
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, Literal(municipality.name, lang="de")))
    language = _concept(graph, f"{EU}language/DEU", f"{EU}language")
    licence = _concept(graph, info.licence.iri, "http://dcat-ap.de/def/licenses")
    graph.add((licence, RDF.type, DCTERMS.LicenseDocument))
    spatial = _spatial(graph, municipality)
    modified = Literal(info.modified.replace(microsecond=0), datatype=XSD.dateTime)

    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(f"Offene Daten – {municipality.name}", lang="de")))
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal(
                f"Die offenen Daten von {municipality.name} zur Steuerung nach dem Leitbild: "
                "Vorhaben des Aktionsplans mit Stand und Fortschritt.",
                lang="de",
            ),
        )
    )
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((catalog, FOAF.homepage, URIRef(info.homepage)))
    graph.add((catalog, DCTERMS.language, language))
    graph.add((catalog, DCTERMS.license, licence))
    graph.add((catalog, DCTERMS.spatial, spatial))
    graph.add((catalog, DCTERMS.modified, modified))

    for item in info.datasets:
        dataset = URIRef(f"{info.url}#{item.key}")
        graph.add((catalog, DCAT.dataset, dataset))
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, DCTERMS.title, Literal(item.title, lang="de")))
        graph.add((dataset, DCTERMS.description, Literal(item.description, lang="de")))
        graph.add((dataset, DCTERMS.publisher, publisher))
        graph.add((dataset, DCTERMS.language, language))
        graph.add((dataset, DCTERMS.spatial, spatial))
        graph.add((dataset, DCTERMS.modified, modified))
        graph.add((dataset, DCAT.landingPage, URIRef(item.landing_page)))
        theme = _concept(graph, f"{EU}data-theme/GOVE", f"{EU}data-theme")
        graph.add((dataset, DCAT.theme, theme))
        for word in item.keywords:
            graph.add((dataset, DCAT.keyword, Literal(word, lang="de")))
        if isinstance(spatial, URIRef):
            # 3.0 names the place in dct:spatial only (politicalGeocodingURI is deprecated).
            level = _concept(graph, f"{GEOCODING}Level/municipality", f"{GEOCODING}Level")
            graph.add((dataset, DCATDE.politicalGeocodingLevelURI, level))
        contact = BNode()
        graph.add((dataset, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, VCARD.Kind))
        graph.add((contact, RDF.type, VCARD.Organization))
        graph.add((contact, VCARD.fn, Literal(municipality.name, lang="de")))
        if info.contact_email:
            graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{info.contact_email}")))
        graph.add((contact, VCARD.hasURL, URIRef(info.homepage)))
        for n, part in enumerate(item.distributions):
            node = URIRef(f"{info.url}#{item.key}-{n + 1}")
            graph.add((dataset, DCAT.distribution, node))
            _add_distribution(graph, info, node, part, licence, modified)
    return graph
