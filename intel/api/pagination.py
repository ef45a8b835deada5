"""Pages of lists: numbered pages for the small lists, cursors for the big ones.

A cursor page stays stable while rows are inserted (no row is skipped or repeated) and
never counts the table, so it stays fast on millions of claims. ``page_size`` is
checked, not silently clamped: a bad value is a 400 that names the range.
"""

from django.conf import settings
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from intel.pages import parse_id


class StrictPageSizeMixin:
    page_size = 50
    page_size_query_param = "page_size"

    @property
    def max_page_size(self) -> int:
        return settings.INTEL_API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = parse_id(raw)
        if size is None or size > self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"Give a whole number from 1 to {self.max_page_size}."]}
            )
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
                parameter["description"] = f"Rows per page, 1 to {self.max_page_size} (default {self.page_size})."
            elif parameter["name"] == "page":
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters


class PagePagination(StrictPageSizeMixin, pagination.PageNumberPagination):
    """Numbered pages with a total count: for lists of hundreds, not millions."""


class CursorPagination(StrictPageSizeMixin, pagination.CursorPagination):
    """Opaque cursors in ``next``/``previous``: stable under inserts, no COUNT(*)."""

    ordering = "-id"
