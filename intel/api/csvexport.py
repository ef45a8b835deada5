"""CSV export of any list (``?format=csv``): streamed row by row, so memory stays flat
however many rows match. Filters apply; pagination does not (the whole list comes).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable

from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer

CHUNK = 2000
# Cells a spreadsheet would run as a formula (CSV injection): prefixed with an apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CSVRenderer(BaseRenderer):
    """Lets content negotiation pick CSV; the list view streams the rows itself."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):  # pragma: no cover - never reached
        raise NotImplementedError("CSV is streamed by the list view, not rendered")


class _Echo:
    def write(self, value):
        return value


def cell(value) -> str:
    """One value as spreadsheet-safe text: lists joined with "; ", None empty, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    text = str(value)
    if text.startswith(_FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_response(rows: Iterable, columns: dict[str, Callable], *, filename: str) -> StreamingHttpResponse:
    """Stream ``rows`` (a queryset iterated in chunks) as CSV with one column per ``columns`` entry."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(list(columns))
        for row in rows:
            yield writer.writerow([cell(read(row)) for read in columns.values()])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
