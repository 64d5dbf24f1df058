from __future__ import annotations


def leitwerk(request):
    municipality = getattr(request, "municipality", None)
    return {"current_municipality": municipality if municipality else None}
