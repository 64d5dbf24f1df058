import pytest
from django.urls import reverse

from leitwerk.core.tests.querycount import assert_constant_queries
from leitwerk.guidelines.models import StatementKind
from leitwerk.guidelines.tests.factories import (
    GuidelineDocumentFactory,
    GuidelineSectionFactory,
    StatementFactory,
)


@pytest.mark.django_db
def test_list_shows_documents_in_a_captioned_table(viewer, musterstadt, client_for):
    GuidelineDocumentFactory(municipality=musterstadt, title="Leitbild der Stadtverwaltung")
    html = client_for(viewer).get(reverse("guidelines:list")).content.decode()
    assert "Leitbild der Stadtverwaltung" in html
    assert "<caption" in html and 'scope="col"' in html


@pytest.mark.django_db
def test_detail_shows_statements_with_kind_and_review_mark(viewer, musterstadt, client_for):
    document = GuidelineDocumentFactory(municipality=musterstadt, title="Leitlinien")
    section = GuidelineSectionFactory(
        municipality=musterstadt, document=document, title="GEMEINSAM LERNEN"
    )
    StatementFactory(
        municipality=musterstadt,
        section=section,
        kind=StatementKind.ICH,
        text="Ich hole frühzeitig Rückmeldungen ein.",
        needs_review=True,
        review_note="Zuordnung unsicher",
    )
    response = client_for(viewer).get(reverse("guidelines:detail", args=[document.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "GEMEINSAM LERNEN" in html
    assert "Ich-Aussage" in html and "Ich hole frühzeitig Rückmeldungen ein." in html
    assert "zu prüfen" in html and "Zuordnung unsicher" in html


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("guidelines:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_documents(viewer, musterstadt, client_for):
    client = client_for(viewer)
    GuidelineDocumentFactory(municipality=musterstadt)
    assert_constant_queries(
        lambda: client.get(reverse("guidelines:list")),
        lambda: GuidelineDocumentFactory.create_batch(4, municipality=musterstadt),
    )


@pytest.mark.django_db
def test_detail_queries_do_not_grow_with_sections_and_statements(viewer, musterstadt, client_for):
    client = client_for(viewer)
    document = GuidelineDocumentFactory(municipality=musterstadt)
    section = GuidelineSectionFactory(municipality=musterstadt, document=document)
    StatementFactory(municipality=musterstadt, section=section)

    def add_rows():
        for _ in range(3):
            more = GuidelineSectionFactory(municipality=musterstadt, document=document)
            StatementFactory.create_batch(3, municipality=musterstadt, section=more)

    assert_constant_queries(
        lambda: client.get(reverse("guidelines:detail", args=[document.pk])), add_rows
    )
