"""The accessibility statement of a municipality's portal (EU 2018/1523 model, § 12b BGG):
one set of facts for the page and for its machine-readable JSON-LD version."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from leitwerk.municipalities.models import Municipality

from . import accessibility_bodies
from .accessibility_bodies import Body, StateBodies
from .models import AccessibilityCheck, PortalSettings

CONFORMANCE = "teilweise vereinbar"
STANDARD = "EN 301 549 (WCAG 2.1 Stufe AA); geprüft wird zusätzlich mit den Regeln von WCAG 2.2 AA"


@dataclass(frozen=True)
class Limitation:
    title: str
    text: str


@dataclass(frozen=True)
class Statement:
    municipality: Municipality
    reviewed_on: dt.date
    bodies: StateBodies | None
    federal: Body
    bodies_compiled_on: str
    check: AccessibilityCheck | None
    limitations: list[Limitation] = field(default_factory=list)
    has_sign_language: bool = False


def _product_limitations(*, has_sign_language: bool) -> list[Limitation]:
    found = [
        Limitation(
            "Berichte als PDF-Datei",
            "Ältere oder von außen übernommene PDF-Dateien sind eventuell nicht vollständig "
            "für Screenreader aufbereitet. Grund: Sie stammen nicht aus Leitwerk. Alternative: "
            "Die Inhalte stehen auch auf diesen Seiten, oder wir schicken sie Ihnen auf Anfrage "
            "in einer zugänglichen Form.",
        ),
        Limitation(
            "Texte der Verwaltung",
            "Beschreibungen von Vorhaben und Entscheidungen schreiben Menschen in der "
            "Verwaltung. Manche Texte sind schwer zu lesen. Grund: Wir prüfen die "
            "Verständlichkeit vor dem Veröffentlichen, können aber nicht jeden Text sofort "
            "vereinfachen. Alternative: die Seite in Leichter Sprache, oder fragen Sie uns.",
        ),
        Limitation(
            "Noch kein Prüfbericht",
            "Eine Prüfung durch eine unabhängige Stelle (zum Beispiel BITV-Test) steht noch "
            "aus. Deshalb können weitere Mängel bestehen, die wir noch nicht kennen.",
        ),
    ]
    if not has_sign_language:
        found.append(
            Limitation(
                "Gebärdensprache",
                "Ein Video in Deutscher Gebärdensprache (§ 4 BITV 2.0) gibt es noch nicht. "
                "Grund: Es ist in Arbeit. Alternative: die Seite in Leichter Sprache, oder wir "
                "erklären Ihnen die Inhalte gern persönlich.",
            )
        )
    return found


def _own_limitations(text: str) -> list[Limitation]:
    found = []
    for line in text.splitlines():
        line = line.strip(" -•\t")
        if not line:
            continue
        title, _, rest = line.partition(":")
        found.append(Limitation(title.strip(), rest.strip()) if rest else Limitation("", line))
    return found


def build(
    *,
    municipality: Municipality,
    settings: PortalSettings,
    check: AccessibilityCheck | None,
    reviewed_on: dt.date,
) -> Statement:
    has_video = bool(settings.sign_language_video_url)
    return Statement(
        municipality=municipality,
        reviewed_on=reviewed_on,
        bodies=accessibility_bodies.for_ags(municipality.ags),
        federal=accessibility_bodies.federal_body(),
        bodies_compiled_on=accessibility_bodies.compiled_on(),
        check=check,
        limitations=_own_limitations(settings.known_limitations)
        + _product_limitations(has_sign_language=has_video),
        has_sign_language=has_video,
    )


def _organisation(body: Body, role: str) -> dict[str, Any]:
    address: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": "DE"}
    if body.address:
        *street, city = body.address
        postal, _, locality = city.partition(" ")
        address.update(
            {
                "streetAddress": ", ".join(street),
                "postalCode": postal,
                "addressLocality": locality,
            }
        )
    found: dict[str, Any] = {
        "@type": "GovernmentOrganization",
        "name": body.name,
        "description": role,
        "address": address,
    }
    if body.url:
        found["url"] = body.url
    return found


def as_jsonld(statement: Statement, *, page_url: str, site_url: str, report_url: str) -> dict:
    """Schema.org JSON-LD carrying the fields of the EU model statement: who, which site,
    conformance status, non-accessible content, date and method, feedback and enforcement."""
    municipality = statement.municipality
    check = statement.check
    properties: list[dict[str, Any]] = [
        {
            "name": "Stand der Vereinbarkeit",
            "propertyID": "conformanceStatus",
            "value": CONFORMANCE,
        },
        {"name": "Anforderungen", "propertyID": "standard", "value": STANDARD},
        {
            "name": "Methode",
            "propertyID": "assessmentMethod",
            "value": "Selbstbewertung: automatische Prüfung (axe-core) und Prüfung von Hand",
        },
    ]
    if check is not None:
        properties += [
            {
                "name": "Letzte automatische Prüfung",
                "propertyID": "lastAutomatedCheck",
                "value": check.checked_at.date().isoformat(),
            },
            {
                "name": "Geprüfte Seiten",
                "propertyID": "automatedCheckPages",
                "value": check.pages,
            },
            {
                "name": "Gefundene Verstöße (kritisch, ernst, mittel, gering)",
                "propertyID": "automatedCheckViolations",
                "value": f"{check.critical}, {check.serious}, {check.moderate}, {check.minor}",
            },
        ]
    mentions = [_organisation(statement.federal, "Schlichtungsstelle des Bundes (§ 16 BGG)")]
    if statement.bodies is not None:
        mentions = [
            _organisation(
                statement.bodies.monitoring,
                f"Überwachungsstelle des Landes {statement.bodies.state}",
            ),
            _organisation(
                statement.bodies.enforcement,
                f"Durchsetzungsstelle des Landes {statement.bodies.state}",
            ),
            *mentions,
        ]
    return {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "@id": page_url,
        "url": page_url,
        "name": f"Erklärung zur Barrierefreiheit – {municipality.name}",
        "inLanguage": "de",
        "dateModified": statement.reviewed_on.isoformat(),
        "about": {"@type": "WebSite", "name": municipality.name, "url": site_url},
        "publisher": {
            "@type": "GovernmentOrganization",
            "name": municipality.name,
            "identifier": municipality.ags or "",
        },
        "additionalProperty": [{"@type": "PropertyValue", **p} for p in properties],
        "hasPart": [
            {
                "@type": "WebPageElement",
                "name": item.title or "Bekannte Barriere",
                "description": item.text,
            }
            for item in statement.limitations
        ],
        "potentialAction": {
            "@type": "CommunicateAction",
            "name": "Barriere melden",
            "target": report_url,
        },
        "mentions": mentions,
    }
