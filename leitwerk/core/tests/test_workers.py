"""Several `leitwerk worker` processes on one PostgreSQL database run every task exactly once.

django-tasks-db claims a job with SELECT … FOR UPDATE SKIP LOCKED and marks it RUNNING in the
same transaction, so a second worker skips a row the first one holds instead of waiting for it
or taking it too. These tests run only on PostgreSQL (the PG stage of .ci/run): SQLite has no
row locks, it serialises writers instead, and production does not run on it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django_tasks_db.models import DBTaskResult

from .tasks_for_tests import PROBE_TABLE, record_run

REPO = Path(__file__).resolve().parents[3]
TASKS = 200
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Nur auf PostgreSQL: SQLite kennt keine Zeilensperren (SKIP LOCKED); "
    "läuft in der PostgreSQL-Stufe von .ci/run.",
)


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}"


def _worker(worker_id: str, tmp_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        # Production settings: the database task backend, not the tests' immediate one.
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SECRET_KEY": "worker-test-secret-" + "x" * 40,
        "DATABASE_URL": _database_url(),
        "LEITWERK_VAR_DIR": str(tmp_path),
        "DEBUG": "False",
    }
    env.pop("LEITWERK_LOCAL_SECRET", None)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "leitwerk.cli",
            "worker",
            "--queue-name",
            "*",
            "--batch",
            "--no-startup-delay",
            "--interval",
            "0.1",
            "--worker-id",
            worker_id,
            "--verbosity",
            "0",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def probe_table(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE leitwerk_worker_probe (n integer NOT NULL, pid integer NOT NULL)"
        )
    yield PROBE_TABLE
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS leitwerk_worker_probe")


def test_the_claim_skips_rows_another_worker_holds(transactional_db):
    with override_settings(TASKS=DB_TASKS):
        record_run.enqueue(0)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert DBTaskResult.objects.ready().get_locked() is not None
    assert any("FOR UPDATE SKIP LOCKED" in q["sql"] for q in queries.captured_queries)


@pytest.mark.slow
def test_two_workers_run_each_of_200_tasks_exactly_once(probe_table, tmp_path):
    with override_settings(TASKS=DB_TASKS):
        for n in range(TASKS):
            record_run.enqueue(n)
    assert DBTaskResult.objects.ready().count() == TASKS

    workers = [_worker(name, tmp_path) for name in ("worker-a", "worker-b")]
    for proc in workers:
        try:
            _out, err = proc.communicate(timeout=240)
        except subprocess.TimeoutExpired:
            for p in workers:
                p.kill()
            pytest.fail("Ein Worker ist nach 240 s nicht fertig geworden.")
        assert proc.returncode == 0, err

    with connection.cursor() as cursor:
        cursor.execute("SELECT n, COUNT(*) FROM leitwerk_worker_probe GROUP BY n")
        runs = dict(cursor.fetchall())
        cursor.execute("SELECT COUNT(DISTINCT pid) FROM leitwerk_worker_probe")
        processes = cursor.fetchone()[0]
    assert sorted(runs) == list(range(TASKS)), "jede Aufgabe lief"
    assert set(runs.values()) == {1}, "keine Aufgabe lief zweimal"
    assert processes == 2, "beide Worker haben gearbeitet"

    results = list(DBTaskResult.objects.all())
    assert len(results) == TASKS
    assert {r.status for r in results} == {"SUCCESSFUL"}
    assert all(len(r.worker_ids) == 1 for r in results), "jede Aufgabe nur einmal beansprucht"
    per_worker = {w: sum(r.worker_ids == [w] for r in results) for w in ("worker-a", "worker-b")}
    assert all(count > 0 for count in per_worker.values()), per_worker
    assert sum(per_worker.values()) == TASKS
