"""Team dialogue: a low-rated statement of a pulse wave becomes a Gesprächsthema with an
agreed action, and the agreed action becomes a Vorhaben led by the team."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.core.models import AuditLogEntry
from leitwerk.feedback import services
from leitwerk.feedback.models import DiscussionItem
from leitwerk.feedback.tests.helpers import DAY
from leitwerk.guidelines.tests.factories import (
    GuidelineDocumentFactory,
    GuidelineSectionFactory,
    StatementFactory,
)
from leitwerk.municipalities.models import Role
from leitwerk.municipalities.tests.factories import (
    MembershipFactory,
    OrganisationalUnitFactory,
)
from leitwerk.plans.models import Initiative
from leitwerk.plans.tests.factories import ActionFieldFactory

URL = "feedback:discussion_items"


def _pulse(municipality, unit, answers: int = 8):
    doc: Any = GuidelineDocumentFactory(municipality=municipality)
    section = GuidelineSectionFactory(municipality=municipality, document=doc)
    for text in ["Ich spreche Probleme offen an.", "Wir feiern Erfolge."]:
        StatementFactory(municipality=municipality, section=section, kind="ich", text=text)
    survey = services.pulse_survey_create(guideline=doc, units=[unit], actor=None)
    wave = services.wave_open(survey=survey, actor=None, label="2026", today=DAY)
    codes = services.codes_generate(wave=wave, unit=unit, count=answers, actor=None, today=DAY)
    open_q, celebrate_q = list(survey.questions.filter(statement__isnull=False))
    for code in codes:
        services.response_submit(
            survey=survey, answers={open_q.pk: 2, celebrate_q.pk: 5}, today=DAY, code=code
        )
    # Team results (and so talking points) exist once the wave has closed.
    services.wave_close(wave=wave, actor=None, today=DAY)
    wave.refresh_from_db()
    return survey, wave, open_q


def _save_point(client, wave, unit, question):
    return client.post(
        reverse(URL),
        {"action": "save_point", "wave": wave.pk, "unit": unit.pk, "question": question.pk},
    )


def test_strategy_office_keeps_a_point_notes_the_action_and_makes_a_vorhaben(
    musterstadt, editor_unit, strategy_user, client_for
):
    survey, wave, open_q = _pulse(musterstadt, editor_unit)
    field: Any = ActionFieldFactory(municipality=musterstadt)
    client = client_for(strategy_user)
    results = client.get(reverse("feedback:survey_results", args=[survey.pk])).content.decode()
    assert "Als Gesprächsthema speichern" in results

    assert _save_point(client, wave, editor_unit, open_q).status_code == 302
    item = DiscussionItem.objects.get()
    assert (item.unit, item.statement_text, float(item.mean)) == (editor_unit, open_q.text, 2.0)

    client.post(
        reverse(URL),
        {
            "action": "update",
            "item": item.pk,
            "agreed_action": "Monatliche Teamrunde\nmit Moderation",
        },
    )
    page = client.get(reverse(URL)).content.decode()
    assert "Monatliche Teamrunde" in page

    done = client.post(
        reverse(URL), {"action": "to_initiative", "item": item.pk, "action_field": field.pk}
    )
    assert done.status_code == 302
    initiative = Initiative.objects.get(action_field=field)
    assert initiative.title == "Monatliche Teamrunde"
    assert initiative.lead_unit == editor_unit
    assert initiative.municipality == musterstadt
    item.refresh_from_db()
    assert item.initiative == initiative
    assert AuditLogEntry.objects.filter(action="feedback.discussion_item_to_initiative").exists()
    # A second click does not create a second Vorhaben.
    client.post(
        reverse(URL), {"action": "to_initiative", "item": item.pk, "action_field": field.pk}
    )
    assert Initiative.objects.filter(action_field=field).count() == 1


def test_the_units_editor_may_keep_its_own_points(
    musterstadt, editor_unit, unit_editor, client_for
):
    _survey, wave, open_q = _pulse(musterstadt, editor_unit)
    client = client_for(unit_editor)
    assert _save_point(client, wave, editor_unit, open_q).status_code == 302
    assert DiscussionItem.objects.filter(unit=editor_unit).count() == 1
    assert open_q.text in client.get(reverse(URL)).content.decode()


def test_viewer_and_editor_of_another_unit_may_not(musterstadt, editor_unit, viewer, client_for):
    _survey, wave, open_q = _pulse(musterstadt, editor_unit)
    other_editor = UserFactory(email="fb9@musterstadt.test")
    MembershipFactory(
        user=other_editor,
        municipality=musterstadt,
        role=Role.UNIT_EDITOR,
        unit=OrganisationalUnitFactory(municipality=musterstadt, name="FB 9"),
    )
    assert client_for(viewer).get(reverse(URL)).status_code == 404
    for person in (viewer, other_editor):
        assert _save_point(client_for(person), wave, editor_unit, open_q).status_code == 404
    assert not DiscussionItem.objects.exists()


def test_another_municipality_gets_404(
    musterstadt, editor_unit, strategy_user, other_town_admin, client_for
):
    _survey, wave, open_q = _pulse(musterstadt, editor_unit)
    _save_point(client_for(strategy_user), wave, editor_unit, open_q)
    item = DiscussionItem.objects.get()
    foreign = client_for(other_town_admin)
    assert _save_point(foreign, wave, editor_unit, open_q).status_code == 404
    update = foreign.post(reverse(URL), {"action": "update", "item": item.pk, "agreed_action": "x"})
    assert update.status_code == 404
    assert open_q.text not in foreign.get(reverse(URL)).content.decode()
    item.refresh_from_db()
    assert item.agreed_action == ""


def test_a_team_below_the_minimum_group_size_has_no_point_to_keep(
    musterstadt, editor_unit, strategy_user, client_for
):
    _survey, wave, open_q = _pulse(musterstadt, editor_unit, answers=4)
    assert _save_point(client_for(strategy_user), wave, editor_unit, open_q).status_code == 404
    assert not DiscussionItem.objects.exists()
