"""Reads of guideline documents for a signed-in person, always scoped to one municipality."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from leitwerk.core.access import may
from leitwerk.core.models import scoped_related

from .models import GuidelineDocument, GuidelineSection, Statement

if TYPE_CHECKING:
    from leitwerk.accounts.models import User
    from leitwerk.municipalities.models import Municipality


def guideline_list_for_user(
    *, user: User, municipality: Municipality
) -> QuerySet[GuidelineDocument]:
    """The municipality's guideline documents with their statement counts; empty if not allowed."""
    if not may(user, "guidelines.view_guideline", municipality):
        return GuidelineDocument.objects.none()
    return (
        GuidelineDocument.objects.for_municipality(municipality)
        .annotate(
            section_count=Count("sections", distinct=True),
            statement_count=Count("sections__statements", distinct=True),
        )
        .order_by("title")
    )


def guideline_get_for_user(*, user: User, municipality: Municipality, pk: int) -> GuidelineDocument:
    """One document with sections, statements and the goals each statement serves.

    Raises Http404 for a missing document and for one the person may not see alike,
    so the answer never reveals that a row exists in another municipality.
    """
    if not may(user, "guidelines.view_guideline", municipality):
        raise Http404
    # Links are scoped too: a many-to-many row is not checked by TenantModel.clean().
    goals = scoped_related(Statement, "goals", municipality)
    statements = Statement.objects.for_municipality(municipality).prefetch_related(
        Prefetch("goals", queryset=goals)
    )
    sections = GuidelineSection.objects.for_municipality(municipality).prefetch_related(
        Prefetch("statements", queryset=statements)
    )
    document = (
        GuidelineDocument.objects.for_municipality(municipality)
        .prefetch_related(Prefetch("sections", queryset=sections))
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise Http404
    return document
