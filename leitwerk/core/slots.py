"""Slots: a lower stage's page shows a block that a higher stage fills.

A page of a lower layer (the Vorhaben in `plans`, a priority list in `priorities`) may not
import the stages above it, yet should show what they hold about its row (the council's real
decision behind a Vorhaben). The page's template writes `{% slot "initiative_detail" obj %}`;
a higher app registers a renderer for that slot name in its `AppConfig.ready()`. A renderer
takes the request and the row, checks access itself and returns HTML (or "" for nothing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

Renderer = Callable[[HttpRequest, Any], str]

_SLOTS: dict[str, list[Renderer]] = defaultdict(list)


def register(slot: str, renderer: Renderer) -> None:
    """Add `renderer` to `slot` (once: registering the same renderer again changes nothing)."""
    if renderer not in _SLOTS[slot]:
        _SLOTS[slot].append(renderer)


def render_slot(slot: str, request: HttpRequest | None, obj: Any) -> str:
    if request is None:
        return ""
    return "".join(renderer(request, obj) for renderer in _SLOTS.get(slot, ()))
