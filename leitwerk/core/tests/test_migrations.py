"""I6: migrations are complete and reversible.

`make lint` runs `makemigrations --check`; here a fresh database is migrated forward, and the
newest migration of every Leitwerk app is rolled back and applied again, so the last release's
schema change can be undone without restoring a backup.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{db}",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args, "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _leitwerk_leaves() -> dict[str, list[str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaves: dict[str, list[str]] = {}
    for app, name in loader.graph.leaf_nodes():
        if loader.disk_migrations[(app, name)].__module__.startswith("leitwerk."):
            leaves.setdefault(app, []).append(name)
    return leaves


@pytest.mark.django_db
def test_models_and_migrations_agree():
    """A model change without its migration fails here too, not only in `make lint`: the fast
    run builds its test database from the models (conftest.py), so it would not notice."""
    from django.core.management import call_command

    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail("models without migration (make a migration):\n" + out.getvalue())


@pytest.mark.django_db
def test_the_data_migrations_rows_exist_in_the_test_database():
    """With or without replayed migrations, the rows the data migrations write are there."""
    from leitwerk.network.models import BenchmarkDefinition
    from leitwerk.testing.data_migrations import data_operations

    assert [label for label, _op in data_operations()] == [
        # In the loader's plan order: the council app's first migration (which depends on
        # priorities and plans) now comes before network's in that plan.
        "accounts.0003_otp_devices_to_allauth_mfa",
        "priorities.0002_list_version_decision",
        "plans.0004_periods_derived_from_dates",
        "plans.0005_indicator_belongs_to_initiative_or_goal",
        "plans.0007_initial_portal_release",
        "feedback.0007_used_codes_deleted_and_issued_counted_apart",
        "network.0002_default_benchmark_definitions",
        "network.0004_benchmark_catalogue",
        "network.0005_benchmark_values_published_per_period",
    ]
    assert BenchmarkDefinition.objects.filter(slug="wartezeit-buergeramt").exists()
    # Benchmarks worth joining: at least 20 figures, each with unit, direction and source.
    catalogue = BenchmarkDefinition.objects.exclude(source="")
    assert catalogue.count() >= 20
    assert not catalogue.filter(unit="").exists() and not catalogue.filter(definition="").exists()


def test_every_app_has_exactly_one_newest_migration():
    conflicts = {app: names for app, names in _leitwerk_leaves().items() if len(names) > 1}
    assert not conflicts, f"merge these migrations (makemigrations --merge): {conflicts}"


@pytest.mark.slow
def test_newest_migrations_roll_back_and_forward(tmp_path):
    """Catalogue row I6."""
    db = tmp_path / "migrations.sqlite3"
    forward = _manage("migrate", db=db)
    assert forward.returncode == 0, forward.stderr
    loader = MigrationLoader(None, ignore_no_migrations=True)
    problems = []
    for app, (leaf,) in sorted(_leitwerk_leaves().items()):
        parents = [p for p in loader.graph.node_map[(app, leaf)].parents if p.key[0] == app]
        if not parents:
            continue  # an app's first migration: rolling it back is dropping the app
        target = parents[0].key[1]
        # Forward again for every app: rolling an app back also unapplies the migrations of
        # other apps (allauth, django-otp, axes …) that depend on it.
        for step in (("migrate", app, target), ("migrate",)):
            result = _manage(*step, db=db)
            if result.returncode != 0:
                problems.append(f"{' '.join(step)}: {result.stderr.strip()[-500:]}")
    assert not problems, "\n".join(problems)
    check = _manage("migrate", "--check", db=db)
    assert check.returncode == 0, check.stdout + check.stderr
