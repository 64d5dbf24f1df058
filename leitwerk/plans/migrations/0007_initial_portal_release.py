"""The portal now shows releases only: release what it showed until now, once.

Every plan that has public content (public, adopted or archived, with public Vorhaben) gets a
first release, so citizens see the same as before the update. This migration only marks them
(historical models, so it never depends on later columns); the content is computed by the same
code as every later release (`plans/release.py`) right after `migrate`, when the models match
the tables (`release.complete_pending_releases`, run by the app's post_migrate hook). A fresh
database has no plans and marks nothing.
"""

from django.db import migrations
from django.utils import timezone


def release_published(apps, schema_editor):
    plan_model = apps.get_model("plans", "ActionPlan")
    release_model = apps.get_model("plans", "PortalRelease")
    wanted = (
        plan_model.objects.filter(public=True, status__in=["adopted", "archived"])
        .filter(action_fields__initiatives__public=True)
        .exclude(pk__in=release_model.objects.values("plan_id"))
        .distinct()
        .order_by("pk")
    )
    for plan in wanted:
        release_model.objects.create(
            municipality_id=plan.municipality_id,
            plan_id=plan.pk,
            released_at=timezone.now(),
            released_by=None,
            scope="Übernahme bei der Umstellung auf Freigaben",
            data={"format": 1, "pending": True, "initiatives": []},
        )


class Migration(migrations.Migration):
    dependencies = [("plans", "0006_portal_release")]

    # Going back drops the table (0006); nothing to undo here.
    operations = [migrations.RunPython(release_published, migrations.RunPython.noop)]
