"""Reporting periods are derived, not typed: re-derive the label of every stored row.

Before, a period was typed freely ("Q2/2026", "Q2 2026", "Sammelpflege 04.12.2026", a survey
wave's name, …). Now it follows from the row's date and its plan's reporting interval
(leitwerk/core/periods.py); goal indicators, which belong to no plan, count quarterly.
"""

from django.db import migrations

from leitwerk.core.periods import period_label


def _intervals(apps):
    initiative = apps.get_model("plans", "Initiative")
    return dict(
        initiative.objects.values_list("pk", "action_field__plan__reporting_interval_days")
    )


def derive(apps, schema_editor):
    intervals = _intervals(apps)
    measurement = apps.get_model("plans", "Measurement")
    rows = list(measurement.objects.select_related("indicator").only(
        "pk", "measured_on", "period_label", "indicator__initiative_id"
    ))
    for row in rows:
        row.period_label = period_label(row.measured_on, intervals.get(row.indicator.initiative_id))
    measurement.objects.bulk_update(rows, ["period_label"], batch_size=1000)
    report = apps.get_model("plans", "StatusReport")
    rows = list(report.objects.only("pk", "reported_on", "period_label", "initiative_id"))
    for row in rows:
        row.period_label = period_label(row.reported_on, intervals.get(row.initiative_id))
    report.objects.bulk_update(rows, ["period_label"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_measurement_statusreport_from_controlling")]

    # The typed labels are not kept: going back leaves the derived ones in place.
    operations = [migrations.RunPython(derive, migrations.RunPython.noop)]
