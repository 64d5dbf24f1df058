"""The current municipality of a request: the tenant the signed-in person works in right now."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from leitwerk.municipalities.selectors import municipality_current_for_request


def _current_municipality(request):
    return municipality_current_for_request(request=request)


class CurrentMunicipalityMiddleware:
    """Sets `request.municipality`: the tenant the signed-in person works in right now."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.municipality = SimpleLazyObject(lambda: _current_municipality(request))
        return self.get_response(request)
