"""Leichte Sprache: the page per municipality (generated or its own text), the sign-language
slot, the Leichte-Sprache summary of Vorhaben and goals, and the check's rules."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from leitwerk.goals.tests.factories import GoalFactory
from leitwerk.plans.models import PlanStatus
from leitwerk.plans.services import plan_release
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    InitiativeFactory,
)
from leitwerk.portal.easy_language import SiteFacts, as_text, generated_sections
from leitwerk.portal.models import PortalSettings
from leitwerk.portal.readability import (
    RULE_ACTIVE,
    RULE_COMPOUND,
    RULE_LENGTH,
    RULE_ONE_STATEMENT,
    easy_language_findings,
)


def _url(name: str, **kwargs) -> str:
    return reverse(f"portal:{name}", kwargs={"municipality_slug": "musterstadt", **kwargs})


def _rules(text: str) -> list[str]:
    return [rule for finding in easy_language_findings(text) for rule, _ in finding.rules]


def test_the_check_names_the_leichte_sprache_rule_each_sentence_breaks():
    assert _rules("Der Antrag wird von der Verwaltung geprüft.") == [RULE_ACTIVE]
    assert _rules("Wir helfen Ihnen, weil Sie fragen.") == [RULE_ONE_STATEMENT]
    assert _rules("Die Stadtverwaltung hilft.") == [RULE_COMPOUND]
    assert _rules("Die Stadt·verwaltung hilft.") == []
    assert _rules("Die Stadt-Verwaltung hilft.") == []
    long = "Wir bauen in diesem Jahr in der ganzen Stadt viele neue und schöne Wege."
    assert _rules(long) == [RULE_LENGTH]
    assert easy_language_findings("Wir bauen einen Weg. Sie können mitmachen.") == []


def test_the_check_says_what_it_found():
    (finding,) = easy_language_findings("Das Haus wird gebaut.")
    assert finding.sentence == "Das Haus wird gebaut."
    assert finding.rules == [(RULE_ACTIVE, "„wird … gebaut“: schreiben Sie, wer etwas tut")]


@pytest.mark.parametrize("comments", [True, False])
def test_the_generated_text_keeps_the_rules_it_checks(comments):
    facts = SiteFacts(
        name="Gemeinde Beispielhausen",
        initiatives=12,
        goals=1,
        has_guideline=True,
        surveys=2,
        comments_enabled=comments,
    )
    text = as_text(generated_sections(facts))
    assert easy_language_findings(text, names=(facts.name,)) == []


@pytest.mark.django_db
def test_the_page_explains_the_site_from_the_municipality_data_and_links_the_statement(world):
    response = Client().get(_url("easy_language"))
    assert response.status_code == 200
    body = response.content.decode()
    for heading in ("Was gibt es auf dieser Seite?", "Wie benutze ich die Seite?"):
        assert heading in body
    assert "Das ist die Internet·seite von Musterstadt." in body
    assert "Es gibt 1 Vorhaben." in body
    assert 'href="/musterstadt/barrierefreiheit/"' in body
    assert "Ein Video in Gebärden·sprache gibt es noch nicht." in body


@pytest.mark.django_db
def test_the_municipality_own_text_and_video_replace_the_generated_ones(musterstadt):
    PortalSettings.objects.create(
        municipality=musterstadt,
        easy_language_text="## Willkommen\n\nHier ist unser Rathaus.\n\nWir helfen Ihnen.",
        sign_language_video_url="https://video.example.org/dgs.mp4",
    )
    body = Client().get(_url("easy_language")).content.decode()
    assert "<h2" in body and "Willkommen" in body
    assert "<p>Hier ist unser Rathaus.</p>" in body
    assert "Was gibt es auf dieser Seite?</h2>" not in body
    assert '<source src="https://video.example.org/dgs.mp4">' in body


@pytest.mark.django_db
def test_a_vorhaben_summary_in_leichte_sprache_shows_after_its_release(musterstadt):
    plan = ActionPlanFactory(municipality=musterstadt, public=True, status=PlanStatus.ADOPTED)
    field = ActionFieldFactory(municipality=musterstadt, plan=plan)
    initiative = InitiativeFactory(
        municipality=musterstadt, action_field=field, public=True, title="Neue Radwege"
    )
    plan_release(plan=plan, actor=None)
    initiative.easy_summary = "Wir bauen neue Rad·wege."
    initiative.save()
    detail = _url("initiative", initiative_id=initiative.pk)
    assert "Wir bauen neue Rad·wege." not in Client().get(detail).content.decode()

    plan_release(plan=plan, actor=None)
    body = Client().get(detail).content.decode()
    assert "Leichte Sprache: Das Vorhaben kurz erklärt" in body
    assert "Wir bauen neue Rad·wege." in body
    assert "Wir bauen neue Rad·wege." in Client().get(_url("easy_language")).content.decode()


@pytest.mark.django_db
def test_a_public_goal_summary_in_leichte_sprache_is_on_the_page(musterstadt):
    GoalFactory(
        municipality=musterstadt,
        public=True,
        title="Saubere Luft",
        easy_summary="Die Luft soll sauber sein.",
    )
    body = Client().get(_url("easy_language")).content.decode()
    assert "Ziele in Leichter Sprache" in body and "Die Luft soll sauber sein." in body


@pytest.mark.django_db
def test_the_settings_page_checks_the_text_and_saves_it(musterstadt, strategy_user, client_for):
    client = client_for(strategy_user)
    url = reverse("portal_workspace:portal_settings")
    page = client.get(url)
    assert page.status_code == 200
    assert "Kein Satz verletzt eine der Regeln." in page.content.decode()
    response = client.post(
        url,
        {
            "easy_language_text": "Der Antrag wird geprüft.",
            "sign_language_video_url": "",
            "known_limitations": "Karten: Die Karte ist nicht barrierefrei.",
            "comments_enabled": "on",
            "expected_version": "",
        },
    )
    assert response.status_code == 302
    saved = PortalSettings.objects.get(municipality=musterstadt)
    assert saved.comments_enabled and saved.easy_language_text == "Der Antrag wird geprüft."
    body = client.get(url).content.decode()
    assert "Kein Passiv" in body and "„wird … geprüft“" in body


@pytest.mark.django_db
def test_the_settings_page_is_for_the_strategy_office_only(musterstadt, viewer, client_for):
    assert client_for(viewer).get(reverse("portal_workspace:portal_settings")).status_code == 403


@pytest.mark.django_db
def test_the_readability_page_says_which_rule_a_leichte_sprache_sentence_breaks(
    musterstadt, strategy_user, client_for
):
    plan = ActionPlanFactory(municipality=musterstadt, public=True, status=PlanStatus.ADOPTED)
    field = ActionFieldFactory(municipality=musterstadt, plan=plan)
    InitiativeFactory(
        municipality=musterstadt,
        action_field=field,
        public=True,
        title="Radwege",
        easy_summary="Die Radwege werden von der Stadt gebaut.",
    )
    body = client_for(strategy_user).get(reverse("portal_workspace:readability")).content.decode()
    assert "Verletzt Regeln der Leichten Sprache" in body
    assert "„Die Radwege werden von der Stadt gebaut.“: <strong>Kein Passiv</strong>" in body


def test_releases_from_before_leichte_sprache_do_not_count_as_changed():
    from leitwerk.plans.release import entry_changes

    old = {"title": "A", "status": "planned"}
    assert entry_changes(old, {**old, "easy_summary": ""}) == []
    assert entry_changes(old, {**old, "easy_summary": "Kurz."}) == ["Leichte Sprache"]
