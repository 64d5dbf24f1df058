from __future__ import annotations

from django.conf import settings
from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`; the page size is bounded so one request cannot dump a table."""

    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "Ungültige Seite."

    def get_page_size(self, request):  # type: ignore[no-untyped-def]
        # PAGE_SIZE is read per request, so a test (or deployment) can change it.
        self.page_size = settings.REST_FRAMEWORK.get("PAGE_SIZE", 50)
        return super().get_page_size(request)
