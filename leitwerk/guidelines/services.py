"""Writes of the Leitbild: documents, sections and statements.

Updates use the optimistic locking of `leitwerk.plans.services` (`expected_version`,
`ConflictError`), so two people editing one statement never overwrite each other silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction

from leitwerk.core.editing import check_fields, create_row, delete_row, update_versioned
from leitwerk.municipalities.models import Municipality

from .models import GuidelineDocument, GuidelineSection, Statement

if TYPE_CHECKING:
    from leitwerk.accounts.models import User

DOCUMENT_FIELDS = {
    "title",
    "kind",
    "preamble",
    "closing",
    "version_label",
    "valid_from",
    "valid_to",
    "status",
}
SECTION_FIELDS = {"number", "title", "intro", "order"}
STATEMENT_FIELDS = {"kind", "text", "order", "needs_review", "review_note"}


@transaction.atomic
def guideline_document_create(
    *,
    municipality: Municipality,
    actor: User | None,
    title: str,
    values: Mapping[str, Any] | None = None,
) -> GuidelineDocument:
    values = {**(values or {}), "title": title}
    check_fields(GuidelineDocument, values, DOCUMENT_FIELDS)
    return create_row(
        model=GuidelineDocument,
        municipality=municipality,
        actor=actor,
        action="guideline_document.create",
        values=values,
    )


@transaction.atomic
def guideline_document_update(
    *,
    document: GuidelineDocument,
    actor: User | None,
    expected_version: int,
    changes: Mapping[str, Any],
) -> GuidelineDocument:
    check_fields(GuidelineDocument, changes, DOCUMENT_FIELDS)
    return update_versioned(
        instance=document,
        actor=actor,
        action="guideline_document.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def guideline_document_delete(*, document: GuidelineDocument, actor: User | None) -> None:
    delete_row(instance=document, actor=actor, action="guideline_document.delete")


@transaction.atomic
def guideline_section_create(
    *,
    document: GuidelineDocument,
    actor: User | None,
    title: str,
    values: Mapping[str, Any] | None = None,
) -> GuidelineSection:
    values = {**(values or {}), "title": title}
    check_fields(GuidelineSection, values, SECTION_FIELDS)
    return create_row(
        model=GuidelineSection,
        municipality=document.municipality,
        actor=actor,
        action="guideline_section.create",
        values={**values, "document": document},
    )


@transaction.atomic
def guideline_section_update(
    *,
    section: GuidelineSection,
    actor: User | None,
    expected_version: int,
    changes: Mapping[str, Any],
) -> GuidelineSection:
    check_fields(GuidelineSection, changes, SECTION_FIELDS)
    return update_versioned(
        instance=section,
        actor=actor,
        action="guideline_section.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def guideline_section_delete(*, section: GuidelineSection, actor: User | None) -> None:
    delete_row(instance=section, actor=actor, action="guideline_section.delete")


@transaction.atomic
def statement_create(
    *,
    section: GuidelineSection,
    actor: User | None,
    kind: str,
    text: str,
    values: Mapping[str, Any] | None = None,
) -> Statement:
    values = {**(values or {}), "kind": kind, "text": text}
    check_fields(Statement, values, STATEMENT_FIELDS)
    return create_row(
        model=Statement,
        municipality=section.municipality,
        actor=actor,
        action="statement.create",
        values={**values, "section": section},
    )


@transaction.atomic
def statement_update(
    *,
    statement: Statement,
    actor: User | None,
    expected_version: int,
    changes: Mapping[str, Any],
) -> Statement:
    check_fields(Statement, changes, STATEMENT_FIELDS)
    return update_versioned(
        instance=statement,
        actor=actor,
        action="statement.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def statement_delete(*, statement: Statement, actor: User | None) -> None:
    delete_row(instance=statement, actor=actor, action="statement.delete")
