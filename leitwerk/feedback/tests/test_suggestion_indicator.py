"""The share of suggestions answered in time feeds the indicator the strategy office chose;
public answers appear on the public suggestion page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import time_machine
from django.core.management import call_command
from django.urls import reverse

from leitwerk.feedback import services
from leitwerk.feedback.models import SuggestionIndicatorBinding
from leitwerk.plans.models import IndicatorKind, Measurement
from leitwerk.plans.tests.factories import IndicatorFactory


def _run_daily_job(day: dt.date) -> str:
    out = StringIO()
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 3, 0), tick=False):
        call_command("purge_expired", stdout=out)
    return out.getvalue()


def test_strategy_office_links_indicator_and_daily_job_records_share(
    musterstadt, strategy_user, client_for
):
    indicator: Any = IndicatorFactory(municipality=musterstadt, kind=IndicatorKind.SURVEY)
    client = client_for(strategy_user)
    inbox = client.get(reverse("feedback:suggestion_inbox")).content.decode()
    assert reverse("feedback:suggestion_indicator") in inbox
    saved = client.post(reverse("feedback:suggestion_indicator"), {"indicator": indicator.pk})
    assert saved.status_code == 302

    # January: one in time, one late, one never answered → 1 of 3 in time.
    in_time = services.suggestion_submit(
        municipality=musterstadt, text="a", today=dt.date(2026, 1, 5)
    )
    late = services.suggestion_submit(municipality=musterstadt, text="b", today=dt.date(2026, 1, 6))
    services.suggestion_submit(municipality=musterstadt, text="c", today=dt.date(2026, 1, 7))
    services.suggestion_answer(
        suggestion=in_time,
        answer="ok",
        public=False,
        actor=strategy_user,
        today=dt.date(2026, 1, 10),
    )
    services.suggestion_answer(
        suggestion=late, answer="spät", public=False, actor=strategy_user, today=dt.date(2026, 2, 1)
    )
    # February: answered in time → 100 %.
    feb = services.suggestion_submit(municipality=musterstadt, text="d", today=dt.date(2026, 2, 3))
    services.suggestion_answer(
        suggestion=feb, answer="ok", public=False, actor=strategy_user, today=dt.date(2026, 2, 4)
    )

    # Mid-February January's deadlines have passed (31.1. + 14 days), February's not yet.
    _run_daily_job(dt.date(2026, 2, 15))
    values = list(Measurement.objects.filter(indicator=indicator).order_by("measured_on"))
    assert [round(m.value, 2) for m in values] == [Decimal("33.33")]
    assert values[0].measured_on == dt.date(2026, 1, 31)

    # Running again the same day adds nothing; after February's deadlines its value follows.
    _run_daily_job(dt.date(2026, 2, 15))
    assert Measurement.objects.filter(indicator=indicator).count() == 1
    out = _run_daily_job(dt.date(2026, 3, 20))
    values = list(Measurement.objects.filter(indicator=indicator).order_by("measured_on"))
    assert [m.value for m in values][1:] == [Decimal("100")]
    assert "1 Messwert(e) aus Anregungen" in out


def test_only_strategy_office_may_link_the_indicator(musterstadt, unit_editor, viewer, client_for):
    indicator: Any = IndicatorFactory(municipality=musterstadt, kind=IndicatorKind.SURVEY)
    for person in (unit_editor, viewer):
        client = client_for(person)
        assert client.get(reverse("feedback:suggestion_indicator")).status_code == 404
        client.post(reverse("feedback:suggestion_indicator"), {"indicator": indicator.pk})
    assert not SuggestionIndicatorBinding.objects.exists()


def test_indicator_of_another_kind_or_town_is_refused(
    musterstadt, other_town, strategy_user, client_for
):
    wrong_kind: Any = IndicatorFactory(municipality=musterstadt, kind=IndicatorKind.QUANTITATIVE)
    foreign: Any = IndicatorFactory(municipality=other_town, kind=IndicatorKind.SURVEY)
    client = client_for(strategy_user)
    for indicator in (wrong_kind, foreign):
        page = client.post(reverse("feedback:suggestion_indicator"), {"indicator": indicator.pk})
        assert page.status_code == 200
        assert "errorlist" in page.content.decode()
    assert not SuggestionIndicatorBinding.objects.exists()


def test_public_answer_appears_on_public_page_private_does_not(client, musterstadt, strategy_user):
    shown = services.suggestion_submit(
        municipality=musterstadt, text="Mehr Bänke am Markt", today=dt.date(2026, 1, 5)
    )
    hidden = services.suggestion_submit(
        municipality=musterstadt, text="Mein Nachbar ...", today=dt.date(2026, 1, 5)
    )
    services.suggestion_answer(
        suggestion=shown,
        answer="Zwei neue Bänke stehen seit März.",
        public=True,
        actor=strategy_user,
        today=dt.date(2026, 1, 9),
    )
    services.suggestion_answer(
        suggestion=hidden,
        answer="Wir haben mit Ihnen telefoniert.",
        public=False,
        actor=strategy_user,
        today=dt.date(2026, 1, 9),
    )
    html = client.get(reverse("feedback_suggestions:form", args=["musterstadt"])).content.decode()
    assert "Zwei neue Bänke stehen seit März." in html
    assert "Wir haben mit Ihnen telefoniert." not in html
    # The citizen's own text is never published, only the answer.
    assert "Mein Nachbar" not in html
