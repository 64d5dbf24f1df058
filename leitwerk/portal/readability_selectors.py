"""Reads for the editors' readability page: public texts of one municipality, scored.

"Public" follows the portal's own rules where a row is already published, but also takes
Vorhaben marked public whose plan is not yet published: editors should fix a text before
citizens read it, not after.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse

from leitwerk.guidelines.models import GuidelineStatus, Statement
from leitwerk.municipalities.models import Municipality
from leitwerk.plans.models import Initiative, PlanStatus
from leitwerk.priorities.models import Decision

from .readability import TARGET_SCORE, Readability, analyse


@dataclass(frozen=True)
class ScoredText:
    kind: str  # "Vorhaben", "Leitbild", "Entscheidung"
    title: str
    field_label: str
    text: str
    result: Readability
    in_portal: bool  # already visible to citizens
    edit_url: str = ""

    @property
    def verdict(self) -> str:
        if self.result.ok:
            return "Gut verständlich"
        if self.result.score is not None and self.result.score >= TARGET_SCORE:
            return "Verständlich, aber mit Hinweisen"
        return "Schwer verständlich – bitte vereinfachen"


def _initiatives(municipality: Municipality) -> list[Initiative]:
    return list(
        Initiative.objects.for_municipality(municipality)
        .filter(public=True)
        .filter(~Q(objective="") | ~Q(description=""))
        .select_related("action_field__plan")
        .prefetch_related("responsible_people")
        .order_by("number", "title", "id")
    )


def public_texts_for_review(*, user: Any, municipality: Municipality) -> list[ScoredText]:
    """Every public text of the municipality with its score, the hardest to read first.

    A fixed number of queries, however many texts there are.
    """
    if municipality is None or not user.has_perm("portal.review_readability", municipality):
        raise PermissionDenied
    items: list[ScoredText] = []
    for initiative in _initiatives(municipality):
        plan = initiative.action_field.plan
        in_portal = plan.public and plan.status in (PlanStatus.ADOPTED, PlanStatus.ARCHIVED)
        edit_url = (
            reverse("plans:initiative_edit", args=[initiative.pk])
            if user.has_perm("plans.change_initiative", initiative)
            else ""
        )
        name = f"{initiative.number} {initiative.title}".strip()
        for field_label, text in (
            ("Zielsetzung", initiative.objective),
            ("Beschreibung", initiative.description),
        ):
            if text.strip():
                items.append(
                    ScoredText(
                        "Vorhaben", name, field_label, text, analyse(text), in_portal, edit_url
                    )
                )
    statements = (
        Statement.objects.for_municipality(municipality)
        .filter(section__document__status=GuidelineStatus.ADOPTED)
        .select_related("section__document")
        .order_by("section__document_id", "section__order", "order", "id")
    )
    for statement in statements:
        if not statement.text.strip():
            continue
        items.append(
            ScoredText(
                "Leitbild",
                f"{statement.section.document.title}: {statement.section.title}",
                statement.get_kind_display(),
                statement.text,
                analyse(statement.text),
                True,
                reverse("guidelines:statement_edit", args=[statement.pk])
                if user.has_perm("guidelines.change_guideline", statement)
                else "",
            )
        )
    decisions_url = (
        reverse("priorities:decisions")
        if user.has_perm("priorities.record_decision", municipality)
        else ""
    )
    for decision in Decision.objects.for_municipality(municipality).visible_in_portal():
        if not decision.justification.strip():
            continue
        items.append(
            ScoredText(
                "Entscheidung",
                decision.title,
                "Begründung",
                decision.justification,
                analyse(decision.justification),
                True,
                decisions_url,
            )
        )
    # Hardest first; texts without hints after all others.
    items.sort(key=lambda t: (t.result.ok, t.result.score if t.result.score is not None else 0))
    return items
