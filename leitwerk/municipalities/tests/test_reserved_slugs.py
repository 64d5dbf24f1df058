"""The public portal lives at /<slug>/: no municipality slug may shadow an application path."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

from leitwerk.municipalities.services import RESERVED_SLUGS


def _first_segments(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _first_segments(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            first = route.lstrip("^/").split("/", 1)[0]
            if first and not first.startswith("<"):
                yield first.rstrip("$")


def test_every_first_path_segment_is_a_reserved_slug():
    used = set(_first_segments(get_resolver().url_patterns))
    assert used - RESERVED_SLUGS == set()
