"""In the admin, the places of an adopted list cannot be edited: changes need the justified service."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leitwerk.accounts.tests.factories import SuperUserFactory
from leitwerk.priorities.models import RoundStatus
from leitwerk.priorities.tests.factories import PriorityItemFactory, PriorityRoundFactory

pytestmark = pytest.mark.django_db


def _item(musterstadt, status):
    round = PriorityRoundFactory(municipality=musterstadt, status=status)
    first = PriorityItemFactory(round=round, municipality=musterstadt, rank=1)
    PriorityItemFactory(round=round, municipality=musterstadt, rank=2)
    return first


def _post_item(client, item, rank):
    return client.post(
        reverse("admin:priorities_priorityitem_change", args=[item.pk]),
        {
            "municipality": item.municipality_id,
            "round": item.round_id,
            "initiative": item.initiative_id,
            "rank": rank,
        },
    )


def test_adopted_ranks_are_read_only_in_the_admin(musterstadt, client):
    client.force_login(SuperUserFactory())
    item = _item(musterstadt, RoundStatus.ADOPTED)
    page = client.get(reverse("admin:priorities_priorityitem_change", args=[item.pk]))
    assert 'name="rank"' not in page.content.decode()
    _post_item(client, item, 2)
    item.refresh_from_db()
    assert item.rank == 1

    round_page = client.get(reverse("admin:priorities_priorityround_change", args=[item.round_id]))
    assert 'name="items-0-rank"' not in round_page.content.decode()
    delete = client.post(
        reverse("admin:priorities_priorityitem_delete", args=[item.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert type(item).objects.filter(pk=item.pk).exists()


def test_ranks_of_a_list_not_yet_adopted_stay_editable(musterstadt, client):
    client.force_login(SuperUserFactory())
    item = _item(musterstadt, RoundStatus.CLOSED)
    round_page = client.get(reverse("admin:priorities_priorityround_change", args=[item.round_id]))
    assert 'name="items-0-rank"' in round_page.content.decode()
    assert _post_item(client, item, 3).status_code == 302
    item.refresh_from_db()
    assert item.rank == 3
