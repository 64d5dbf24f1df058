import pytest
from django.contrib.auth.models import AnonymousUser

PERSONAS = [
    "admin_user",
    "strategy_user",
    "unit_editor",
    "project_lead",
    "council_member",
    "viewer",
]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_member_may_view_guidelines(request, persona, musterstadt):
    user = request.getfixturevalue(persona)
    assert user.has_perm("guidelines.view_guideline", musterstadt)


@pytest.mark.django_db
def test_other_town_and_anonymous_may_not_view_guidelines(other_town_admin, musterstadt):
    assert not other_town_admin.has_perm("guidelines.view_guideline", musterstadt)
    assert not AnonymousUser().has_perm("guidelines.view_guideline", musterstadt)
