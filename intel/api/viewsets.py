"""The viewsets every API resource is built from.

:class:`ApiViewMixin` is for every API view: the body size limit, JSON errors even
when CSV was asked for. :class:`ResourceViewSet` adds what every resource has —
ETags, ``If-Match``, edit summaries, the history action and CSV export — and leaves
the writes to three hooks (``create_object``, ``update_object``, ``delete_object``)
that call the services. :class:`PageViewSet` implements them for the seven page kinds
with :mod:`intel.editing`.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import pagination, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed, NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from reversion.models import Version

from intel import editing
from intel.api.concurrency import etag_for_revision, expected_revision
from intel.api.csvexport import CHUNK, CSVRenderer, csv_response
from intel.api.errors import Conflict, PayloadTooLarge, PreconditionFailed
from intel.api.fields import absolute
from intel.api.history import HistoryEntrySerializer, history_entries, versions_of
from intel.api.pagination import CursorPagination
from intel.editing import ANY_REVISION, latest_revision_id
from intel.fuzzydates import FuzzyDateField
from intel.pages import PAGE_KINDS, PageKind, parse_id

EDIT_SUMMARY_HEADER = "X-Edit-Summary"
MAX_SUMMARY = 500

EDIT_SUMMARY_PARAMETER = OpenApiParameter(
    EDIT_SUMMARY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The edit summary the revision records (UTF-8; a `summary` field in the body wins).",
)
IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag of the object as you read it (e.g. "rev-42"): the write happens only if nobody '
    "saved it since, else 412 with the current object.",
)


class ApiViewMixin:
    """For every API view: refuse oversize bodies before reading them; errors are JSON whatever was asked."""

    def initial(self, request, *args, **kwargs):
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            # Before content negotiation, which would answer a 404 for ?format=csv on a TRACE.
            raise MethodNotAllowed(request.method)
        length = parse_id(request.META.get("CONTENT_LENGTH"))
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length and length > limit:
            raise PayloadTooLarge(f"The request body is {length:,} bytes; the API accepts at most {limit:,}.")
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        renderer = getattr(self.request, "accepted_renderer", None)
        if renderer is not None and renderer.format != "json":
            self.request.accepted_renderer = ORJSONRenderer()
            self.request.accepted_media_type = ORJSONRenderer.media_type
        return response


class CsvExportMixin:
    """``?format=csv`` on the list: every filtered row, streamed (see csvexport.py)."""

    # Column name → function of a row; the rows come from csv_rows().
    csv_columns: dict = {}

    def get_renderers(self):
        renderers = super().get_renderers()
        if getattr(self, "action", None) == "list" and self.csv_columns:
            renderers.append(CSVRenderer())
        return renderers

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "csv":
            self.check_page_parameters(request)
            rows = self.csv_rows(self.filter_queryset(self.get_queryset()))
            return csv_response(rows, self.csv_columns, filename=f"{self.basename}.csv")
        return super().list(request, *args, **kwargs)

    def check_page_parameters(self, request) -> None:
        """A CSV has no pages, but a bad page_size, page or cursor is refused as on the JSON list."""
        paginator = self.paginator
        if paginator is None:
            return
        paginator.get_page_size(request)
        if isinstance(paginator, pagination.CursorPagination):
            paginator.decode_cursor(request)
        page = request.query_params.get(getattr(paginator, "page_query_param", ""))
        if page is not None and parse_id(page) is None:
            raise NotFound("Invalid page.")

    def csv_rows(self, queryset):
        """The rows to export, read lazily in chunks (the response streams them)."""
        return queryset.iterator(chunk_size=CHUNK)


class ResourceViewSet(ApiViewMixin, CsvExportMixin, viewsets.ModelViewSet):
    """One API resource: list (JSON or CSV), detail with ETag, writes through services, history."""

    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    # -- reading ------------------------------------------------------------------------

    def get_object(self):
        if parse_id(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)) is None:
            raise Http404
        return super().get_object()

    def retrieve(self, request, *args, **kwargs):
        # The revision first, then the object: see object_response.
        revision = self.revision_of(parse_id(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)))
        return self.object_response(self.get_object(), revision=revision)

    def object_response(
        self, obj, *, status_code=status.HTTP_200_OK, reload=False, revision: int | None | object = ANY_REVISION
    ) -> Response:
        """The object as JSON with its ETag (re-read with the list's prefetches after a write).

        A read passes the ``revision`` it read before the object: read after it, a save landing
        in between would pair an older object with a newer ETag, and a client sending that
        ETag back would undo the save (see editing.page_for_edit). After a write the request
        still holds the object's row lock, so the order does not matter there.
        """
        if revision is ANY_REVISION:
            revision = self.revision_of(obj.pk)
        if reload:
            obj = self.get_queryset().get(pk=obj.pk)
        data = self.get_serializer(obj).data
        return Response(data, status=status_code, headers={"ETag": etag_for_revision(revision)})

    def error_field_name(self, name: str) -> str:
        """A model error keyed by a fuzzy date's column (``started_date``) belongs to the API field (``started``)."""
        for suffix in ("_date", "_precision"):
            stem = name.removesuffix(suffix)
            if stem != name and isinstance(getattr(self.get_queryset().model, stem, None), FuzzyDateField):
                return stem
        return name

    def revision_of(self, pk: int | None) -> int | None:
        """The revision the ETag of the object with this id names (read by id, so before the object)."""
        if pk is None:
            return None
        model = self.get_queryset().model
        return Version.objects.get_for_object_reference(model, pk).values_list("revision_id", flat=True).first()

    @extend_schema(
        summary="History of one object",
        description="Every revision of the object, newest first: who saved it, when, the edit summary, what "
        "happened (create, edit, revert, delete, undelete) and the object's fields as saved then. Works for "
        "deleted objects too.",
        responses=HistoryEntrySerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=CursorPagination)
    def history(self, request, *args, **kwargs):
        model = self.get_queryset().model
        object_id = parse_id(self.kwargs.get("pk"))
        if object_id is None:
            raise Http404
        versions = versions_of(model, object_id)
        if not model.objects.filter(pk=object_id).exists() and not versions.exists():
            raise Http404(f"No {model._meta.verbose_name} {object_id}, now or in the history.")
        page = self.paginate_queryset(versions)
        entries = HistoryEntrySerializer(history_entries(model, page), many=True).data
        return self.get_paginated_response(entries)

    # -- writing ------------------------------------------------------------------------

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        summary = self.edit_summary(request, values)
        obj = self.create_object(values, summary=summary)
        response = self.object_response(obj, status_code=status.HTTP_201_CREATED, reload=True)
        response["Location"] = absolute(request, reverse(f"api:{self.basename}-detail", args=[obj.pk]))
        return response

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        obj = self.get_object()
        try:
            expected = expected_revision(request, self.revision_of(obj.pk))
            serializer = self.get_serializer(obj, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            values = dict(serializer.validated_data)
            summary = self.edit_summary(request, values)
            obj = self.update_object(obj, values, summary=summary, expected=expected)
        except editing.StaleRevision:
            raise self.precondition_failed(obj) from None
        return self.object_response(obj, reload=True)

    def destroy(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            expected = expected_revision(request, self.revision_of(obj.pk))
            summary = self.edit_summary(request, {})
            self.delete_object(obj, summary=summary, expected=expected)
        except editing.StaleRevision:
            raise self.precondition_failed(obj) from None
        except editing.DeletionBlocked as blocked:
            raise Conflict(blocked.messages[0], code="deletion_blocked") from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    def precondition_failed(self, obj) -> PreconditionFailed:
        """412 with the object as it is now, so the client can redo its change without another GET."""
        etag = etag_for_revision(self.revision_of(obj.pk))  # before the object, as in object_response
        current = self.get_queryset().get(pk=obj.pk)
        return PreconditionFailed(
            f"The object has changed since the version your If-Match names; it is now at {etag}.",
            extra={"current": self.get_serializer(current).data},
            headers={"ETag": etag},
        )

    def edit_summary(self, request, values: dict) -> str:
        """The edit summary: a ``summary`` field in the body, else the X-Edit-Summary header (UTF-8)."""
        summary = values.pop("summary", "") or _header_text(request.headers.get(EDIT_SUMMARY_HEADER, ""))
        summary = " ".join(summary.split())
        if "\x00" in summary:
            raise ValidationError({"summary": ["The edit summary cannot contain NUL characters."]})
        if len(summary) > MAX_SUMMARY:
            raise ValidationError({"summary": [f"Keep the edit summary under {MAX_SUMMARY} characters."]})
        return summary

    def create_object(self, values: dict, *, summary: str):
        raise NotImplementedError

    def update_object(self, obj, values: dict, *, summary: str, expected):
        raise NotImplementedError

    def delete_object(self, obj, *, summary: str, expected) -> None:
        raise NotImplementedError


def _header_text(value: str) -> str:
    """HTTP headers arrive as latin-1; a client that sent UTF-8 bytes gets its text back."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


class PageViewSet(ResourceViewSet):
    """A wiki page kind in the API: every write is the wiki's own create, edit or delete."""

    kind_key: str = ""

    @property
    def kind(self) -> PageKind:
        return PAGE_KINDS[self.kind_key]

    def error_field_name(self, name: str) -> str:
        """Model errors keyed by a citation row (``citations-0``) belong to ``citations``."""
        return "citations" if name.startswith("citations-") else super().error_field_name(name)

    def create_object(self, values: dict, *, summary: str):
        citations = values.pop("citations", None)
        return editing.page_create(
            kind=self.kind, author=self.request.user, values=values, summary=summary, citations=citations
        )

    def update_object(self, obj, values: dict, *, summary: str, expected):
        citations = values.pop("citations", None)
        strict = expected is not ANY_REVISION
        result = editing.page_update(
            kind=self.kind,
            page=obj,
            author=self.request.user,
            values=values,
            base_revision=expected if strict else latest_revision_id(obj),
            strict=strict,
            summary=summary,
            citations=citations,
        )
        return result.page

    def delete_object(self, obj, *, summary: str, expected) -> None:
        editing.page_delete(
            kind=self.kind, page=obj, author=self.request.user, summary=summary, expected_revision=expected
        )
