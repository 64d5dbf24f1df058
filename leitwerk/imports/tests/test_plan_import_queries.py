"""A plan import costs the same number of queries for 10 and for 30 Vorhaben (no N+1).

Kept below SQLite's bulk-insert batch size (about 45 rows here), where Django splits a bulk
write into several statements, so equal counts mean no per-row query.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leitwerk.imports.services import plan_import
from leitwerk.municipalities.models import Municipality
from leitwerk.plans.models import Initiative, Milestone

HEADER = "Nr.;Aktionsfeld;Vorhaben;Zielsetzung;Meilensteine;Indikatoren\n"


def plan_csv(rows: int, suffix: str = "", order: str = "Planung {n} • Bau {n}") -> str:
    lines = [
        f"{n};Aktionsfeld {'A' if n % 2 else 'B'} Feld;Vorhaben {n};Ziel {n}{suffix};"
        f"{order.format(n=n)};Kilometer {n}"
        for n in range(1, rows + 1)
    ]
    return HEADER + "\n".join(lines) + "\n"


def import_queries(town, tmp_path, text: str) -> int:
    path = tmp_path / "aktionsplan.csv"
    path.write_text(text, encoding="utf-8")
    with CaptureQueriesContext(connection) as queries:
        plan_import(municipality=town, path=path, title="Aktionsplan Test")
    return len(queries)


@pytest.fixture
def towns(db):
    return [
        Municipality.objects.create(name=f"Zählstadt {n}", slug=f"zaehlstadt-{n}") for n in (1, 2)
    ]


def test_first_import_query_count_does_not_grow_with_the_rows(towns, tmp_path):
    small = import_queries(towns[0], tmp_path, plan_csv(10))
    large = import_queries(towns[1], tmp_path, plan_csv(30))
    assert large == small
    assert Initiative.objects.filter(municipality=towns[1]).count() == 30
    assert Milestone.objects.filter(municipality=towns[1]).count() == 60


def test_reimport_with_changes_query_count_does_not_grow_with_the_rows(towns, tmp_path):
    # Objectives change and milestones swap places: updates only, progress data kept.
    for town, rows in zip(towns, (10, 30), strict=True):
        import_queries(town, tmp_path, plan_csv(rows))
    kept = set(Milestone.objects.filter(municipality=towns[1]).values_list("id", flat=True))
    swapped = "Bau {n} • Planung {n}"
    small = import_queries(towns[0], tmp_path, plan_csv(10, " neu", order=swapped))
    large = import_queries(towns[1], tmp_path, plan_csv(30, " neu", order=swapped))
    assert large == small
    initiative = Initiative.objects.get(municipality=towns[1], number="7")
    assert initiative.objective == "Ziel 7 neu"
    assert list(initiative.milestones.values_list("title", flat=True)) == ["Bau 7", "Planung 7"]
    assert set(Milestone.objects.filter(municipality=towns[1]).values_list("id", flat=True)) == kept


def test_changed_vorhaben_gets_a_new_version_so_open_edits_conflict(towns, tmp_path):
    town = towns[0]
    import_queries(town, tmp_path, plan_csv(3))
    before = dict(Initiative.objects.filter(municipality=town).values_list("number", "version"))
    import_queries(town, tmp_path, plan_csv(3).replace("Ziel 2;", "Ziel 2 geschärft;"))
    after = dict(Initiative.objects.filter(municipality=town).values_list("number", "version"))
    assert after["2"] == before["2"] + 1
    assert after["1"] == before["1"]


def _result_and_stored(town, tmp_path, text: str):
    from leitwerk.imports.services.plan import plan_dict
    from leitwerk.plans.models import ActionPlan

    path = tmp_path / "aktionsplan.csv"
    path.write_text(text, encoding="utf-8")
    result = plan_import(municipality=town, path=path)
    plan = ActionPlan.objects.get(pk=result["plan"]["id"])
    return result["plan"], plan_dict(plan)


def test_the_import_shows_the_plan_as_stored_without_reading_it_back(towns, tmp_path):
    """The result is built from the rows just written (issue 21); it must be exactly what
    the database now holds: new plan, changed rows, moved rows and Vorhaben kept although
    the file no longer names them."""
    town = towns[0]
    shown, stored = _result_and_stored(town, tmp_path, plan_csv(12))
    assert shown == stored and len(stored["action_fields"]) == 2
    # Changed objectives, swapped milestones, rows 11 and 12 gone (kept), a new row 13 in
    # a new action field, row 3 moved to field B.
    text = plan_csv(10, " neu", order="Bau {n} • Planung {n}")
    text = text.replace("3;Aktionsfeld A Feld;", "3;Aktionsfeld B Feld;")
    text += "13;Aktionsfeld C Feld;Vorhaben 13;Ziel 13;Start 13;Meter 13\n"
    shown, stored = _result_and_stored(town, tmp_path, text)
    assert shown == stored
    numbers = [i["number"] for f in stored["action_fields"] for i in f["initiatives"]]
    assert {"11", "12", "13"} <= set(numbers)


def test_a_large_table_with_repeated_numbers_warns_once_per_repeat(towns, tmp_path):
    lines = [f"{n % 50};Aktionsfeld A Feld;Vorhaben {n};Ziel;Start;Meter" for n in range(200)]
    path = tmp_path / "aktionsplan.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    result = plan_import(municipality=towns[0], path=path)
    assert sum("kommt mehrfach vor" in w for w in result["warnings"]) == 150
