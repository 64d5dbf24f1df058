"""All or nothing: a write that fails halfway leaves the database exactly as it was."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection

from leitwerk.core.models import AuditLogEntry
from leitwerk.guidelines.models import GuidelineDocument, GuidelineSection, Statement
from leitwerk.imports.fuzz.guideline_samples import GRUNDSAETZE
from leitwerk.imports.models import ImportRun
from leitwerk.imports.services import ImportFailed, guideline_import, plan_import
from leitwerk.municipalities.models import Municipality
from leitwerk.plans.models import ActionField, ActionPlan, Initiative, Milestone

PLAN_HEADER = "Nr.;Aktionsfeld;Vorhaben;Zielsetzung;Meilensteine\n"


def plan_csv(suffix: str = "") -> str:
    rows = [
        f"{n};Aktionsfeld {'A' if n < 4 else 'B'} Feld;Vorhaben {n}{suffix};Ziel {n};Schritt {n}"
        for n in range(1, 8)
    ]
    return PLAN_HEADER + "\n".join(rows) + "\n"


@pytest.fixture
def town(db):
    return Municipality.objects.create(name="Rückrollstadt", slug="rueckrollstadt")


def fail_on_nth_save(monkeypatch, model, n: int):
    """The n-th save of a row of `model` raises, as a full disk or a constraint would."""
    original = model.save
    calls = {"count": 0}

    def save(self, *args, **kwargs):
        calls["count"] += 1
        if calls["count"] == n:
            raise DatabaseError("simulated failure")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(model, "save", save)
    return calls


@contextmanager
def fail_on_nth_write(n: int):
    """The n-th INSERT, UPDATE, DELETE or COPY raises, as a full disk or a constraint would.

    Counted on the connection, so it holds however the import batches its writes (COPY:
    the bulk writes on PostgreSQL).
    """
    calls = {"count": 0}

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "COPY")):
            calls["count"] += 1
            if calls["count"] == n:
                raise DatabaseError("simulated failure")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield calls


def guideline_state():
    return (
        list(GuidelineDocument.objects.values_list("id", "title", "preamble", "source_hash")),
        list(GuidelineSection.objects.values_list("id", "document_id", "number", "title")),
        list(Statement.objects.values_list("id", "section_id", "kind", "text", "order")),
        ImportRun.objects.count(),
        AuditLogEntry.objects.count(),
    )


def plan_state():
    return (
        list(ActionPlan.objects.values_list("id", "title", "description", "source_hash")),
        list(ActionField.objects.values_list("id", "code", "title")),
        list(Initiative.objects.values_list("id", "number", "title", "objective")),
        list(Milestone.objects.values_list("id", "initiative_id", "title")),
        ImportRun.objects.count(),
        AuditLogEntry.objects.count(),
    )


@pytest.mark.parametrize("existing", [False, True], ids=["new", "update"])
def test_guideline_import_failing_at_the_fifth_statement_changes_nothing(
    town, tmp_path, monkeypatch, existing
):
    path = tmp_path / "grundsaetze.txt"
    if existing:
        path.write_text(GRUNDSAETZE, encoding="utf-8")
        guideline_import(municipality=town, path=path)
        # A changed version under the same title: every statement differs and is saved again.
        title, body = GRUNDSAETZE.split("\n", 1)
        path.write_text(title + "\n" + body.replace("e", "ë"), encoding="utf-8")
    else:
        path.write_text(GRUNDSAETZE, encoding="utf-8")
    before = guideline_state()
    calls = fail_on_nth_save(monkeypatch, Statement, 5)
    with pytest.raises(ImportFailed) as failure:
        guideline_import(municipality=town, path=path)
    assert calls["count"] == 5, "the failure must happen in the middle of the write"
    assert "nichts gespeichert" in failure.value.errors[0].message
    assert guideline_state() == before


@pytest.mark.parametrize("existing", [False, True], ids=["new", "update"])
def test_plan_import_failing_in_the_middle_of_its_writes_changes_nothing(town, tmp_path, existing):
    path = tmp_path / "aktionsplan.csv"
    path.write_text(plan_csv(), encoding="utf-8")
    if existing:
        plan_import(municipality=town, path=path, title="Aktionsplan Test")
        path.write_text(plan_csv(" (neu)"), encoding="utf-8")
    before = plan_state()
    with fail_on_nth_write(5) as calls, pytest.raises(ImportFailed) as failure:
        plan_import(municipality=town, path=path, title="Aktionsplan Test")
    assert calls["count"] == 5, "the failure must happen in the middle of the write"
    assert "nichts gespeichert" in failure.value.errors[0].message
    assert plan_state() == before
