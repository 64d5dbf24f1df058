from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def leitwerk(request: HttpRequest) -> dict[str, Any]:
    municipality = getattr(request, "municipality", None)
    return {"current_municipality": municipality if municipality else None}
