"""`core.bulk.RowWriter`: many new rows with their history, as the ORM would have written them.

Runs on SQLite (executemany) and, with DATABASE_URL pointing at PostgreSQL, on COPY.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.core.bulk import RowWriter
from leitwerk.municipalities.tests.factories import MunicipalityFactory
from leitwerk.plans.models import Indicator, IndicatorKind, Initiative, Milestone, SubInitiative
from leitwerk.plans.tests.factories import InitiativeFactory, MilestoneFactory


@pytest.fixture
def initiative(db):
    return InitiativeFactory(municipality=MunicipalityFactory())


def test_written_rows_read_back_like_rows_the_orm_created(initiative):
    by_orm = MilestoneFactory(initiative=initiative, municipality=initiative.municipality)
    writer = RowWriter(Milestone)
    writer.add(
        {
            "municipality_id": initiative.municipality_id,
            "initiative_id": initiative.pk,
            "title": "Bau „Nord“ begonnen\nzweite Zeile",
            "order": 3,
        }
    )
    writer.flush()
    written = Milestone.objects.filter(municipality=initiative.municipality).exclude(pk=by_orm.pk)
    row = written.get()
    assert row.title == "Bau „Nord“ begonnen\nzweite Zeile"
    assert (row.order, row.version, row.done_on, row.is_success_factor) == (3, 1, None, False)
    assert row.weight == by_orm.weight
    assert row.created_at == row.updated_at == writer.now


def test_every_row_gets_its_history_record_with_the_person_and_time(initiative):
    person = UserFactory()
    writer = RowWriter(Milestone, history_user=person, batch=2)
    keys = [
        writer.add(
            {
                "municipality_id": initiative.municipality_id,
                "initiative_id": initiative.pk,
                "title": f"Schritt {n}",
            }
        )
        for n in range(5)
    ]
    writer.flush()
    history = Milestone.history.filter(id__in=keys).order_by("id")
    assert [(h.id, h.title, h.history_type) for h in history] == [
        (key, f"Schritt {n}", "+") for n, key in enumerate(keys)
    ]
    assert {h.history_user_id for h in history} == {person.pk}
    assert {h.history_date for h in history} == {writer.now}
    assert writer.written == 5


def test_children_point_at_parents_whose_keys_were_given_before_anything_was_written(initiative):
    town = initiative.municipality
    parent = Initiative(
        municipality=town, action_field=initiative.action_field, title="Neu", number="9"
    )
    parents = RowWriter(Initiative)
    parents.add_instance(parent)
    assert parent.pk is not None and not parent._state.adding
    ideas = RowWriter(SubInitiative)
    ideas.add({"municipality_id": town.pk, "initiative_id": parent.pk, "text": "Idee"})
    ideas.flush()
    parents.flush()
    stored = Initiative.objects.get(municipality=town, pk=parent.pk)
    assert [i.text for i in stored.ideas.all()] == ["Idee"]
    assert stored.history.get().history_type == "+"


def test_json_and_choice_values_arrive_as_given(initiative):
    writer = RowWriter(Indicator)
    key = writer.add(
        {
            "municipality_id": initiative.municipality_id,
            "initiative_id": initiative.pk,
            "title": "Radwege",
            "kind": IndicatorKind.CHECKLIST,
            "checklist": [{"text": "Plan „A“", "done": True}],
        }
    )
    writer.flush()
    row = Indicator.objects.get(municipality=initiative.municipality, pk=key)
    assert row.kind == "checklist"
    assert row.checklist == [{"text": "Plan „A“", "done": True}]
    assert row.history.get().checklist == [{"text": "Plan „A“", "done": True}]


def test_keys_never_reuse_those_of_rows_deleted_before(initiative):
    town = initiative.municipality
    gone = MilestoneFactory(initiative=initiative, municipality=town)
    gone_pk = gone.pk
    gone.delete()
    writer = RowWriter(Milestone)
    key = writer.add({"municipality_id": town.pk, "initiative_id": initiative.pk, "title": "x"})
    writer.flush()
    assert key is not None and key > gone_pk
    # The ORM's next row does not collide with the written one either.
    after = MilestoneFactory(initiative=initiative, municipality=town)
    assert after.pk > key


def test_more_rows_than_a_block_of_keys_all_get_distinct_keys(initiative):
    writer = RowWriter(Milestone, batch=3)
    writer.expect(2)
    values = {"municipality_id": initiative.municipality_id, "initiative_id": initiative.pk}
    keys = [writer.add({**values, "title": f"M {n}"}) for n in range(10)]
    writer.flush()
    assert len(set(keys)) == 10
    assert Milestone.objects.filter(municipality=initiative.municipality).count() == 10


def test_a_row_without_municipality_is_refused_before_it_is_written(initiative):
    writer = RowWriter(Milestone)
    with pytest.raises(ValueError, match="ohne Kommune"):
        writer.add({"initiative_id": initiative.pk, "title": "heimatlos"})
    writer.flush()
    assert not Milestone.objects.filter(municipality=initiative.municipality).exists()


def test_a_row_the_database_refuses_raises_djangos_error_and_keeps_nothing(initiative):
    writer = RowWriter(Milestone)
    writer.add(
        {
            "municipality_id": initiative.municipality_id,
            "initiative_id": initiative.pk,
            "title": "ok",
        }
    )
    writer.add(
        {
            "municipality_id": initiative.municipality_id,
            "initiative_id": initiative.pk,
            "title": None,
        }
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        writer.flush()
    assert not Milestone.objects.filter(municipality=initiative.municipality).exists()


def test_the_writes_show_in_the_query_log_and_pass_the_execute_wrappers(initiative):
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql.split()[0].upper())
        return execute(sql, params, many, context)

    writer = RowWriter(Milestone)
    writer.add(
        {
            "municipality_id": initiative.municipality_id,
            "initiative_id": initiative.pk,
            "title": "a",
        }
    )
    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(wrapper):
        writer.flush()
    write = "COPY" if connection.vendor == "postgresql" else "INSERT"
    assert seen == [write, write]  # the rows, then their history records
    assert len(queries) == 2 and all(write in q["sql"] for q in queries.captured_queries)
