"""M1 and M2: answering never ties a person to an answer sheet.

M1: a signed-in employee answering the pulse was logged with user id and a microsecond
timestamp. M2: on PostgreSQL the used code and the answer sheet shared one transaction
(`xmin`). Both attacks are reproduced here and now fail.
"""

from __future__ import annotations

import io
import json
import logging

import pytest
import structlog
from django.db import connection
from django.urls import reverse

from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.core import logs
from leitwerk.core.models import AuditLogEntry
from leitwerk.feedback import selectors, services
from leitwerk.feedback.models import Response
from leitwerk.feedback.tests.pulse_helpers import DAY, make_pulse
from leitwerk.municipalities.models import Role
from leitwerk.municipalities.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """What the production JSON formatter writes, at DEBUG level, as parsed lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.json_formatter())
    watched = [logging.getLogger(n) for n in ("", "django_structlog", "leitwerk", "django")]
    levels = [logger.level for logger in watched]
    logging.getLogger().addHandler(handler)
    for logger in watched:
        logger.setLevel(logging.DEBUG)
    structlog.contextvars.clear_contextvars()
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.getLogger().removeHandler(handler)
    for logger, level in zip(watched, levels, strict=True):
        logger.setLevel(level)
    structlog.contextvars.clear_contextvars()


def _answer_page_by_page(client, survey, code):
    url = reverse("feedback_public:detail", args=["musterstadt", survey.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {"token": page.context["token"], "code": code, "aktion": "weiter"}
    page = client.post(url, data)
    for _ in range(20):
        if "Vielen Dank" in page.content.decode():
            return page
        data = {
            "token": page.context["token"],
            "code": code,
            "seite": page.context["page"].number,
            "aktion": "weiter",
        }
        for field in page.context["form"].question_fields():
            if field.widget_type == "radioselect":
                data[field.html_name] = "2"
        if page.context["page"].is_last:
            data["aktion"] = "abschicken"
        page = client.post(url, data)
    raise AssertionError("the pulse never finished")


def test_a_signed_in_employee_answering_is_not_logged(
    musterstadt, editor_unit, client_for, log_lines
):
    employee = UserFactory(email="anna@musterstadt.example")
    MembershipFactory(user=employee, municipality=musterstadt, role=Role.VIEWER, unit=editor_unit)
    survey, wave = make_pulse(musterstadt, [editor_unit], sections=["A", "B"], per_section=1)
    [code] = services.codes_generate(wave=wave, unit=editor_unit, count=1, actor=None, today=DAY)
    client = client_for(employee)
    client.get(reverse("home"))  # an ordinary signed-in page: logged with the user, as before
    audit_before = AuditLogEntry.objects.count()

    _answer_page_by_page(client, survey, code)

    assert Response.objects.count() == 1
    records = log_lines()
    assert any(r.get("user_id") == employee.pk for r in records), "the ordinary page was logged"
    survey_lines = [r for r in records if "umfragen" in str(r.get("request", ""))]
    assert survey_lines == []
    # Nothing else logged during the survey requests names the person either.
    home_index = max(i for i, r in enumerate(records) if r.get("user_id") == employee.pk)
    assert all("user_id" not in r for r in records[home_index + 1 :])
    assert AuditLogEntry.objects.count() == audit_before


def test_errors_on_the_survey_pages_are_logged_with_the_day_only(log_lines):
    structlog.contextvars.bind_contextvars(user_id=4, anonymous_request=True, request_id="r1")
    structlog.get_logger("leitwerk.test").info("request_finished", code=200)
    structlog.get_logger("leitwerk.test").error("request_failed", code=500)
    structlog.contextvars.clear_contextvars()
    records = log_lines()
    assert [r["event"] for r in records] == ["request_failed"]
    [failed] = records
    assert "user_id" not in failed and "request_id" not in failed
    assert len(failed["timestamp"]) == len("2026-12-07")


@pytest.mark.django_db(transaction=True)
def test_code_and_answer_sheet_are_committed_in_separate_transactions(
    musterstadt, editor_unit, monkeypatch
):
    """M2: one transaction for both gave the code row and the sheet the same `xmin`."""
    survey, wave = make_pulse(musterstadt, [editor_unit], sections=["A"], per_section=1)
    [code] = services.codes_generate(wave=wave, unit=editor_unit, count=1, actor=None, today=DAY)
    question = survey.questions.first()
    commits = [0]
    real_commit = connection.commit

    def counting_commit():
        commits[0] += 1
        real_commit()

    monkeypatch.setattr(connection, "commit", counting_commit)
    seen: list[tuple[int, str]] = []

    def record(run_query, sql, params, many, context):
        seen.append((commits[0], sql))
        return run_query(sql, params, many, context)

    with connection.execute_wrapper(record):
        services.response_submit(survey=survey, answers={question.pk: 4}, today=DAY, code=code)
    [code_txn] = {n for n, sql in seen if 'DELETE FROM "feedback_surveycode"' in sql}
    [sheet_txn] = {n for n, sql in seen if 'INSERT INTO "feedback_response"' in sql}
    assert code_txn != sheet_txn


# Every row that knows of codes: the codes, the drafts under them, the issued counts; on
# PostgreSQL with the id of the transaction that last wrote it (`xmin`).
CODE_SIDE = {
    "postgresql": [
        "SELECT *, xmin::text FROM feedback_surveycode",
        "SELECT *, xmin::text FROM feedback_answerdraft",
        "SELECT *, xmin::text FROM feedback_answeraggregate",
    ],
    "sqlite": [
        "SELECT * FROM feedback_surveycode",
        "SELECT * FROM feedback_answerdraft",
        "SELECT * FROM feedback_answeraggregate",
    ],
}


def _code_side_rows() -> dict[str, set[tuple]]:
    rows = {}
    with connection.cursor() as cursor:
        for sql in CODE_SIDE[connection.vendor]:
            cursor.execute(sql)
            rows[sql.rsplit(" ", 1)[1]] = set(cursor.fetchall())
    return rows


def test_answering_with_a_code_leaves_no_row_that_could_be_paired_with_the_sheet(
    musterstadt, editor_unit, transactional_db
):
    """M2, now by construction: the used code is deleted, not marked, and nothing else on
    the code side is written, so no row that stays carries the answering transaction's id
    or a neighbouring one (before: `used=true` with an `xmin` one below the sheet's)."""
    survey, wave = make_pulse(musterstadt, [editor_unit], sections=["A"], per_section=1)
    codes = services.codes_generate(wave=wave, unit=editor_unit, count=3, actor=None, today=DAY)
    question = survey.questions.first()
    before = _code_side_rows()
    services.response_submit(survey=survey, answers={question.pk: 4}, today=DAY, code=codes[1])
    after = _code_side_rows()
    assert Response.objects.count() == 1
    for table, rows in after.items():
        assert rows <= before[table], f"{table} got a row written while answering"
    assert len(after["feedback_surveycode"]) == 2
    # The unit's response rate still knows that three codes went out.
    assert selectors.code_allowance(wave=wave, unit=editor_unit).issued == 3


def test_a_response_has_no_time_field_at_all():
    from django.db import models

    for field in Response._meta.concrete_fields:
        assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField)


def test_the_app_server_keeps_no_access_log_of_survey_answers():
    """M1: gunicorn's access log wrote `POST /musterstadt/umfragen/3/` with the second."""
    from pathlib import Path

    unit = Path(__file__).resolve().parents[3] / "deploy" / "systemd" / "leitwerk-web.service"
    command = unit.read_text().split("ExecStart=", 1)[1].split("\nExecReload", 1)[0]
    assert "gunicorn" in command
    assert "--access-logfile" not in command and "--access-log" not in command
