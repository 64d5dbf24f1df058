"""Structured logs: security events (G1), no secrets (G2), no log injection (G3), no IPs.

Every test captures what the production configuration writes (the JSON formatter of
`leitwerk.core.logs` on the root logger), at DEBUG level, and reads it line by line.
"""

from __future__ import annotations

import io
import json
import logging
import secrets

import pytest
import structlog
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse

from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.core import logs
from leitwerk.core.audit import audit
from leitwerk.feedback import services as feedback
from leitwerk.feedback.models import SurveyKind
from leitwerk.feedback.tests.helpers import DAY
from leitwerk.municipalities.models import Role
from leitwerk.municipalities.tests.factories import MembershipFactory

CLIENT_IP = "203.0.113.77"
FORWARDED_IP = "198.51.100.9"


class Captured:
    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def records(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines()]

    def events(self, name: str) -> list[dict]:
        return [r for r in self.records() if r.get("event") == name]


@pytest.fixture
def captured():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.json_formatter())
    root = logging.getLogger()
    watched = [root, *(logging.getLogger(name) for name in ("django_structlog", "leitwerk"))]
    levels = [logger.level for logger in watched]
    root.addHandler(handler)
    for logger in watched:
        logger.setLevel(logging.DEBUG)
    structlog.contextvars.clear_contextvars()
    try:
        yield Captured(stream)
    finally:
        root.removeHandler(handler)
        for logger, level in zip(watched, levels, strict=True):
            logger.setLevel(level)


@pytest.fixture
def person(musterstadt):
    canary = f"Pw-CANARY-{secrets.token_hex(8)}"
    user = UserFactory(email="anna.schmidt@musterstadt.de")
    user.set_password(canary)
    user.save()
    MembershipFactory(user=user, municipality=musterstadt, role=Role.VIEWER)
    return user, canary


def _client() -> Client:
    return Client(REMOTE_ADDR=CLIENT_IP, HTTP_X_FORWARDED_FOR=FORWARDED_IP)


def _login(client: Client, email: str, password: str):
    return client.post(reverse("accounts:login"), {"login": email, "password": password})


def test_sign_in_ok_failed_and_sign_out_are_one_record_each(captured, person, musterstadt):
    """Catalogue row G1."""
    user, password = person
    client = _client()
    assert _login(client, user.email, "Pw-CANARY-falsch").status_code == 200
    assert _login(client, user.email, password).status_code == 302
    client.post(reverse("accounts:logout"))

    logins = captured.events("login")
    assert [r["outcome"] for r in logins] == ["failed", "ok"]
    failed, ok = logins
    assert ok["actor_id"] == user.pk
    assert ok["municipality"] == "musterstadt"
    # A failed attempt names no one: a keyed pseudonym, the same for the same account.
    assert "actor_id" not in failed
    assert failed["login_pseudonym"] == logs.pseudonym(user.email.upper())
    [logout] = captured.events("logout")
    assert logout["actor_id"] == user.pk
    for record in (*logins, logout):
        assert record["logger"] == "leitwerk.security"
        assert record["security_event"] is True
        assert record["timestamp"].endswith("Z")  # UTC


def test_foreign_object_denied_by_the_tenant_guard_is_logged(
    captured, person, other_town, client_for
):
    """Catalogue row G1."""
    user, _ = person
    survey = feedback.survey_create(municipality=other_town, actor=None, title="Fremd")
    response = client_for(user).get(reverse("feedback:survey_detail", args=[survey.pk]))
    assert response.status_code == 404

    [denied] = captured.events("access_denied")
    assert denied["outcome"] == "denied"
    assert denied["code"] == 404
    assert denied["actor_id"] == user.pk
    assert denied["municipality"] == "musterstadt"
    assert denied["view"] == "feedback:survey_detail"
    assert denied["object"] == {"pk": survey.pk}
    assert denied["level"] == "warning"


def test_every_audited_write_is_also_a_log_record(captured, person, musterstadt):
    """Catalogue row G1."""
    user, _ = person
    survey = feedback.survey_create(municipality=musterstadt, actor=user, title="Bürgeramt")
    entry = audit(actor=user, action="plan.delete", target=survey)

    records = {r["event"]: r for r in captured.records() if r.get("security_event")}
    assert records["feedback.survey_create"]["object"] == {
        "type": "feedback.survey",
        "id": str(survey.pk),
    }
    deleted = records["plan.delete"]
    assert deleted["audit_id"] == entry.pk
    assert deleted["actor_id"] == user.pk
    assert deleted["municipality"] == "musterstadt"
    assert deleted["outcome"] == "ok"
    # The target's text (a title, maybe a name) stays in the audit table, not in the log.
    assert "Bürgeramt" not in captured.text


@pytest.mark.django_db
def test_lockout_is_logged(captured):
    """Catalogue row G1."""
    from django.apps import apps

    if not apps.is_installed("axes"):
        pytest.skip("django-axes is not enabled in these settings")
    from axes.signals import user_locked_out

    user_locked_out.send("axes", request=None, username="anna@musterstadt.de", ip_address="x")
    [record] = captured.events("lockout")
    assert record["login_pseudonym"] == logs.pseudonym("anna@musterstadt.de")


def test_no_password_session_csrf_token_or_survey_code_in_any_log(
    captured, person, musterstadt, editor_unit
):
    """Catalogue row G2."""
    user, password = person
    survey = feedback.survey_create(
        municipality=musterstadt,
        actor=None,
        title="Puls",
        kind=SurveyKind.STAFF_PULSE,
        units=[editor_unit],
    )
    feedback.question_add(survey=survey, actor=None, text="Wie geht es?", kind="scale5")
    wave = feedback.wave_open(survey=survey, actor=None, label="2026", today=DAY)
    [code] = feedback.codes_generate(wave=wave, unit=editor_unit, count=1, actor=None, today=DAY)
    reset_token = default_token_generator.make_token(user)

    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=CLIENT_IP)
    login_url = reverse("accounts:login")
    client.get(login_url)
    csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
    wrong = "Pw-CANARY-wrong-" + secrets.token_hex(4)
    form = {"login": user.email, "csrfmiddlewaretoken": csrf}
    assert client.post(login_url, {**form, "password": wrong}).status_code == 200
    assert client.post(login_url, {**form, "password": password}).status_code == 302
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Tokens and codes in a query string (a mistyped link, a QR code) must not reach the log.
    client.get(reverse("home"), {"token": reset_token, "code": code, "pw": password})

    public = Client(enforce_csrf_checks=False, REMOTE_ADDR=CLIENT_IP)
    url = reverse("feedback_public:detail", args=["musterstadt", survey.pk])
    token = public.get(url, {"code": code}).context["form"]["token"].value()
    q = survey.questions.get()
    answered = public.post(url, {"token": token, "code": code, f"q_{q.pk}": "4"})
    assert "Vielen Dank" in answered.content.decode()

    text = captured.text
    assert captured.events("request_finished"), "the requests were logged"
    assert [r["outcome"] for r in captured.events("login")] == ["failed", "ok"]
    for secret in (password, wrong, "Pw-CANARY", session_id, csrf, reset_token, code, token):
        assert secret not in text
    assert code.lower() not in text.lower()


def test_secret_keys_are_redacted_whatever_logs_them(captured):
    """Catalogue row G2."""
    structlog.get_logger("leitwerk.test").info(
        "careless", password="Pw-CANARY-1", sessionid="abc123", csrf_token="tok456", count=3
    )
    [record] = captured.events("careless")
    assert record["password"] == record["sessionid"] == record["csrf_token"] == logs.REDACTED
    assert record["count"] == 3


def test_crlf_and_ansi_in_a_sign_in_name_stay_one_escaped_record(captured, musterstadt):
    """Catalogue row G3."""
    evil = 'x@y.de\r\n{"event": "login", "outcome": "ok", "actor_id": 1}\x1b[31m'
    _login(_client(), evil, "irgendwas-langes")

    lines = captured.text.splitlines()
    records = [json.loads(line) for line in lines]  # every line is one whole record
    assert [r["outcome"] for r in records if r.get("event") == "login"] == ["failed"]
    assert "\r" not in captured.text and "\x1b" not in captured.text
    assert "x@y.de" not in captured.text  # the name itself is pseudonymised


@pytest.mark.parametrize(
    "formatter", [logs.json_formatter, logs.keyvalue_formatter, logs.console_formatter]
)
def test_control_characters_are_escaped_and_long_strings_cut_in_every_format(formatter):
    """Catalogue row G3."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter())
    logger = logging.getLogger("leitwerk.test.g3")
    logger.addHandler(handler)
    try:
        structlog.get_logger("leitwerk.test.g3").warning(
            "Eingabe\r\nFAKE level=critical", value="a\x1b[2Jb\u2028c", long="z" * 5000
        )
        logging.getLogger("leitwerk.test.g3").warning("stdlib\nzweite Zeile\x1b[0m")
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert len(out.splitlines()) == 2  # one line per event
    assert "\x1b" not in out and "\r" not in out and "\u2028" not in out
    assert "FAKE level=critical" in out  # kept, but on the same line as its event
    assert "z" * 5000 not in out
    assert "gekürzt" in out or "gek\\u00fcrzt" in out


def test_request_logs_carry_request_id_user_and_municipality_but_no_ip(
    captured, person, client_for, musterstadt
):
    user, _ = person
    client = client_for(user)
    client.get(reverse("home"), REMOTE_ADDR=CLIENT_IP, HTTP_X_FORWARDED_FOR=FORWARDED_IP)
    survey = feedback.survey_create(municipality=musterstadt, actor=None, title="Offen")
    _client().get(reverse("feedback_public:detail", args=["musterstadt", survey.pk]))
    _client().get(reverse("feedback_suggestions:form", args=["musterstadt"]))

    # The anonymous survey and suggestion pages are not logged at all (audit M1): a line
    # with user and time would tie a person to the moment they answered.
    [home] = captured.events("request_finished")
    assert home["user_id"] == user.pk
    assert home["municipality"] == "musterstadt"
    assert home["request"] == "GET /"
    assert home["request_id"]
    assert "umfragen" not in captured.text and "anregungen" not in captured.text
    assert CLIENT_IP not in captured.text and FORWARDED_IP not in captured.text
    assert all("ip" not in r and "user_agent" not in r for r in captured.records())
    assert user.email not in captured.text
