"""Every page of the resolver, filled from a World: the crawl behind the security tests (C1–C4).

It reuses the route walk and the FILLERS of `leitwerk.testing.routes`, so a new page is crawled
by the security tests the moment it has its isolation filler.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from leitwerk.testing.routes import FILLERS, Route, all_routes
from leitwerk.testing.world import World

# Extra responses every header check must cover besides the pages of the resolver.
NOT_FOUND_URL = "/arbeitsbereich/gibt-es-nicht/"
STATIC_URL = "/static/leitwerk/leitwerk.css"


@dataclass(frozen=True)
class Page:
    route: Route
    url: str


def pages(world: World) -> list[Page]:
    """One URL per route of the resolver, parameters filled with the world's own rows."""
    found = []
    for route in all_routes():
        if route.params:
            if route.name not in FILLERS:
                continue  # test_every_route_has_a_name_and_a_filler reports it
            kwargs = FILLERS[route.name](world, world)
        else:
            kwargs = {}
        found.append(Page(route, reverse(route.name, kwargs=kwargs)))
    return found


def crawl(
    client: Client, world: World, *, query: str = ""
) -> Iterator[tuple[Page, HttpResponseBase]]:
    """GET every page (optionally with a query string) and yield the responses."""
    client.raise_request_exception = False
    for page in pages(world):
        url = f"{page.url}?{query}" if query else page.url
        yield page, client.get(url)


def body(response: HttpResponseBase) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", errors="replace")
    return response.content.decode("utf-8", errors="replace")
