"""The shared indicator definitions every installation starts with (editable in the admin)."""

from django.db import migrations

DEFINITIONS = [
    (
        "wartezeit-buergeramt",
        "Wartezeit Bürgeramt",
        "Minuten",
        "Durchschnittliche Wartezeit vom Eintreffen bis zum Aufruf, über alle Vorsprachen des Jahres.",
        "lower",
    ),
    (
        "zufriedenheit-kernfrage",
        "Zufriedenheit Kernfrage",
        "Punkte (1–5)",
        "Mittelwert der Kernfrage „Wie zufrieden sind Sie insgesamt mit unserem Service?“ auf einer Skala von 1 (gar nicht) bis 5 (sehr).",
        "higher",
    ),
    (
        "beschwerden-fristgerecht",
        "Anteil fristgerecht beantworteter Beschwerden",
        "%",
        "Beschwerden, die innerhalb der zugesagten Frist beantwortet wurden, im Verhältnis zu allen Beschwerden des Jahres.",
        "higher",
    ),
]


def create(apps, schema_editor):
    BenchmarkDefinition = apps.get_model("network", "BenchmarkDefinition")
    for slug, title, unit, definition, direction in DEFINITIONS:
        BenchmarkDefinition.objects.get_or_create(
            slug=slug,
            defaults={"title": title, "unit": unit, "definition": definition, "direction": direction},
        )


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
