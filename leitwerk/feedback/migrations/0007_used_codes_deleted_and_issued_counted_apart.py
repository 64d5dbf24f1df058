"""A used one-time code is deleted instead of marked (audit M2).

Before the field goes: the codes issued per unit of every running wave (used or not) are
counted into an unkeyed aggregate row, which the response rate and the team allowance read
from now on; then the used codes are deleted. Closed waves have neither codes nor need of
the counts here (their aggregates were written when they closed).
"""

from django.db import migrations
from django.db.models import Count

ISSUED_CODES = -1  # leitwerk.feedback.results.ISSUED_CODES, frozen for this migration
OPEN = "open"


def forwards(apps, schema_editor):
    SurveyCode = apps.get_model("feedback", "SurveyCode")
    AnswerAggregate = apps.get_model("feedback", "AnswerAggregate")
    Wave = apps.get_model("feedback", "Wave")
    codes = SurveyCode.objects
    for wave in Wave.objects.filter(status=OPEN):
        counted = set(
            AnswerAggregate.objects.filter(
                wave_id=wave.pk, question__isnull=True, value=ISSUED_CODES
            ).values_list("unit_id", flat=True)
        )
        for row in (
            codes.filter(wave_id=wave.pk).order_by().values("unit_id").annotate(n=Count("id"))
        ):
            if row["unit_id"] in counted:
                continue
            AnswerAggregate.objects.create(
                municipality_id=wave.municipality_id,
                wave_id=wave.pk,
                unit_id=row["unit_id"],
                question=None,
                value=ISSUED_CODES,
                count=row["n"],
            )
    # The test database is built from today's models and replays this against them, where
    # the field is already gone (leitwerk.testing.data_migrations).
    if any(field.name == "used" for field in SurveyCode._meta.get_fields()):
        codes.filter(used=True).delete()


def backwards(apps, schema_editor):
    # The deleted codes cannot come back; the counts stay harmlessly.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0006_suggestion_category_barrier"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="surveycode", name="used"),
    ]
