"""Benchmark values reach the comparison once per reporting period (audit L9).

Values shared before this migration were already visible, so they start out published.
"""

from django.db import migrations, models


def publish_existing(apps, schema_editor):
    BenchmarkValue = apps.get_model("network", "BenchmarkValue")
    for row in BenchmarkValue.objects.filter(published_value__isnull=True).iterator():
        row.published_value = row.value
        row.published_allow_naming = row.allow_naming
        row.published_on = row.updated_at.date()
        row.save(update_fields=["published_value", "published_allow_naming", "published_on"])


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0004_benchmark_catalogue'),
    ]

    operations = [
        migrations.AddField(
            model_name='benchmarkvalue',
            name='published_allow_naming',
            field=models.BooleanField(default=False, verbose_name='Name veröffentlicht'),
        ),
        migrations.AddField(
            model_name='benchmarkvalue',
            name='published_on',
            field=models.DateField(blank=True, null=True, verbose_name='im Vergleich seit'),
        ),
        migrations.AddField(
            model_name='benchmarkvalue',
            name='published_value',
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=16, null=True, verbose_name='veröffentlichter Wert'),
        ),
        migrations.RunPython(publish_existing, migrations.RunPython.noop),
    ]
