"""Anonymity by construction (F1, F2): nothing about the device is stored, and the schema
cannot link answers to people, sessions or codes."""

from __future__ import annotations

import hashlib
import hmac
import logging
import pickle
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection, models
from django.urls import reverse

from leitwerk.feedback.models import Answer, Response, SurveyCode
from leitwerk.feedback.tests.factories import LocationFactory, make_open_survey

IP = "203.0.113.77"
FORWARDED = "198.51.100.23"
USER_AGENT = "KanarienBrowser/9.9 (unique-ua-7f3a1c)"
REFERER = "https://referrer.example/kanarie-ref-5b2e"


def _variants(value: str) -> list[str]:
    raw = value.encode()
    salt = settings.SECRET_KEY.encode()
    return [
        value,
        hashlib.sha256(raw).hexdigest(),
        hashlib.md5(raw).hexdigest(),  # noqa: S324 - looking for it, not using it
        hashlib.sha1(raw).hexdigest(),  # noqa: S324
        hmac.new(salt, raw, hashlib.sha256).hexdigest(),
        hashlib.sha256(salt + raw).hexdigest(),
        ".".join(value.split(".")[:3]) + "." if value.count(".") == 3 else value,
    ]


CANARIES = [v for c in (IP, FORWARDED, USER_AGENT, REFERER) for v in _variants(c)]


def _dump_database() -> str:
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
            for row in cursor.fetchall():
                parts.append(" ".join(str(v) for v in row))
    return "\n".join(parts)


def _dump_cache() -> str:
    parts = []
    for alias in settings.CACHES:
        store = getattr(caches[alias], "_cache", {})
        for key, value in store.items():
            parts.append(str(key))
            try:
                parts.append(str(pickle.loads(value)))  # noqa: S301 - our own test cache
            except Exception:  # noqa: BLE001 - best effort: also keep the raw bytes
                parts.append(repr(value))
    return "\n".join(parts)


@pytest.mark.django_db
def test_no_ip_or_device_data_stored_anywhere(client, musterstadt, caplog):
    """Catalogue row F1."""
    location: Any = LocationFactory(municipality=musterstadt, name="Bürgeramt Nord")
    survey = make_open_survey(musterstadt, locations=[location])
    url = reverse(
        "feedback_public:detail", kwargs={"municipality_slug": "musterstadt", "pk": survey.pk}
    )
    headers = {
        "REMOTE_ADDR": IP,
        "HTTP_X_FORWARDED_FOR": f"{FORWARDED}, {IP}",
        "HTTP_X_REAL_IP": IP,
        "HTTP_USER_AGENT": USER_AGENT,
        "HTTP_REFERER": REFERER,
    }
    caplog.set_level(logging.DEBUG)
    questions = list(survey.questions.all())
    for n in range(3):
        # Form tokens are one-time (audit M3): each sheet comes from a freshly loaded form.
        page = client.get(url + f"?standort={location.pk}", **headers)
        assert page.status_code == 200
        data = {"token": page.context["token"], "standort": str(location.pk)}
        for q in questions:
            if q.kind == "text":
                data[f"q_{q.pk}"] = "Alles prima"
            elif q.kind in ("scale5",):
                data[f"q_{q.pk}"] = str(1 + n)
            else:
                data[f"q_{q.pk}"] = q.value_keys()[0]
        response = client.post(url, data, **headers)
        assert response.status_code == 200, response.content[:500]
        assert "Vielen Dank" in response.content.decode()
    suggestion = client.get(reverse("feedback_suggestions:form", args=["musterstadt"]), **headers)
    client.post(
        reverse("feedback_suggestions:form", args=["musterstadt"]),
        {
            "token": suggestion.context["form"]["token"].value(),
            "category": "Anregung",
            "text": "Mehr Bänke im Wartebereich",
        },
        **headers,
    )
    assert Response.objects.count() == 3
    # Only the CSRF cookie, no session.
    assert set(client.cookies.keys()) <= {"csrftoken"}

    haystacks = {
        "database": _dump_database(),
        "cache": _dump_cache(),
        "logs": "\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records),
    }
    found = [
        (where, canary)
        for where, text in haystacks.items()
        for canary in CANARIES
        if canary and canary in text
    ]
    assert found == []


ALLOWED = {
    Response: {"id", "municipality", "version", "wave", "location", "unit"},
    Answer: {"id", "municipality", "version", "response", "question", "value", "text"},
    SurveyCode: {"id", "municipality", "version", "wave", "unit", "code_hash", "issued_on"},
}


@pytest.mark.parametrize("model", [Response, Answer, SurveyCode])
def test_schema_only_allowlisted_columns(model):
    """Catalogue row F2."""
    names = {f.name for f in model._meta.concrete_fields}
    assert names == ALLOWED[model]


@pytest.mark.parametrize("model", [Response, Answer])
def test_answers_have_uuid_keys_dates_only_and_no_link_to_people(model):
    """Catalogue row F2."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    pk = model._meta.pk
    assert isinstance(pk, models.UUIDField)
    assert pk.default.__name__ == "uuid4"
    for f in model._meta.get_fields():
        assert not isinstance(f, models.DateTimeField), f.name
        if f.is_relation and f.related_model is not None:
            assert f.related_model not in (get_user_model(), Session, SurveyCode), f.name
    # No time in the table, not even the day: the wave is the finest time there is.
    assert not any(isinstance(f, models.DateField) for f in model._meta.concrete_fields)


def test_participation_shares_no_key_with_answers():
    """Catalogue row F2."""
    for f in SurveyCode._meta.get_fields():
        if f.is_relation:
            assert f.related_model not in (Response, Answer), f.name
    for model in (Response, Answer):
        for f in model._meta.get_fields():
            if f.is_relation:
                assert f.related_model is not SurveyCode, f.name
    # Neither timestamps: the time of use of a code would line up with the answers.
    assert not any(isinstance(f, models.DateTimeField) for f in SurveyCode._meta.concrete_fields)
