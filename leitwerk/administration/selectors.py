"""Reads of "Kommune einrichten": the first-run checklist and the organisation pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.urls import reverse

from leitwerk.accounts.models import IdentityProvider
from leitwerk.controlling.models import ReminderSettings
from leitwerk.core.access import require_allowed
from leitwerk.guidelines.models import GuidelineDocument
from leitwerk.municipalities.models import Body, Membership, Municipality, OrganisationalUnit
from leitwerk.network.models import RegistryMunicipality
from leitwerk.plans.models import ActionPlan, Initiative

PERM = "administration.set_up"


@dataclass
class Step:
    title: str
    explanation: str
    done: bool
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)


def checklist(*, user: Any, municipality: Municipality) -> list[Step]:
    """The steps a new municipality goes through, each with its pages and done/open."""
    require_allowed(user, PERM, municipality)
    plans = list(ActionPlan.objects.filter(municipality=municipality).order_by("pk"))
    people = (
        Membership.objects.filter(municipality=municipality).values("user_id").distinct().count()
    )
    first_plan = plans[0] if plans else None
    return [
        Step(
            "Leitbild importieren oder schreiben",
            "Das vorhandene Leitbild (Word, PDF, Text) importieren – oder Abschnitt für "
            "Abschnitt anlegen.",
            GuidelineDocument.objects.filter(municipality=municipality).exists(),
            [
                ("Leitbild importieren", reverse("imports:upload")),
                ("Leitbild anlegen", reverse("guidelines:create")),
            ],
        ),
        Step(
            "Aktionsplan importieren oder anlegen",
            "Die Tabelle des Aktionsplans (Excel, ODS, CSV) importieren – oder den Plan hier "
            "anlegen.",
            bool(plans),
            [
                ("Aktionsplan importieren", reverse("imports:upload")),
                ("Aktionsplan anlegen", reverse("plans:create")),
            ],
        ),
        Step(
            "Organisationseinheiten und Gremien einrichten",
            "Fachbereiche, Ämter und Stabsstellen als Baum; Rat und Ausschüsse als Gremien.",
            OrganisationalUnit.objects.filter(municipality=municipality).exists()
            and Body.objects.filter(municipality=municipality).exists(),
            [
                ("Organisationseinheiten", reverse("administration:units")),
                ("Gremien", reverse("administration:bodies")),
            ],
        ),
        Step(
            "Personen einladen",
            "Projektleitungen, Stabsstelle und Rat einladen und ihnen Rollen geben.",
            people > 1,
            [("Personen & Rollen", reverse("people:list"))],
        ),
        Step(
            "Berichtsintervall und Erinnerungen prüfen",
            "Wie oft die Projektleitungen einen Sachstand melden (Standard: alle 90 Tage) und "
            "wie früh Leitwerk sie vor jedem Termin per E-Mail erinnert (Standard: drei "
            "Arbeitstage); erledigt, sobald Sie die Einstellungen einmal gespeichert haben.",
            any(plan.reporting_interval_days != 90 for plan in plans)
            or ReminderSettings.objects.filter(municipality=municipality).exists(),
            [
                ("Berichtsintervall und Erinnerungen", reverse("controlling:reminder_settings")),
                ("Verschickte Erinnerungen", reverse("controlling:reminder_log")),
            ],
        ),
        Step(
            "Anmeldung über die Verwaltung (optional)",
            "Wenn Ihre Verwaltung ein zentrales Konto hat (Keycloak, AD FS, Entra ID), melden "
            "sich die Beschäftigten damit an.",
            IdentityProvider.objects.filter(municipality=municipality, enabled=True).exists(),
            [("Anmeldung einrichten", reverse("administration:sso"))],
        ),
        Step(
            "Portal veröffentlichen",
            "Den Aktionsplan auf „öffentlich“ stellen: Dann zeigt das Bürgerportal ihn.",
            any(plan.public for plan in plans),
            [("Portal ansehen", reverse("portal:home", args=[municipality.slug]))]
            + (
                [("Aktionsplan bearbeiten", reverse("plans:edit", args=[first_plan.pk]))]
                if first_plan
                else []
            ),
        ),
    ]


@dataclass
class UnitNode:
    unit: OrganisationalUnit
    depth: int
    lead_count: int
    people_count: int


def unit_tree(*, user: Any, municipality: Municipality) -> list[UnitNode]:
    """The units in tree order (depth-first), with how many Vorhaben and people each has."""
    require_allowed(user, PERM, municipality)
    units = list(OrganisationalUnit.objects.filter(municipality=municipality))
    leads: dict[int, int] = {}
    for unit_id in Initiative.objects.filter(
        municipality=municipality, lead_unit__isnull=False
    ).values_list("lead_unit_id", flat=True):
        leads[unit_id] = leads.get(unit_id, 0) + 1
    people: dict[int, int] = {}
    for unit_id in Membership.objects.filter(
        municipality=municipality, unit__isnull=False
    ).values_list("unit_id", flat=True):
        people[unit_id] = people.get(unit_id, 0) + 1
    children: dict[int | None, list[OrganisationalUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    out: list[UnitNode] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in sorted(children.get(parent_id, []), key=lambda u: (u.code, u.name)):
            out.append(UnitNode(unit, depth, leads.get(unit.pk, 0), people.get(unit.pk, 0)))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return out


def bodies(*, user: Any, municipality: Municipality) -> list[tuple[Body, list[Membership]]]:
    """The bodies with their members (people whose role is bound to the body)."""
    require_allowed(user, PERM, municipality)
    rows = list(Body.objects.filter(municipality=municipality).order_by("name"))
    members: dict[int, list[Membership]] = {}
    for membership in Membership.objects.filter(
        municipality=municipality, body__isnull=False
    ).select_related("user"):
        members.setdefault(membership.body_id, []).append(membership)  # type: ignore[arg-type]
    return [(body, members.get(body.pk, [])) for body in rows]


def require_operator(user: Any) -> None:
    """Onboarding is the operator's (superuser's) work; everyone else gets 404."""
    if not getattr(user, "is_superuser", False):
        raise Http404


def registry_search(*, user: Any, query: str, limit: int = 25) -> list[RegistryMunicipality]:
    """Entries of the Gemeindeverzeichnis by name (part) or AGS (prefix)."""
    require_operator(user)
    query = query.strip()
    if not query:
        return []
    entries = RegistryMunicipality.objects.all()
    if query.isdigit():
        entries = entries.filter(ags__startswith=query)
    else:
        entries = entries.filter(name__icontains=query)
    return list(entries.order_by("name", "state")[:limit])


def registry_is_empty() -> bool:
    return not RegistryMunicipality.objects.exists()


def registry_entry(*, user: Any, pk: int) -> RegistryMunicipality | None:
    require_operator(user)
    return RegistryMunicipality.objects.filter(pk=pk).first()


def municipalities_overview(*, user: Any) -> list[Municipality]:
    require_operator(user)
    return list(Municipality.objects.select_related("parent").order_by("name"))


def identity_provider(*, user: Any, municipality: Municipality) -> IdentityProvider | None:
    """The municipality's identity provider for its admin, or None before it is set up."""
    require_allowed(user, PERM, municipality)
    return IdentityProvider.objects.filter(municipality=municipality).first()
