"""Reads for the editors' readability page: public texts of one municipality, scored.

"Public" follows the portal's own rules where a row is already published, but also takes
Vorhaben marked public whose plan is not yet published: editors should fix a text before
citizens read it, not after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse

from leitwerk.goals.models import Goal
from leitwerk.guidelines.models import GuidelineStatus, Statement
from leitwerk.municipalities.models import Municipality
from leitwerk.plans.models import Initiative, PlanStatus
from leitwerk.priorities.models import Decision

from .readability import TARGET_SCORE, EasyFinding, Readability, analyse, easy_language_findings

EASY = "Leichte Sprache"


@dataclass(frozen=True)
class ScoredText:
    kind: str  # "Vorhaben", "Leitbild", "Entscheidung"
    title: str
    field_label: str
    text: str
    result: Readability
    in_portal: bool  # already visible to citizens
    edit_url: str = ""
    # Texts in Leichte Sprache: the sentences that break one of its rules, with the rules.
    easy_findings: list[EasyFinding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        if self.kind == EASY:
            return not self.easy_findings
        return self.result.ok

    @property
    def verdict(self) -> str:
        if self.kind == EASY:
            return (
                "Hält die Regeln der Leichten Sprache ein"
                if self.ok
                else "Verletzt Regeln der Leichten Sprache"
            )
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
    items += _easy_texts(user, municipality)
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
    items.sort(key=lambda t: (t.ok, t.result.score if t.result.score is not None else 0))
    return items


def _easy_texts(user: Any, municipality: Municipality) -> list[ScoredText]:
    """The Leichte-Sprache summaries of public Vorhaben and goals, checked by its rules."""
    names = (municipality.name,)
    found: list[ScoredText] = []
    initiatives = (
        Initiative.objects.for_municipality(municipality)
        .filter(public=True)
        .exclude(easy_summary="")
        .select_related("action_field__plan")
        .order_by("number", "title", "id")
    )
    for initiative in initiatives:
        plan = initiative.action_field.plan
        text = initiative.easy_summary
        found.append(
            ScoredText(
                EASY,
                f"Vorhaben {initiative.number} {initiative.title}".replace("  ", " "),
                "Kurz in Leichter Sprache",
                text,
                analyse(text),
                plan.public and plan.status in (PlanStatus.ADOPTED, PlanStatus.ARCHIVED),
                reverse("plans:initiative_edit", args=[initiative.pk])
                if user.has_perm("plans.change_initiative", initiative)
                else "",
                easy_language_findings(text, names=names),
            )
        )
    for goal in (
        Goal.objects.for_municipality(municipality).filter(public=True).exclude(easy_summary="")
    ):
        found.append(
            ScoredText(
                EASY,
                f"Ziel {goal.title}",
                "Kurz in Leichter Sprache",
                goal.easy_summary,
                analyse(goal.easy_summary),
                True,
                reverse("goals:goal_edit", args=[goal.pk])
                if user.has_perm("goals.change_goal", goal)
                else "",
                easy_language_findings(goal.easy_summary, names=names),
            )
        )
    return found
