"""Services: waves feed indicators, codes are single-use (E4), bursts are counted exactly
(E3), retention (F7), suggestions and their deadlines."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from leitwerk.core.models import AuditLogEntry
from leitwerk.feedback import selectors, services
from leitwerk.feedback.models import (
    Answer,
    AnswerAggregate,
    IndicatorMeasure,
    Response,
    Suggestion,
    SuggestionStatus,
    SurveyCode,
    SurveyKind,
    Wave,
    WaveStatus,
)
from leitwerk.feedback.tests.factories import LocationFactory, ServiceFactory, make_open_survey
from leitwerk.feedback.tests.helpers import DAY, answer_many, question
from leitwerk.guidelines.tests.factories import (
    GuidelineDocumentFactory,
    GuidelineSectionFactory,
    StatementFactory,
)
from leitwerk.plans.models import IndicatorKind, Measurement, MeasurementSource
from leitwerk.plans.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def _pulse(musterstadt, units, k=None):
    doc = GuidelineDocumentFactory(municipality=musterstadt, title="Leitlinien")
    section = GuidelineSectionFactory(municipality=musterstadt, document=doc, title="GEMEINSAM")
    StatementFactory(
        municipality=musterstadt, section=section, kind="ich", text="Ich spreche Probleme offen an."
    )
    StatementFactory(
        municipality=musterstadt, section=section, kind="wir", text="Wir lernen gemeinsam."
    )
    survey = services.pulse_survey_create(guideline=doc, units=units, actor=None, min_group_size=k)
    wave = services.wave_open(survey=survey, actor=None, label="2026", today=DAY)
    return survey, wave


def test_indicator_moves_when_the_wave_closes(musterstadt, strategy_user):
    nord = LocationFactory(municipality=musterstadt, name="Bürgeramt Nord")
    ost = LocationFactory(municipality=musterstadt, name="Bürgeramt Ost")
    survey = make_open_survey(musterstadt, locations=[nord, ost])
    indicator: Any = IndicatorFactory(
        municipality=musterstadt, kind=IndicatorKind.SURVEY, title="Zufriedenheit"
    )
    services.binding_add(
        survey=survey,
        indicator=indicator,
        actor=strategy_user,
        measure=IndicatorMeasure.MEAN,
        question=question(survey, "overall"),
    )
    answer_many(survey, [5] * 6 + [4] * 6, location_id=nord.pk)
    answer_many(survey, [3] * 8, location_id=ost.pk)
    assert not Measurement.objects.filter(indicator=indicator).exists()

    wave = survey.waves.get()
    result = services.wave_close(wave=wave, actor=strategy_user, today=dt.date(2026, 3, 31))

    m = Measurement.objects.get(indicator=indicator)
    assert m.source == MeasurementSource.SURVEY
    assert m.value == Decimal("3.9")  # (6 × 5 + 6 × 4 + 8 × 3) / 20
    assert m.measured_on == dt.date(2026, 3, 31)
    assert result.measurements == [m]
    wave.refresh_from_db()
    assert wave.status == WaveStatus.CLOSED
    assert AnswerAggregate.objects.filter(wave=wave).exists()

    # Next wave: the indicator gets a second point.
    services.wave_open(
        survey=survey, actor=strategy_user, label="2026-2", today=dt.date(2026, 4, 1)
    )
    answer_many(survey, [5] * 10, location_id=nord.pk, today=dt.date(2026, 4, 2))
    services.wave_close(
        wave=survey.waves.get(status="open"), actor=strategy_user, today=dt.date(2026, 6, 30)
    )
    values = list(
        Measurement.objects.filter(indicator=indicator)
        .order_by("measured_on")
        .values_list("value", flat=True)
    )
    assert values == [Decimal("3.9"), Decimal("5")]


def test_indicator_is_withheld_when_the_group_is_below_k(musterstadt, strategy_user):
    nord = LocationFactory(municipality=musterstadt)
    survey = make_open_survey(musterstadt, locations=[nord])
    indicator: Any = IndicatorFactory(municipality=musterstadt, kind=IndicatorKind.SURVEY)
    services.binding_add(
        survey=survey,
        indicator=indicator,
        actor=strategy_user,
        question=question(survey, "overall"),
        location=nord,
    )
    answer_many(survey, [1, 2, 1], location_id=nord.pk)
    result = services.wave_close(wave=survey.waves.get(), actor=strategy_user, today=DAY)
    assert result.withheld and not result.measurements
    assert not Measurement.objects.filter(indicator=indicator).exists()


def test_binding_needs_a_survey_indicator(musterstadt, strategy_user):
    survey = make_open_survey(musterstadt)
    indicator: Any = IndicatorFactory(municipality=musterstadt, kind=IndicatorKind.QUANTITATIVE)
    with pytest.raises(ValidationError):
        services.binding_add(
            survey=survey,
            indicator=indicator,
            actor=strategy_user,
            question=question(survey, "overall"),
        )


def test_min_group_size_below_three_is_refused(musterstadt):
    """Catalogue row F3 (issue 17: never below 3)."""
    with pytest.raises(ValidationError):
        services.survey_create(municipality=musterstadt, actor=None, title="x", min_group_size=2)
    staff = services.survey_create(
        municipality=musterstadt, actor=None, title="Puls", kind=SurveyKind.STAFF_PULSE
    )
    citizen = services.survey_create(municipality=musterstadt, actor=None, title="Bürger")
    assert (staff.min_group_size, citizen.min_group_size) == (7, 5)


def test_pulse_survey_asks_one_question_per_statement(musterstadt, editor_unit):
    survey, _wave = _pulse(musterstadt, [editor_unit])
    texts = list(survey.questions.values_list("text", flat=True))
    assert "Wie sehr erleben Sie in Ihrem Team: Ich spreche Probleme offen an." in texts
    assert survey.requires_code and survey.min_group_size == 7
    assert list(survey.units.all()) == [editor_unit]


def test_fifty_parallel_posts_with_one_code_accept_exactly_one(
    musterstadt, editor_unit, transactional_db
):
    """Catalogue row E4."""
    survey, wave = _pulse(musterstadt, [editor_unit])
    [code] = services.codes_generate(wave=wave, unit=editor_unit, count=1, actor=None, today=DAY)
    first = survey.questions.first()
    barrier = threading.Barrier(50)
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit(_n: int) -> None:
        barrier.wait()
        try:
            services.response_submit(
                survey=survey, answers={first.pk: 4}, today=DAY, code=code.lower()
            )
            result = "ok"
        except services.CodeAlreadyUsed:
            result = "bereits abgegeben"
        except Exception as exc:  # noqa: BLE001 - any other outcome is a failure to report
            result = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    with ThreadPoolExecutor(max_workers=50) as pool:
        list(pool.map(submit, range(50)))
    assert outcomes.count("ok") == 1, outcomes
    assert outcomes.count("bereits abgegeben") == 49, outcomes
    assert Response.objects.count() == 1


def test_code_is_single_use_and_unknown_codes_are_refused(musterstadt, editor_unit):
    """Catalogue row E4."""
    survey, wave = _pulse(musterstadt, [editor_unit])
    [code] = services.codes_generate(wave=wave, unit=editor_unit, count=1, actor=None, today=DAY)
    first = survey.questions.first()
    response = services.response_submit(survey=survey, answers={first.pk: 4}, today=DAY, code=code)
    assert response.unit_id == editor_unit.pk
    with pytest.raises(services.CodeAlreadyUsed):
        services.response_submit(survey=survey, answers={first.pk: 2}, today=DAY, code=code)
    with pytest.raises(services.SubmissionError):
        services.response_submit(
            survey=survey, answers={first.pk: 2}, today=DAY, code="XXXXX-XXXXX"
        )
    assert Response.objects.count() == 1
    assert not SurveyCode.objects.exists()


def test_burst_of_200_submissions_is_counted_exactly(musterstadt, transactional_db):
    """Catalogue row E3."""
    survey = make_open_survey(musterstadt)
    overall = question(survey, "overall")

    def submit(n: int) -> None:
        try:
            services.response_submit(survey=survey, answers={overall.pk: 1 + n % 5}, today=DAY)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(submit, range(200)))
    wave = Wave.objects.get(survey=survey)
    assert Response.objects.filter(wave=wave).count() == 200
    assert selectors.wave_response_count(wave) == 200
    assert Answer.objects.filter(response__wave=wave).count() == 200


def test_the_count_kept_at_closing_equals_the_sheets_and_outlives_the_purge(musterstadt):
    """The same invariant as E3: submissions update no counter row; the number of sheets is
    counted from the rows and kept on the wave when it closes, so it survives the purge."""
    survey = make_open_survey(musterstadt)
    answer_many(survey, [1, 2, 3, 4, 5] * 40)
    wave = survey.waves.get()
    wave.refresh_from_db()
    assert wave.response_count == 0  # nothing written per submission
    assert selectors.wave_response_count(wave) == 200
    services.wave_close(wave=wave, actor=None, today=DAY)
    wave.refresh_from_db()
    assert wave.response_count == Response.objects.filter(wave=wave).count() == 200
    services.feedback_purge_expired(today=DAY + dt.timedelta(days=3650))
    wave.refresh_from_db()
    assert wave.raw_purged_on is not None
    assert selectors.wave_response_count(wave) == 200


def test_retention_purges_raw_answers_and_codes_but_keeps_aggregates(musterstadt, editor_unit):
    """Catalogue row F7."""
    survey, wave = _pulse(musterstadt, [editor_unit])
    survey.retention_days = 90
    survey.save()
    codes = services.codes_generate(wave=wave, unit=editor_unit, count=10, actor=None, today=DAY)
    first = survey.questions.first()
    for code in codes[:8]:
        services.response_submit(survey=survey, answers={first.pk: 4}, today=DAY, code=code)
    services.wave_close(wave=wave, actor=None, today=dt.date(2026, 3, 31))
    # Codes are gone as soon as the wave closes; only the issued count per unit remains.
    assert SurveyCode.objects.count() == 0
    aggregates_before = AnswerAggregate.objects.filter(wave=wave).count()
    assert aggregates_before > 0

    with time_machine.travel(dt.datetime(2026, 6, 1, 12, 0), tick=False):
        out = StringIO()
        call_command("purge_expired", stdout=out)
        assert Response.objects.count() == 8  # not yet: 62 days

    with time_machine.travel(dt.datetime(2026, 7, 1, 12, 0), tick=False):
        out = StringIO()
        call_command("purge_expired", stdout=out)
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0
    assert SurveyCode.objects.count() == 0
    assert AnswerAggregate.objects.filter(wave=wave).count() == aggregates_before
    entry = AuditLogEntry.objects.get(action="feedback.purge_expired")
    assert entry.data == {"responses": 8, "answers": 8, "codes": 0}
    assert "8 Antwortbögen" in out.getvalue()


def test_suggestion_gets_a_14_day_deadline_and_is_routed_by_service(musterstadt, editor_unit):
    service: Any = ServiceFactory(municipality=musterstadt, unit=editor_unit)
    s = services.suggestion_submit(
        municipality=musterstadt,
        text="Bitte Termine am Samstag",
        today=dt.date(2026, 3, 2),
        category="Anregung",
        service=service,
    )
    assert s.due_on == dt.date(2026, 3, 16)
    assert s.unit == editor_unit
    assert s.status == SuggestionStatus.NEW


def test_share_answered_in_time(musterstadt, strategy_user):
    def make(received: dt.date) -> Suggestion:
        return services.suggestion_submit(municipality=musterstadt, text="x", today=received)

    on_time = make(dt.date(2026, 3, 1))
    late = make(dt.date(2026, 3, 1))
    make(dt.date(2026, 3, 1))  # still open, overdue by 3 April
    make(dt.date(2026, 3, 30))  # still open, within its deadline
    services.suggestion_answer(
        suggestion=on_time,
        answer="Erledigt",
        public=True,
        actor=strategy_user,
        today=dt.date(2026, 3, 10),
    )
    services.suggestion_answer(
        suggestion=late,
        answer="Spät, aber erledigt",
        public=False,
        actor=strategy_user,
        today=dt.date(2026, 3, 20),
    )
    stats = selectors.suggestion_stats(
        suggestions=Suggestion.objects.for_municipality(musterstadt), today=dt.date(2026, 4, 3)
    )
    assert (stats.total, stats.answered, stats.answered_in_time, stats.overdue) == (4, 2, 1, 1)
    assert stats.share_in_time == pytest.approx(100 / 3)


def test_share_answered_in_time_feeds_an_indicator(musterstadt, strategy_user):
    indicator: Any = IndicatorFactory(municipality=musterstadt, kind=IndicatorKind.SURVEY)
    a = services.suggestion_submit(municipality=musterstadt, text="a", today=dt.date(2026, 1, 5))
    services.suggestion_submit(municipality=musterstadt, text="b", today=dt.date(2026, 1, 6))
    services.suggestion_answer(
        suggestion=a, answer="ok", public=False, actor=strategy_user, today=dt.date(2026, 1, 9)
    )
    m = services.suggestion_indicator_record(
        municipality=musterstadt,
        indicator=indicator,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        actor=strategy_user,
        today=dt.date(2026, 4, 1),
    )
    assert m is not None and m.value == Decimal("50")
    assert m.source == MeasurementSource.SURVEY


def test_a_k_below_three_set_behind_the_forms_back_is_still_three(musterstadt, viewer, client_for):
    """Catalogue row F3."""
    from django.urls import reverse

    from leitwerk.feedback.models import Survey

    survey = make_open_survey(musterstadt)
    Survey.objects.filter(pk=survey.pk).update(min_group_size=1)
    answer_many(survey, [1, 5])
    services.wave_close(wave=survey.waves.get(), actor=None, today=dt.date(2026, 3, 31))
    html = client_for(viewer).get(reverse("feedback:survey_results", args=[survey.pk]))
    assert html.status_code == 200
    assert "weniger als 3 Antworten" in html.content.decode()
    assert "Mittelwert</th>" in html.content.decode()
    assert "3,00" not in html.content.decode()


# --------------------------------------------------------------------------- waves end by date


def test_wave_closes_by_itself_after_its_last_day_and_feeds_the_indicator(
    musterstadt, strategy_user
):
    nord = LocationFactory(municipality=musterstadt, name="Bürgeramt Nord")
    survey = make_open_survey(musterstadt, locations=[nord])
    survey.closes_on = dt.date(2026, 3, 31)
    survey.save()
    indicator: Any = IndicatorFactory(municipality=musterstadt, kind=IndicatorKind.SURVEY)
    services.binding_add(
        survey=survey,
        indicator=indicator,
        actor=strategy_user,
        question=question(survey, "overall"),
        location=nord,
    )
    answer_many(survey, [4] * 6, location_id=nord.pk)
    wave = survey.waves.get()

    with time_machine.travel(dt.datetime(2026, 3, 31, 12, 0), tick=False):
        call_command("purge_expired", stdout=StringIO())  # the last day still counts
    wave.refresh_from_db()
    assert wave.status == WaveStatus.OPEN
    # The day after: no more answers, even before the daily job ran.
    with pytest.raises(services.SubmissionError):
        answer_many(survey, [1], location_id=nord.pk, today=dt.date(2026, 4, 1))

    with time_machine.travel(dt.datetime(2026, 4, 2, 3, 0), tick=False):
        out = StringIO()
        call_command("purge_expired", stdout=out)
    wave.refresh_from_db()
    survey.refresh_from_db()
    assert wave.status == WaveStatus.CLOSED
    assert wave.closed_on == dt.date(2026, 3, 31)  # the real end, although the job ran later
    assert survey.status == "closed"
    m = Measurement.objects.get(indicator=indicator)
    assert m.value == Decimal("4") and m.measured_on == dt.date(2026, 3, 31)
    assert "1 Welle(n) abgeschlossen, 1 Indikator-Messwert(e)" in out.getvalue()
    assert AuditLogEntry.objects.filter(action="feedback.wave_close", actor=None).count() == 1

    # Running again changes nothing.
    with time_machine.travel(dt.datetime(2026, 4, 3, 3, 0), tick=False):
        call_command("purge_expired", stdout=StringIO())
    assert Measurement.objects.filter(indicator=indicator).count() == 1


def test_a_new_wave_after_a_manual_close_is_not_closed_by_the_job(musterstadt):
    survey = make_open_survey(musterstadt)
    services.wave_close(wave=survey.waves.get(), actor=None, today=dt.date(2026, 3, 31))
    wave = services.wave_open(survey=survey, actor=None, label="2026-2", today=dt.date(2026, 4, 1))
    assert services.waves_close_due(today=dt.date(2026, 4, 20)) == []
    wave.refresh_from_db()
    assert wave.status == WaveStatus.OPEN
    survey.refresh_from_db()
    assert survey.closes_on is None


def test_survey_without_end_date_stays_open(musterstadt):
    survey = make_open_survey(musterstadt)
    assert services.waves_close_due(today=dt.date(2030, 1, 1)) == []
    assert survey.waves.get().status == WaveStatus.OPEN


@pytest.mark.parametrize(("days", "ok"), [(6, False), (7, True), (730, True), (731, False)])
def test_retention_period_is_bounded(musterstadt, days, ok):
    if ok:
        survey = services.survey_create(
            municipality=musterstadt, actor=None, title="R", retention_days=days
        )
        assert survey.retention_days == days
    else:
        with pytest.raises(ValidationError) as err:
            services.survey_create(
                municipality=musterstadt, actor=None, title="R", retention_days=days
            )
        assert "retention_days" in err.value.message_dict
