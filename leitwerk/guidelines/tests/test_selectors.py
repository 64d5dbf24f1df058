import pytest
from django.http import Http404

from leitwerk.guidelines import selectors
from leitwerk.guidelines.tests.factories import (
    GuidelineDocumentFactory,
    GuidelineSectionFactory,
    StatementFactory,
)


@pytest.mark.django_db
def test_list_holds_only_own_documents_with_counts(viewer, musterstadt, other_town):
    own = GuidelineDocumentFactory(municipality=musterstadt)
    section = GuidelineSectionFactory(municipality=musterstadt, document=own)
    StatementFactory.create_batch(3, municipality=musterstadt, section=section)
    GuidelineDocumentFactory(municipality=other_town)
    documents = list(selectors.guideline_list_for_user(user=viewer, municipality=musterstadt))
    assert documents == [own]
    assert (documents[0].section_count, documents[0].statement_count) == (1, 3)


@pytest.mark.django_db
def test_list_is_empty_for_a_person_without_membership(other_town_admin, musterstadt):
    GuidelineDocumentFactory(municipality=musterstadt)
    assert not selectors.guideline_list_for_user(user=other_town_admin, municipality=musterstadt)


@pytest.mark.django_db
def test_get_answers_404_for_missing_and_foreign_documents_alike(viewer, musterstadt, other_town):
    foreign = GuidelineDocumentFactory(municipality=other_town)
    for pk in (foreign.pk, 999_999):
        with pytest.raises(Http404):
            selectors.guideline_get_for_user(user=viewer, municipality=musterstadt, pk=pk)


@pytest.mark.django_db
def test_get_answers_404_when_the_person_is_no_member(other_town_admin, musterstadt):
    document = GuidelineDocumentFactory(municipality=musterstadt)
    with pytest.raises(Http404):
        selectors.guideline_get_for_user(
            user=other_town_admin, municipality=musterstadt, pk=document.pk
        )


@pytest.mark.django_db
def test_get_prefetches_sections_and_statements(viewer, musterstadt, django_assert_num_queries):
    document = GuidelineDocumentFactory(municipality=musterstadt)
    section = GuidelineSectionFactory(municipality=musterstadt, document=document)
    StatementFactory(municipality=musterstadt, section=section, text="Wir hören zu.")
    found = selectors.guideline_get_for_user(user=viewer, municipality=musterstadt, pk=document.pk)
    with django_assert_num_queries(0):
        texts = [s.text for sec in found.sections.all() for s in sec.statements.all()]
    assert texts == ["Wir hören zu."]
