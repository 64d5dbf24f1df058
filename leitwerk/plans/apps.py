from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _complete_pending_releases(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Deployment, not domain logic: build the first releases that migration 0007 marked,
    once every migration is applied, so the models match the tables (docs/ROLLUP.md, 5)."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    if using != "default":
        return
    connection = connections[using]
    if "plans_portalrelease" not in connection.introspection.table_names():
        return  # migrated back before 0006
    from .models import PortalRelease

    if not PortalRelease.objects.filter(data__pending=True).exists():
        return
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return  # not at the newest state yet: the next `migrate` builds them
    from .release import complete_pending_releases

    complete_pending_releases()


class PlansConfig(AppConfig):
    name = "leitwerk.plans"
    label = "plans"
    verbose_name = "Aktionsplan"

    def ready(self) -> None:
        post_migrate.connect(_complete_pending_releases, sender=self)
