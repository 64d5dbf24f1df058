"""A task used only by test_workers.py: it records which process ran it, and nothing else.

It writes into a scratch table the test creates and drops (`leitwerk_worker_probe`), so no
migration is needed. Until two different processes have recorded a run, each run waits a
little: that makes both workers hold a task at the same time, whatever the start-up order.
"""

from __future__ import annotations

import os
import time

from django.db import connection
from django_tasks import task

PROBE_TABLE = "leitwerk_worker_probe"
OVERLAP_TIMEOUT_S = 30.0


@task(queue_name="default")
def record_run(n: int) -> int:
    pid = os.getpid()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO leitwerk_worker_probe (n, pid) VALUES (%s, %s)", [n, pid])
        deadline = time.monotonic() + OVERLAP_TIMEOUT_S
        while time.monotonic() < deadline:
            cursor.execute("SELECT COUNT(DISTINCT pid) FROM leitwerk_worker_probe")
            if cursor.fetchone()[0] >= 2:
                break
            time.sleep(0.05)
    return pid
