"""The lifecycle navigation links a stage only for roles that may open it (no link to a 404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["unit_editor", "project_lead"])
def test_reports_are_not_linked_for_roles_that_cannot_read_them(persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    html = client.get(reverse("home")).content.decode()
    reports = reverse("reports:list")
    assert f'href="{reports}"' not in html
    assert "Berichte" in html  # the stage stays in the lifecycle, so the numbering is the same
    assert client.get(reports).status_code == 404  # what the link would have led to


@pytest.mark.parametrize("persona", ["strategy_user", "admin_user", "council_member", "viewer"])
def test_reports_are_linked_for_roles_that_read_them(persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    html = client.get(reverse("home")).content.decode()
    reports = reverse("reports:list")
    assert f'href="{reports}"' in html
    assert client.get(reports).status_code == 200
