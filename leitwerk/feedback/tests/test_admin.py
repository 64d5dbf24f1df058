"""F5/F6 in the Django admin: no one, not even a superuser, reads raw answers there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leitwerk.accounts.tests.factories import SuperUserFactory
from leitwerk.feedback import services
from leitwerk.feedback.models import Answer, AnswerAggregate, Response, SurveyCode
from leitwerk.feedback.tests.factories import make_open_survey
from leitwerk.feedback.tests.helpers import DAY, answer_many
from leitwerk.municipalities.tests.factories import OrganisationalUnitFactory

pytestmark = pytest.mark.django_db

CANARY = "NUR-EINE-PERSON-SCHRIEB-DAS"


def test_superuser_cannot_read_raw_answers_codes_or_raw_counts(musterstadt, client):
    survey = make_open_survey(musterstadt)
    answer_many(survey, [1], text=CANARY)  # a group of one: its free text names its author
    wave = survey.waves.get()
    unit = OrganisationalUnitFactory(municipality=musterstadt)
    services.codes_generate(wave=wave, unit=unit, count=2, actor=None, today=DAY)
    client.force_login(SuperUserFactory())
    rows = {
        Answer: Answer.objects.exclude(text="").get(),
        Response: Response.objects.get(),
        SurveyCode: SurveyCode.objects.first(),
    }
    for model, obj in rows.items():
        info = (model._meta.app_label, model._meta.model_name)
        pages = [
            reverse("admin:{}_{}_changelist".format(*info)),
            reverse("admin:{}_{}_changelist".format(*info)) + f"?q={CANARY}",
            reverse("admin:{}_{}_change".format(*info), args=[obj.pk]),
            reverse("admin:{}_{}_history".format(*info), args=[obj.pk]),
            reverse("admin:{}_{}_delete".format(*info), args=[obj.pk]),
        ]
        for url in pages:
            page = client.get(url)
            html = page.content.decode()
            assert page.status_code in (200, 403, 404), url
            assert CANARY not in html, url
            # Answers and sheets have UUIDs, codes a keyed hash: neither may appear.
            assert getattr(obj, "code_hash", str(obj.pk)) not in html, url
            assert "nicht einsehbar" in html or page.status_code != 200, url
        assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 403
        # Deleting through the admin does nothing either.
        client.post(reverse("admin:{}_{}_delete".format(*info), args=[obj.pk]), {"post": "yes"})
        assert model.objects.filter(pk=obj.pk).exists()
    index = client.get(reverse("admin:index")).content.decode()
    for model in (Answer, Response, SurveyCode, AnswerAggregate):
        assert reverse(f"admin:feedback_{model._meta.model_name}_changelist") not in index


def test_raw_aggregate_cells_of_a_closed_wave_are_not_listed(musterstadt, client):
    survey = make_open_survey(musterstadt)
    answer_many(survey, [2, 2, 2])  # three people: below k, the raw cells say "3"
    services.wave_close(wave=survey.waves.get(), actor=None, today=DAY)
    assert AnswerAggregate.objects.filter(count=3).exists()
    client.force_login(SuperUserFactory())
    page = client.get(reverse("admin:feedback_answeraggregate_changelist"))
    assert "nicht einsehbar" in page.content.decode()
    assert "result_list" not in page.content.decode()
