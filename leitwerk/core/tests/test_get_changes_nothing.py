"""C4 – GET is safe: requesting every page as every role leaves the database unchanged.

The checksum covers every row of every table Django knows (counts and a hash of all values).
"""

from __future__ import annotations

import hashlib

import pytest
from django.apps import apps
from django.test import Client

from leitwerk.testing.crawl import crawl, pages
from leitwerk.testing.routes import OWN_TAG
from leitwerk.testing.world import build_world

# Tables a GET may rightly change, and why.
EXCLUDED = {
    # The session row is rewritten when a page stores something in it (the chosen
    # municipality, messages shown once); it is the visitor's state, not domain data.
    "sessions.session",
}


def checksum() -> dict[str, str]:
    sums = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in EXCLUDED:
            continue
        rows = model._base_manager.order_by("pk").values_list()
        digest = hashlib.sha256()
        count = 0
        for row in rows.iterator():
            digest.update(repr(row).encode())
            count += 1
        sums[meta.label_lower] = f"{count}:{digest.hexdigest()[:16]}"
    return sums


# The widest role in the fast suite; every other role (about 20 s each) in CI's slow run.
ROLES = [
    "admin_user",
    *(
        pytest.param(role, marks=pytest.mark.slow)
        for role in (
            "anonymous",
            "strategy_user",
            "unit_editor",
            "project_lead",
            "council_member",
            "viewer",
        )
    ),
]


@pytest.mark.django_db
def test_the_checksum_sees_a_changed_value(musterstadt):
    before = checksum()
    musterstadt.name = "Musterstadt an der See"
    musterstadt.save()
    after = checksum()
    assert [k for k in before if before[k] != after[k]] == ["municipalities.municipality"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ROLES)
def test_requesting_every_page_changes_no_row(who, musterstadt, request):
    world = build_world(musterstadt, OWN_TAG)
    for row in (world.plan, world.initiative, world.goal, world.indicator):
        row.public = True
        row.save()
    client = Client()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    pages(world)  # the fillers create their rows (network, attachment) before the checksum
    before = checksum()
    assert sum(int(v.split(":")[0]) for v in before.values()) > 50
    statuses = {response.status_code for _page, response in crawl(client, world)}
    after = checksum()
    changed = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    assert changed == [], f"GET requests changed these tables: {changed}"
    assert 200 in statuses
