"""Alignment matrix (Leitbild × Vorhaben and goals) and "Ich mache Ziele messbar"."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from leitwerk.controlling.selectors import alignment_for_user
from leitwerk.core.models import AuditLogEntry
from leitwerk.goals.tests.factories import GoalFactory
from leitwerk.guidelines.tests.factories import StatementFactory
from leitwerk.plans.models import IndicatorKind
from leitwerk.plans.tests.factories import IndicatorFactory, InitiativeFactory


@pytest.fixture
def statements(musterstadt):
    return (
        StatementFactory(municipality=musterstadt, text="Wir machen Ziele messbar."),
        StatementFactory(municipality=musterstadt, text="Wir denken vom Bürger her."),
    )


@pytest.fixture
def goal(musterstadt):
    return GoalFactory(municipality=musterstadt, title="Kürzere Wartezeiten")


def _change(client, statement, target, target_id, action):
    return client.post(
        reverse("controlling:alignment_change"),
        {"statement": statement.pk, "target": target, "target_id": target_id, "action": action},
    )


def test_gaps_are_named_in_text(statements, led_initiative, viewer, client_for):
    led_initiative.statements.add(statements[0])
    matrix = alignment_for_user(user=viewer, municipality=led_initiative.municipality)
    assert [row.is_gap for row in matrix.rows] == [False, True]
    assert matrix.gaps == 1
    page = client_for(viewer).get(reverse("controlling:alignment")).content.decode()
    assert "<caption" in page and 'scope="row"' in page and 'scope="col"' in page
    assert "Lücke: nichts dahinter" in page
    assert "umgesetzt durch 1 Vorhaben" in page
    assert "verknüpfen" not in page  # a reader gets no forms


def test_strategy_office_links_and_unlinks_from_the_statement_side(
    statements, led_initiative, goal, strategy_user, client_for
):
    client = client_for(strategy_user)
    version = led_initiative.version
    assert (
        _change(client, statements[1], "initiative", led_initiative.pk, "link").status_code == 302
    )
    assert _change(client, statements[1], "goal", goal.pk, "link").status_code == 302
    assert statements[1] in led_initiative.statements.all()
    assert statements[1] in goal.statements.all()
    led_initiative.refresh_from_db()
    # A changed link is a change of the Vorhaben: an open edit form becomes a conflict.
    assert led_initiative.version == version + 1
    assert AuditLogEntry.objects.filter(action="alignment.link").count() == 2
    assert _change(client, statements[1], "goal", goal.pk, "unlink").status_code == 302
    assert statements[1] not in goal.statements.all()
    assert AuditLogEntry.objects.filter(action="alignment.unlink").exists()


def test_both_sides_are_shown(statements, led_initiative, goal, strategy_user, client_for):
    goal.statements.add(statements[0])
    client = client_for(strategy_user)
    page = client.get(reverse("controlling:alignment"), {"sicht": "vorhaben"}).content.decode()
    assert "Online-Terminvergabe" in page and "keiner Aussage zugeordnet" in page
    page = client.get(reverse("controlling:alignment"), {"sicht": "ziele"}).content.decode()
    assert "Kürzere Wartezeiten" in page and "1 Aussage" in page


def test_unit_editor_links_own_vorhaben_but_not_goals(
    statements, led_initiative, goal, unit_editor, musterstadt, strategy_unit, client_for
):
    client = client_for(unit_editor)
    assert (
        _change(client, statements[0], "initiative", led_initiative.pk, "link").status_code == 302
    )
    other = InitiativeFactory(municipality=musterstadt, lead_unit=strategy_unit)
    assert _change(client, statements[0], "initiative", other.pk, "link").status_code == 403
    assert _change(client, statements[0], "goal", goal.pk, "link").status_code == 403
    assert list(goal.statements.all()) == []


@pytest.mark.parametrize("persona", ["viewer", "council_member"])
def test_readers_cannot_link(persona, request, statements, led_initiative, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert (
        _change(client, statements[0], "initiative", led_initiative.pk, "link").status_code == 403
    )
    assert list(led_initiative.statements.all()) == []


def test_foreign_rows_cannot_be_linked(statements, other_town, strategy_user, client_for):
    foreign = InitiativeFactory(municipality=other_town)
    foreign_statement = StatementFactory(municipality=other_town)
    client = client_for(strategy_user)
    assert _change(client, statements[0], "initiative", foreign.pk, "link").status_code == 404
    own = InitiativeFactory(municipality=statements[0].municipality)
    assert _change(client, foreign_statement, "initiative", own.pk, "link").status_code == 404


def test_get_on_the_change_url_is_not_allowed(strategy_user, client_for):
    assert client_for(strategy_user).get(reverse("controlling:alignment_change")).status_code == 405


def _pick(statement, kind="vorhaben"):
    return reverse("controlling:alignment_pick", args=[statement.pk, kind])


def test_the_matrix_links_to_one_picker_instead_of_a_select_per_statement(
    statements, led_initiative, goal, strategy_user, client_for
):
    """Two full selects per statement made the page 491 KB for 128 statements."""
    page = client_for(strategy_user).get(reverse("controlling:alignment")).content.decode()
    assert "<select" not in page.split("<table", 1)[1]
    assert page.count(_pick(statements[0])) == 1 and _pick(statements[1], "ziele") in page


def test_a_statement_is_linked_to_vorhaben_of_two_plans_from_one_grouped_list(
    statements, led_initiative, musterstadt, strategy_user, client_for
):
    from leitwerk.plans.tests.factories import ActionFieldFactory

    other_plan = InitiativeFactory(
        municipality=musterstadt,
        title="Radwegenetz",
        action_field=ActionFieldFactory(municipality=musterstadt, plan__title="Mobilitätsplan"),
    )
    led_initiative.statements.add(statements[0])
    client = client_for(strategy_user)
    page = client.get(_pick(statements[0])).content.decode()
    plan = led_initiative.action_field.plan.title
    assert f"<legend>{plan} – " in page and "<legend>Mobilitätsplan – " in page
    first, second = sorted([plan, "Mobilitätsplan"])
    assert page.index(f"<legend>{first} – ") < page.index(f"<legend>{second} – ")
    response = client.post(_pick(statements[0]), {"targets": [other_plan.pk]})
    assert response.status_code == 302
    assert response.url.endswith(f"#aussage-{statements[0].pk}")
    assert list(statements[0].initiatives.all()) == [other_plan]
    actions = AuditLogEntry.objects.filter(action__startswith="alignment.")
    assert sorted(actions.values_list("action", flat=True)) == [
        "alignment.link",
        "alignment.unlink",
    ]


def test_links_the_person_may_not_change_survive_their_picker(
    statements, led_initiative, musterstadt, strategy_unit, unit_editor, client_for
):
    foreign_unit = InitiativeFactory(municipality=musterstadt, lead_unit=strategy_unit)
    foreign_unit.statements.add(statements[0])
    client = client_for(unit_editor)
    page = client.get(_pick(statements[0])).content.decode()
    assert led_initiative.title in page and foreign_unit.title not in page
    assert client.post(_pick(statements[0]), {"targets": [led_initiative.pk]}).status_code == 302
    assert set(statements[0].initiatives.all()) == {led_initiative, foreign_unit}


@pytest.mark.parametrize("persona", ["viewer", "council_member"])
def test_readers_get_no_picker(persona, request, statements, led_initiative, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(_pick(statements[0])).status_code == 403
    assert client.get(_pick(statements[0], "ziele")).status_code == 403


def test_the_picker_of_a_foreign_or_unknown_statement_is_404(other_town, strategy_user, client_for):
    foreign = StatementFactory(municipality=other_town)
    client = client_for(strategy_user)
    assert client.get(_pick(foreign)).status_code == 404
    assert client.get(_pick(foreign, "irgendwas")).status_code == 404


# --- Ich mache Ziele messbar -------------------------------------------------------------------


@pytest.fixture
def qualitative(led_initiative):
    return IndicatorFactory(
        municipality=led_initiative.municipality,
        initiative=led_initiative,
        title="weniger Abstimmungsschleifen",
        kind=IndicatorKind.QUALITATIVE,
        unit="",
        baseline=None,
        target=None,
        target_date=None,
    )


def _measurable(client, indicator, **data):
    payload = {
        "expected_version": indicator.version,
        "title": indicator.title,
        "direction": "increase",
        **data,
    }
    return client.post(reverse("controlling:make_measurable", kwargs={"pk": indicator.pk}), payload)


def test_project_lead_makes_an_indicator_measurable(qualitative, project_lead, client_for):
    client = client_for(project_lead)
    assert (
        "Ich mache Ziele messbar"
        in client.get(
            reverse("controlling:make_measurable", kwargs={"pk": qualitative.pk})
        ).content.decode()
    )
    response = _measurable(
        client,
        qualitative,
        title="Abstimmungsschleifen je Vorlage",
        kind="quantitative",
        unit="Schleifen",
        baseline="4",
        target="2",
        direction="decrease",
        target_date="2027-06-30",
    )
    assert response.status_code == 302
    qualitative.refresh_from_db()
    assert qualitative.kind == IndicatorKind.QUANTITATIVE
    assert (qualitative.baseline, qualitative.target) == (Decimal(4), Decimal(2))
    assert qualitative.direction == "decrease" and qualitative.target_date == dt.date(2027, 6, 30)
    assert qualitative.title == "Abstimmungsschleifen je Vorlage"
    assert AuditLogEntry.objects.filter(action="indicator.make_measurable").exists()


def test_direction_must_match_baseline_and_target(qualitative, strategy_user, client_for):
    response = _measurable(
        client_for(strategy_user),
        qualitative,
        kind="quantitative",
        baseline="4",
        target="2",
        direction="increase",
        target_date="2027-06-30",
    )
    assert response.status_code == 400
    assert "Richtung prüfen" in response.content.decode()


def test_checklist_items_are_stored_as_text_and_done(qualitative, strategy_user, client_for):
    response = _measurable(
        client_for(strategy_user),
        qualitative,
        kind="checklist",
        checklist="Vorlage entwerfen\n\nMitzeichnung klären\n",
        target_date="2027-01-31",
    )
    assert response.status_code == 302
    qualitative.refresh_from_db()
    assert qualitative.checklist == [
        {"text": "Vorlage entwerfen", "done": False},
        {"text": "Mitzeichnung klären", "done": False},
    ]


def test_yes_no_needs_only_a_date(qualitative, strategy_user, client_for):
    response = _measurable(
        client_for(strategy_user), qualitative, kind="yes_no", target_date="2026-12-31"
    )
    assert response.status_code == 302
    qualitative.refresh_from_db()
    assert (qualitative.baseline, qualitative.target) == (0, 1)


def test_missing_values_are_explained(qualitative, strategy_user, client_for):
    response = _measurable(
        client_for(strategy_user), qualitative, kind="quantitative", target_date="2027-06-30"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ausgangswert" in page and "Zielwert" in page and 'aria-invalid="true"' in page


def test_a_concurrent_change_is_a_conflict(qualitative, strategy_user, client_for):
    client = client_for(strategy_user)
    stale_version = qualitative.version
    assert (
        _measurable(client, qualitative, kind="yes_no", target_date="2026-12-31").status_code == 302
    )
    qualitative.version = stale_version
    response = _measurable(
        client, qualitative, kind="checklist", checklist="A", target_date="2026-12-31"
    )
    assert response.status_code == 409
    assert "inzwischen geändert" in response.content.decode()


@pytest.mark.parametrize("persona", ["viewer", "council_member", "unit_editor_of_other_unit"])
def test_others_may_not_make_it_measurable(persona, request, qualitative, client_for, musterstadt):
    if persona == "unit_editor_of_other_unit":
        from leitwerk.accounts.tests.factories import UserFactory
        from leitwerk.municipalities.models import Role
        from leitwerk.municipalities.tests.factories import (
            MembershipFactory,
            OrganisationalUnitFactory,
        )

        user = UserFactory()
        MembershipFactory(
            user=user,
            municipality=musterstadt,
            role=Role.UNIT_EDITOR,
            unit=OrganisationalUnitFactory(municipality=musterstadt, name="Ordnungsamt"),
        )
    else:
        user = request.getfixturevalue(persona)
    response = _measurable(client_for(user), qualitative, kind="yes_no", target_date="2026-12-31")
    assert response.status_code == 403


def test_goal_indicators_are_made_measurable_by_the_strategy_office(
    goal, strategy_user, unit_editor, client_for
):
    indicator = IndicatorFactory(
        municipality=goal.municipality, initiative=None, goal=goal, kind=IndicatorKind.QUALITATIVE
    )
    assert (
        _measurable(
            client_for(unit_editor), indicator, kind="yes_no", target_date="2026-12-31"
        ).status_code
        == 403
    )
    assert (
        _measurable(
            client_for(strategy_user), indicator, kind="yes_no", target_date="2026-12-31"
        ).status_code
        == 302
    )


def test_alignment_page_queries_do_not_grow(statements, project_lead, led_initiative, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(project_lead)
    client.get(reverse("controlling:alignment"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("controlling:alignment"))
    for _ in range(6):
        other = InitiativeFactory(municipality=led_initiative.municipality)
        other.responsible_people.add(project_lead)
        other.statements.add(statements[0])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("controlling:alignment"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_quick_report_never_redirects_elsewhere(project_lead, led_initiative, client_for):
    response = client_for(project_lead).post(
        reverse("plans:status_report_create", kwargs={"pk": led_initiative.pk}),
        {"health": "on_track", "text": "Läuft.", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:initiative_detail", args=[led_initiative.pk])
