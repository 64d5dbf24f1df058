"""The portal now shows releases only: release what it showed until now, once.

Every plan that has public content (public, adopted or archived, with public Vorhaben) gets a
first release built from today's rows, so citizens see the same as before the update. It is
built by the same code as every later release (plans/release.py), with the real models: this
runs right after 0006, when they match the tables. A fresh database has no plans and skips it.
"""

from django.db import migrations
from django.utils import timezone


def release_published(apps, schema_editor):
    historical_plan = apps.get_model("plans", "ActionPlan")
    wanted = list(
        historical_plan.objects.filter(public=True, status__in=["adopted", "archived"])
        .filter(action_fields__initiatives__public=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    if not wanted:
        return
    from leitwerk.core.scoping import tenant_guard
    from leitwerk.plans import release
    from leitwerk.plans.models import ActionPlan, PortalRelease

    today = timezone.localdate()
    with tenant_guard(on=False):
        for plan in ActionPlan.objects.filter(pk__in=wanted).order_by("pk"):
            if PortalRelease.objects.filter(plan=plan).exists():
                continue
            PortalRelease.objects.create(
                municipality_id=plan.municipality_id,
                plan=plan,
                released_at=timezone.now(),
                released_by=None,
                scope="Übernahme bei der Umstellung auf Freigaben",
                data=release.plan_snapshot(plan=plan, today=today),
            )


class Migration(migrations.Migration):
    dependencies = [("plans", "0006_portal_release")]

    # Going back drops the table (0006); nothing to undo here.
    operations = [migrations.RunPython(release_published, migrations.RunPython.noop)]
