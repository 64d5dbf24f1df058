"""Rendered portal pages are kept server-side until the municipality changes something."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leitwerk.plans.services import initiative_update
from leitwerk.testing.portal import release_plans

pytestmark = pytest.mark.django_db


def _url(name: str, slug: str = "musterstadt") -> str:
    return reverse(f"portal:{name}", kwargs={"municipality_slug": slug})


def test_a_repeated_page_costs_one_query(world):
    client = Client()
    first = client.get(_url("initiatives"))
    with CaptureQueriesContext(connection) as queries:
        again = client.get(_url("initiatives"))
    assert again.status_code == 200 and again.content == first.content
    assert len(queries) == 1  # the municipality's portal version
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Language"] == "de"


def test_an_edit_shows_only_after_its_release_and_then_at_once(world):
    client = Client()
    assert "ÖFFENTLICH-Vorhaben" in client.get(_url("initiatives")).content.decode()
    initiative = world.public_initiative
    initiative_update(
        initiative=initiative,
        actor=None,
        expected_version=initiative.version,
        changes={"title": "Radweg am Fluss"},
    )
    body = client.get(_url("initiatives")).content.decode()
    assert "ÖFFENTLICH-Vorhaben" in body and "Radweg am Fluss" not in body
    release_plans(world.municipality)
    body = client.get(_url("initiatives")).content.decode()
    assert "Radweg am Fluss" in body and "ÖFFENTLICH-Vorhaben" not in body


def test_a_rolled_back_change_keeps_the_cached_page(world):
    client = Client()
    first = client.get(_url("initiatives")).content
    with pytest.raises(RuntimeError), transaction.atomic():
        initiative_update(
            initiative=world.public_initiative,
            actor=None,
            expected_version=world.public_initiative.version,
            changes={"title": "nie gespeichert"},
        )
        raise RuntimeError("rolled back")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url("initiatives")).content == first
    assert len(queries) == 1


def test_pages_of_two_municipalities_never_mix(world, other_town):
    client = Client()
    own = client.get(_url("initiatives")).content
    other = client.get(_url("initiatives", other_town.slug)).content
    assert b"Musterstadt" in own and b"Musterstadt" not in other
    assert b"Fremdstadt" in other


def test_pages_with_a_query_string_are_rendered_each_time(world):
    # Otherwise random query strings would fill the cache with copies of the same page.
    client = Client()
    client.get(_url("initiatives") + "?x=1")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url("initiatives") + "?x=1").status_code == 200
    assert len(queries) > 1


def test_unknown_municipality_is_not_cached_and_answers_404(db):
    assert Client().get(_url("initiatives", "gibt-es-nicht")).status_code == 404


def test_pages_are_kept_in_redis_when_cache_url_points_there(world, settings):
    # Production with several workers: one shared cache (CACHE_URL=redis://…), see DEPLOYMENT.md.
    import environ
    from django.core.cache import cache

    settings.CACHES = {"default": environ.Env.cache_url_config("redis://127.0.0.1:6379/15")}
    cache.clear()
    client = Client()
    first = client.get(_url("initiatives"))
    with CaptureQueriesContext(connection) as queries:
        again = client.get(_url("initiatives"))
    assert again.content == first.content and len(queries) == 1
    assert any(key.startswith(":1:portal-page:musterstadt:") for key in _redis_keys())
    cache.clear()


def _redis_keys() -> list[str]:
    import redis

    return [key.decode() for key in redis.Redis.from_url("redis://127.0.0.1:6379/15").keys("*")]
