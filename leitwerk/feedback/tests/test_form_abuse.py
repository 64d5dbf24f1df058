"""M3: ballot stuffing with one form token, and one client blocking a survey for everybody.

The audit's client posted 120 answers in 9.8 s with one token and one CSRF cookie; the
survey's per-minute cap then refused every genuine citizen. Reproduced here; now the token
works once, and a device hits its own limit long before the survey's.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from leitwerk.feedback.models import Response
from leitwerk.feedback.public_views import BUSY_CLIENT, FORM_ALREADY_SENT
from leitwerk.feedback.tests.factories import make_open_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_moment(monkeypatch):
    """All requests of a test fall into the same minute and the same ten minutes."""
    from leitwerk.feedback import public_views

    monkeypatch.setattr(public_views, "_clock", lambda: 1_800_000_000.0)


def _answer(survey) -> dict[str, str]:
    overall = survey.questions.get(core_key="overall")
    return {f"q_{overall.pk}": "5"}


def test_one_form_token_posted_120_times_stores_one_sheet(musterstadt, settings):
    settings.FEEDBACK_SUBMISSIONS_PER_CLIENT = 1000  # the token alone, without the device limit
    survey = make_open_survey(musterstadt)
    url = reverse("feedback_public:detail", args=["musterstadt", survey.pk])
    client = Client()
    token = client.get(url).context["token"]
    responses = [client.post(url, {"token": token, **_answer(survey)}) for _ in range(120)]
    statuses = [r.status_code for r in responses]
    assert statuses.count(200) == 1
    assert set(statuses[1:]) == {409}
    assert Response.objects.count() == 1
    assert FORM_ALREADY_SENT.split(".")[0] in responses[1].content.decode()


def test_one_device_cannot_crowd_out_genuine_citizens(musterstadt, settings):
    settings.FEEDBACK_SUBMISSIONS_PER_MINUTE = 20
    settings.FEEDBACK_SUBMISSIONS_PER_CLIENT = 10
    survey = make_open_survey(musterstadt)
    url = reverse("feedback_public:detail", args=["musterstadt", survey.pk])
    stuffer = Client()
    statuses = []
    for _ in range(40):  # a fresh form each time: the one-time token is no obstacle
        token = stuffer.get(url).context["token"]
        statuses.append(stuffer.post(url, {"token": token, **_answer(survey)}).status_code)
    assert statuses.count(200) == 10
    assert statuses[10:] == [429] * 30
    refused = stuffer.post(url, {"token": stuffer.get(url).context["token"], **_answer(survey)})
    assert BUSY_CLIENT.split(".")[0] in refused.content.decode()

    # Ten genuine citizens in the same minute still get through.
    for _ in range(10):
        citizen = Client()
        token = citizen.get(url).context["token"]
        assert citizen.post(url, {"token": token, **_answer(survey)}).status_code == 200
    assert Response.objects.count() == 20


def test_the_device_limit_keeps_no_address_in_the_cache(musterstadt):
    from django.core.cache import cache

    survey = make_open_survey(musterstadt)
    url = reverse("feedback_public:detail", args=["musterstadt", survey.pk])
    client = Client(REMOTE_ADDR="203.0.113.99")
    token = client.get(url).context["token"]
    client.post(url, {"token": token, **_answer(survey)})
    keys = " ".join(str(k) for k in getattr(cache, "_cache", {}))
    assert "203.0.113.99" not in keys
    assert "feedback:client:" in keys
