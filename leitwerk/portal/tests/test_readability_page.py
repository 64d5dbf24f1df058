"""The editors' page "Lesbarkeit öffentlicher Texte": public texts, worst first, own tenant only."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from leitwerk.guidelines.models import GuidelineStatus
from leitwerk.guidelines.tests.factories import (
    GuidelineDocumentFactory,
    GuidelineSectionFactory,
    StatementFactory,
)
from leitwerk.plans.tests.factories import InitiativeFactory
from leitwerk.priorities.tests.factories import DecisionFactory

URL = "/arbeitsbereich/lesbarkeit/"

HARD = (
    "Die Durchführung der Optimierung der Digitalisierung der Verwaltungsdienstleistungen "
    "erfolgt unter Berücksichtigung der Anforderungen hinsichtlich der Barrierefreiheit "
    "und der Datenschutzgrundverordnung sowie der Kommunikationsinfrastruktur der Stadt."
)
EASY = "Wir bauen einen Spielplatz. Er liegt am Park. Kinder können dort gut spielen."


def _texts(municipality, n=1, marker="Text"):
    for i in range(n):
        InitiativeFactory(
            municipality=municipality,
            public=True,
            title=f"{marker}-Vorhaben {i}",
            objective=HARD,
            description=EASY,
        )
        section = GuidelineSectionFactory(
            document=GuidelineDocumentFactory(
                municipality=municipality, status=GuidelineStatus.ADOPTED
            ),
            title=f"{marker}-Abschnitt {i}",
        )
        StatementFactory(section=section, text=EASY)
        DecisionFactory(municipality=municipality, public=True, title=f"{marker}-Entscheidung {i}")


def test_lists_public_texts_worst_first_with_hints_and_edit_links(
    musterstadt, strategy_user, client_for
):
    _texts(musterstadt, marker="Muster")
    InitiativeFactory(municipality=musterstadt, public=False, title="Geheim-Vorhaben")
    DecisionFactory(municipality=musterstadt, public=False, title="Geheim-Entscheidung")

    response = client_for(strategy_user).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Lesbarkeit öffentlicher Texte" in page
    assert "Muster-Vorhaben 0" in page and "Muster-Abschnitt 0" in page
    assert "Muster-Entscheidung 0" in page
    assert "Geheim-" not in page
    texts = response.context["texts"]
    # The nominal, long objective comes first, with its hints; easy texts later.
    assert texts[0].text == HARD
    assert texts[0].verdict == "Schwer verständlich – bitte vereinfachen"
    assert "mehr als 20 Wörter" in page
    assert texts[-1].result.ok
    initiative = next(t for t in texts if t.kind == "Vorhaben")
    assert initiative.edit_url.endswith("/bearbeiten/")
    assert f'href="{initiative.edit_url}"' in page


def test_unit_editor_sees_texts_but_edit_links_only_for_own_vorhaben(
    musterstadt, unit_editor, led_initiative, client_for
):
    led_initiative.public = True
    led_initiative.save()
    InitiativeFactory(municipality=musterstadt, public=True, title="Fremdes Vorhaben")

    response = client_for(unit_editor).get(URL)

    assert response.status_code == 200
    links = {t.title: t.edit_url for t in response.context["texts"]}
    assert links[f"{led_initiative.number} Online-Terminvergabe"]
    assert not next(url for title, url in links.items() if "Fremdes Vorhaben" in title)


def test_query_count_does_not_grow_with_the_number_of_texts(musterstadt, strategy_user, client_for):
    client = client_for(strategy_user)
    _texts(musterstadt, n=1)
    client.get(URL)  # warm up session and middleware caches
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    _texts(musterstadt, n=5, marker="Mehr")
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(response.context["texts"]) == 6 * 4
    assert len(many) == len(few)


def test_other_municipalitys_texts_never_show(musterstadt, other_town, strategy_user, client_for):
    _texts(musterstadt, marker="Muster")
    _texts(other_town, marker="Fremd")

    page = client_for(strategy_user).get(URL).content.decode()

    assert "Muster-Vorhaben" in page
    assert "Fremd-" not in page


def test_viewer_and_council_may_not_open_it(viewer, council_member, client_for):
    assert client_for(viewer).get(URL).status_code in (403, 404)
    assert client_for(council_member).get(URL).status_code in (403, 404)


def test_anonymous_is_sent_to_login(client, musterstadt):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/konto/" in response["Location"]


def test_reports_page_links_editors_to_it_and_hides_it_from_viewers(
    strategy_user, viewer, client_for
):
    assert URL in client_for(strategy_user).get("/arbeitsbereich/berichte/").content.decode()
    assert URL not in client_for(viewer).get("/arbeitsbereich/berichte/").content.decode()
