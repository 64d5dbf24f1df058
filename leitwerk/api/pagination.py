from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import QuerySet
from rest_framework import exceptions, pagination

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`; the page size is bounded so one request cannot dump a table.

    A page or page size that is not one whole number in range (empty, repeated, text) answers
    400 naming the parameter; DRF would silently fall back to page 1 or the default size, and
    a client would believe it got what it asked for. A page past the end answers 404.
    """

    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "Ungültige Seite."
    last_page_strings = ()  # the schema says integer; "last" would be a second spelling

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: APIView | None = None
    ) -> list[Any] | None:
        self._whole_number(request, self.page_query_param, maximum=None)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request: Request) -> int:
        size = self._whole_number(request, self.page_size_query_param, self.max_page_size)
        if size is None:
            # Read per request, so a deployment or test can change PAGE_SIZE.
            return settings.REST_FRAMEWORK.get("PAGE_SIZE", 50)
        return size

    @staticmethod
    def _whole_number(request: Request, name: str, maximum: int | None) -> int | None:
        values = request.query_params.getlist(name)
        if not values:
            return None
        raw = values[0]
        if len(values) == 1 and raw.isascii() and raw.isdigit() and int(raw) >= 1:
            if maximum is None or int(raw) <= maximum:
                return int(raw)
        wanted = (
            "eine ganze Zahl ab 1" if maximum is None else f"eine ganze Zahl von 1 bis {maximum}"
        )
        raise exceptions.ValidationError({name: [f"Bitte genau {wanted} angeben."]})

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
