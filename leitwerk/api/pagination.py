from __future__ import annotations

from django.conf import settings
from rest_framework import exceptions, pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`; the page size is bounded so one request cannot dump a table.

    A page size that is not a whole number from 1 to 200 answers 400 naming `page_size`
    (DRF would silently fall back to the default).
    """

    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "Ungültige Seite."

    def get_page_size(self, request):  # type: ignore[no-untyped-def]
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            # Read per request, so a deployment or test can change PAGE_SIZE.
            return settings.REST_FRAMEWORK.get("PAGE_SIZE", 50)
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= self.max_page_size):
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        f"Bitte eine ganze Zahl von 1 bis {self.max_page_size} angeben."
                    ]
                }
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):  # type: ignore[no-untyped-def]
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
