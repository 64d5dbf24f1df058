"""Editing the Leitbild in the browser: document, section, statement."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leitwerk.guidelines.models import GuidelineDocument, Statement
from leitwerk.guidelines.tests.factories import GuidelineSectionFactory, StatementFactory


@pytest.mark.django_db
def test_strategy_office_writes_a_leitbild(strategy_user, client_for):
    client = client_for(strategy_user)
    response = client.post(
        reverse("guidelines:create"),
        {"title": "Leitbild 2030", "kind": "leitbild", "status": "draft"},
    )
    document = GuidelineDocument.objects.get()
    assert response.status_code == 302
    client.post(
        reverse("guidelines:section_create", args=[document.pk]), {"title": "Nähe", "order": "0"}
    )
    section = document.sections.get()
    client.post(
        reverse("guidelines:statement_create", args=[section.pk]),
        {"kind": "wir", "text": "Wir hören zu.", "order": "0"},
    )
    statement = Statement.objects.get()
    edit = reverse("guidelines:statement_edit", args=[statement.pk])
    client.post(edit, {"kind": "ich", "text": "Ich höre zu.", "order": "0", "expected_version": 1})
    statement.refresh_from_db()
    assert statement.text == "Ich höre zu." and statement.version == 2
    html = client.get(reverse("guidelines:detail", args=[document.pk])).content.decode()
    assert "Ich höre zu." in html and "Aussage hinzufügen" in html


@pytest.mark.django_db
def test_unit_editor_reads_but_does_not_edit_the_leitbild(unit_editor, musterstadt, client_for):
    statement = StatementFactory(
        municipality=musterstadt, section=GuidelineSectionFactory(municipality=musterstadt)
    )
    client = client_for(unit_editor)
    html = client.get(
        reverse("guidelines:detail", args=[statement.section.document_id])
    ).content.decode()
    assert statement.text in html and "Aussage hinzufügen" not in html
    assert client.get(reverse("guidelines:statement_edit", args=[statement.pk])).status_code == 403
