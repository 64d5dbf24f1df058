"""H2 (codes side): a team cannot be padded with codes whose answers the issuer controls.

The audit's attack: the strategy office generated 35 + 35 codes for a team with one genuine
respondent, answered them itself and subtracted its own answers from the published figures.
Codes are now bounded by the team's head count from the organisation, plus a small margin.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from leitwerk.core.models import AuditLogEntry
from leitwerk.feedback import services
from leitwerk.feedback.models import SurveyCode
from leitwerk.feedback.selectors import code_limit
from leitwerk.feedback.tests.pulse_helpers import DAY, make_pulse
from leitwerk.municipalities.tests.factories import OrganisationalUnitFactory

pytestmark = pytest.mark.django_db


def test_strategy_office_cannot_pad_a_small_team_with_seventy_codes(
    musterstadt, strategy_user, client_for
):
    team = OrganisationalUnitFactory(municipality=musterstadt, name="FB 3 klein", headcount=6)
    survey, wave = make_pulse(musterstadt, [team])
    client = client_for(strategy_user)
    url = reverse("feedback:survey_codes", args=[survey.pk])

    # The attack as the audit ran it: 70 codes for one team, in one batch or in many.
    page = client.post(url, {"unit": team.pk, "count": 70})
    assert page.status_code == 200
    assert "höchstens 8 Codes" in page.content.decode()
    for _ in range(7):
        client.post(url, {"unit": team.pk, "count": 10})
    issued = SurveyCode.objects.filter(wave=wave, unit=team).count()
    assert issued == 0  # every batch of 10 is already above 6 + 2

    for _ in range(20):
        client.post(url, {"unit": team.pk, "count": 1})
    assert SurveyCode.objects.filter(wave=wave, unit=team).count() == 8


def test_the_code_limit_is_the_head_count_plus_a_small_margin():
    assert code_limit(1) == 3
    assert code_limit(6) == 8
    assert code_limit(20) == 22
    assert code_limit(100) == 110


def test_codes_need_a_team_with_a_known_head_count(musterstadt):
    unknown = OrganisationalUnitFactory(municipality=musterstadt, headcount=None)
    _survey, wave = make_pulse(musterstadt, [unknown])
    with pytest.raises(ValidationError, match="keine Zahl der Mitarbeitenden"):
        services.codes_generate(wave=wave, unit=unknown, count=1, actor=None, today=DAY)
    with pytest.raises(ValidationError, match="Team wählen"):
        services.codes_generate(wave=wave, unit=None, count=1, actor=None, today=DAY)
    assert not SurveyCode.objects.filter(wave=wave).exists()


def test_every_code_batch_is_audited_with_head_count_and_limit(musterstadt, strategy_user):
    team = OrganisationalUnitFactory(municipality=musterstadt, headcount=10)
    _survey, wave = make_pulse(musterstadt, [team])
    services.codes_generate(wave=wave, unit=team, count=4, actor=strategy_user, today=DAY)
    services.codes_generate(wave=wave, unit=team, count=3, actor=strategy_user, today=DAY)
    entries = AuditLogEntry.objects.filter(action="feedback.codes_generate").order_by("id")
    assert [e.data for e in entries] == [
        {"count": 4, "unit": team.pk, "headcount": 10, "limit": 12, "issued_before": 0},
        {"count": 3, "unit": team.pk, "headcount": 10, "limit": 12, "issued_before": 4},
    ]


def test_codes_page_shows_each_teams_limit_and_what_is_left(musterstadt, strategy_user, client_for):
    team = OrganisationalUnitFactory(municipality=musterstadt, name="Team Nord", headcount=9)
    survey, wave = make_pulse(musterstadt, [team])
    services.codes_generate(wave=wave, unit=team, count=5, actor=None, today=DAY)
    page = client_for(strategy_user).get(reverse("feedback:survey_codes", args=[survey.pk]))
    html = page.content.decode()
    assert "Codes je Team in dieser Welle" in html
    assert "<td>9</td><td>11</td><td>5</td><td>6</td>" in html.replace("\n", "")
