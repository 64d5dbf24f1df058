"""The plain-language score beside every field that edits a public text, linked to the check."""

from __future__ import annotations

import re

from django.urls import reverse

from leitwerk.guidelines.tests.factories import StatementFactory
from leitwerk.portal.readability import analyse

HARD = (
    "Die Durchführung der Maßnahme erfolgt unter Berücksichtigung der Gewährleistung der "
    "Sicherstellung der Versorgungsinfrastruktur im Rahmen der Digitalisierungsstrategie."
)


def test_the_vorhaben_form_scores_its_description_and_links_the_check(
    strategy_user, client_for, led_initiative
):
    led_initiative.description = HARD
    led_initiative.save()
    page = client_for(strategy_user).get(reverse("plans:initiative_edit", args=[led_initiative.pk]))
    html = page.content.decode()
    score = analyse(HARD).score
    assert f"Lesbarkeit dieses Textes: <strong>{score:.0f} von 100</strong>" in html
    assert reverse("portal_workspace:readability") in html
    assert "Viele Hauptwörter auf -ung" in html  # the hint, not only the number
    # Screen readers hear the score with the field.
    field = re.search(r"<textarea[^>]*name=\"description\"[^>]*>", html).group(0)
    assert "id_description_lesbarkeit" in field
    assert 'id="id_description_lesbarkeit"' in html


def test_what_was_typed_is_scored_when_the_form_comes_back(
    strategy_user, client_for, led_initiative
):
    response = client_for(strategy_user).post(
        reverse("plans:initiative_edit", args=[led_initiative.pk]),
        {"title": "", "description": "Wir bauen einen Spielplatz. Alle dürfen mitreden."},
    )
    html = response.content.decode()
    score = analyse("Wir bauen einen Spielplatz. Alle dürfen mitreden.").score
    assert f"{score:.0f} von 100" in html


def test_a_field_that_is_not_public_shows_no_score(strategy_user, client_for, led_initiative):
    html = (
        client_for(strategy_user)
        .get(reverse("plans:initiative_edit", args=[led_initiative.pk]))
        .content.decode()
    )
    assert "id_title_lesbarkeit" not in html and "id_objective_lesbarkeit" in html


def test_a_leitbild_statement_and_a_participation_opportunity_show_the_score(
    strategy_user, client_for, musterstadt
):
    statement = StatementFactory(municipality=musterstadt, text=HARD)
    client = client_for(strategy_user)
    html = client.get(reverse("guidelines:statement_edit", args=[statement.pk])).content.decode()
    assert "id_text_lesbarkeit" in html
    html = client.get(reverse("portal_workspace:participation_create")).content.decode()
    assert "Lesbarkeit: noch kein Text." in html and "id_how_to_take_part_lesbarkeit" in html
