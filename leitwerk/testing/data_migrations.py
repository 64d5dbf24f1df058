"""A test database created from the models, made to look migrated.

pytest-django creates the fast run's tables straight from the models (conftest.py). Afterwards
`complete_unmigrated_database` makes the database what `migrate` would have left: every
migration on disk is recorded as applied, and every `RunPython` operation of Leitwerk's own
migrations runs forward against today's models, in migration order, so the rows an
installation starts with (the shared benchmark definitions, …) exist.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from django.db.migrations.recorder import MigrationRecorder


def _loader() -> MigrationLoader:
    return MigrationLoader(None, ignore_no_migrations=True)


def data_operations() -> list[tuple[str, RunPython]]:
    """("app.migration", operation) for every RunPython of a Leitwerk migration, in order."""
    loader = _loader()
    plan = []
    for leaf in sorted(loader.graph.leaf_nodes()):
        plan += [key for key in loader.graph.forwards_plan(leaf) if key not in plan]
    found = []
    for app, name in plan:
        migration = loader.disk_migrations[(app, name)]
        if not type(migration).__module__.startswith("leitwerk."):
            continue
        found += [(f"{app}.{name}", op) for op in migration.operations if isinstance(op, RunPython)]
    return found


def complete_unmigrated_database(original_migration_modules) -> list[str]:
    """Records every migration as applied and runs the data migrations; returns the latter.

    `original_migration_modules`: the setting before pytest-django replaced it to skip the
    migrations; restored first, so code that reads the migration files (backups) sees them.
    """
    settings.MIGRATION_MODULES = original_migration_modules
    loader = _loader()
    for alias in connections:
        if connections[alias].settings_dict.get("TEST", {}).get("MIRROR"):
            continue
        recorder = MigrationRecorder(connections[alias])
        recorder.ensure_schema()
        applied = recorder.applied_migrations()
        for app, name in sorted(loader.disk_migrations):
            if (app, name) not in applied:
                recorder.record_applied(app, name)
    ran = []
    with connections["default"].schema_editor() as schema_editor:
        for label, operation in data_operations():
            operation.code(apps, schema_editor)
            ran.append(label)
    return ran
