"""Services of the Leitbild: create, update with locking, delete, all audited."""

from __future__ import annotations

import pytest

from leitwerk.core.editing import ConflictError
from leitwerk.core.models import AuditLogEntry
from leitwerk.guidelines import services
from leitwerk.guidelines.models import Statement, StatementKind


@pytest.mark.django_db
def test_document_section_statement_lifecycle(musterstadt, strategy_user):
    document = services.guideline_document_create(
        municipality=musterstadt, actor=strategy_user, title="Leitbild 2030"
    )
    section = services.guideline_section_create(
        document=document, actor=strategy_user, title="Bürgernähe"
    )
    statement = services.statement_create(
        section=section, actor=strategy_user, kind=StatementKind.WIR, text="Wir hören zu."
    )
    statement = services.statement_update(
        statement=statement,
        actor=strategy_user,
        expected_version=1,
        changes={"text": "Wir hören zu und antworten."},
    )
    assert statement.version == 2
    with pytest.raises(ConflictError):
        services.statement_update(
            statement=statement, actor=strategy_user, expected_version=1, changes={"text": "X"}
        )
    services.guideline_document_delete(document=document, actor=strategy_user)
    assert not Statement.objects.exists()
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {
        "guideline_document.create",
        "guideline_section.create",
        "statement.create",
        "statement.update",
        "guideline_document.delete",
    } <= actions
