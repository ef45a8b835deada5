"""/api/snapshots/: a source's archived copies. Listing and reading them, archiving a new one
(a file as multipart/form-data, or the text as JSON), and the original bytes.

A snapshot is never changed or deleted, so there is no PUT, PATCH or DELETE.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django_filters import rest_framework as filters
from drf_orjson_renderer.parsers import ORJSONParser
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from intel import services
from intel.api.briefs import SourceBriefSerializer
from intel.api.fields import PageRelatedField, absolute, iso_datetime
from intel.api.pagination import CursorPagination
from intel.api.viewsets import ApiViewMixin
from intel.choices import SnapshotOrigin
from intel.extraction import ENCODINGS, ExtractionError, extract_paste, extract_upload, refuse_oversize
from intel.filtering import ApiFilterSet, PageRefFilter, TimestampFilter
from intel.models import Snapshot, Source
from intel.pages import parse_id
from intel.reader import original_download, snapshot_etag
from intel.selectors import snapshot_anchor_counts


class SnapshotSerializer(serializers.ModelSerializer):
    """An archived copy. Send ``source`` and either ``file`` (multipart) or ``text``."""

    api_url = serializers.SerializerMethodField()
    reader_url = serializers.SerializerMethodField()
    original_url = serializers.SerializerMethodField()
    source = PageRelatedField(brief=SourceBriefSerializer, queryset=Source.objects.all())
    created_by = serializers.SerializerMethodField()
    file = serializers.FileField(
        write_only=True, required=False, help_text="HTML (main text extracted) or plain text, as published."
    )
    text = serializers.CharField(
        required=False,
        allow_null=True,
        trim_whitespace=False,
        help_text="On writing: the text, pasted. On reading: the stored text (null in lists).",
    )
    encoding = serializers.ChoiceField(
        choices=ENCODINGS, required=False, allow_blank=True, help_text="Of a plain-text file; detected when left out."
    )
    anchors = serializers.SerializerMethodField()

    class Meta:
        model = Snapshot
        fields = [
            "id",
            "api_url",
            "reader_url",
            "original_url",
            "source",
            "created",
            "created_by",
            "origin",
            "filename",
            "content_type",
            "format",
            "encoding",
            "encoding_detected",
            "size",
            "sha256",
            "file",
            "text",
            "anchors",
        ]
        read_only_fields = [
            "created",
            "origin",
            "filename",
            "content_type",
            "format",
            "encoding_detected",
            "size",
            "sha256",
        ]

    def get_api_url(self, snapshot) -> str:
        return absolute(self.context.get("request"), f"/api/snapshots/{snapshot.pk}/")

    def get_reader_url(self, snapshot) -> str:
        return absolute(self.context.get("request"), snapshot.get_absolute_url())

    def get_original_url(self, snapshot) -> str:
        return absolute(self.context.get("request"), f"/api/snapshots/{snapshot.pk}/original/")

    def get_created_by(self, snapshot) -> str | None:
        return snapshot.created_by.get_username() if snapshot.created_by_id else None

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "additionalProperties": {"type": "integer"},
            "description": "How many citations are anchored in this snapshot, by state (detail only).",
        }
    )
    def get_anchors(self, snapshot):
        return getattr(snapshot, "anchor_counts", None)

    def to_representation(self, snapshot):
        # Lists leave the text out (it can be megabytes): it is deferred there, and must not be loaded.
        text_left_out = "text" in snapshot.get_deferred_fields()
        if text_left_out:
            snapshot.text = None
        data = super().to_representation(snapshot)
        data["created"] = iso_datetime(snapshot.created)
        return data

    def validate(self, attrs):
        upload, text = attrs.get("file"), attrs.get("text")
        if upload is not None and text:
            raise serializers.ValidationError("Send a file or the text, not both.")
        limit = settings.INTEL_SNAPSHOT_MAX_BYTES
        try:
            if upload is not None:
                refuse_oversize(upload.size, max_bytes=limit)
                original = upload.read()
                extracted = extract_upload(
                    original,
                    filename=upload.name or "",
                    content_type=upload.content_type or "",
                    encoding=attrs.get("encoding") or "",
                    max_bytes=limit,
                )
            elif text:
                original = text.encode()
                extracted = extract_paste(text, max_bytes=limit)
            else:
                raise serializers.ValidationError({"file": "Send a file (multipart/form-data) or the text."})
        except ExtractionError as error:
            field = "encoding" if error.code == "encoding_mismatch" else ("file" if upload is not None else "text")
            raise serializers.ValidationError({field: str(error)}) from None
        attrs["extracted"], attrs["original"] = extracted, original
        attrs["origin"] = SnapshotOrigin.API
        return attrs


class SnapshotFilterSet(ApiFilterSet):
    # A snapshot is never changed: "changed since" is "archived since".
    updated_since = TimestampFilter(
        field_name="created", lookup_expr="gte", label="Only snapshots archived at or after this moment (ISO 8601)."
    )
    source = PageRefFilter(field_name="source", model=Source, slug_field=None, distinct=False, label="Source ids.")
    sha256 = filters.CharFilter(lookup_expr="iexact", label="The sha256 of the original bytes.")

    class Meta:
        model = Snapshot
        fields = ["source", "sha256"]


@extend_schema_view(
    list=extend_schema(summary="List archived copies", description="Newest first; the text is left out."),
    retrieve=extend_schema(summary="One archived copy, with its text and how its citations anchored"),
    create=extend_schema(
        summary="Archive a new copy of a source",
        description="Upload the file as published (multipart/form-data: source, file, encoding) or send the "
        "text (JSON: source, text). The text is extracted and stored unchanged from then on; every citation "
        "of the source is anchored in it again.",
    ),
)
class SnapshotViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = SnapshotSerializer
    filterset_class = SnapshotFilterSet
    pagination_class = CursorPagination
    parser_classes = [ORJSONParser, MultiPartParser, FormParser]
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["id", "created"]
    ordering = ["-id"]
    search_fields = []

    def get_queryset(self):
        queryset = Snapshot.objects.select_related("source", "created_by").defer("original")
        return queryset.defer("original", "text") if self.action == "list" else queryset

    def get_object(self):
        if parse_id(self.kwargs.get("pk")) is None:
            raise Http404
        snapshot = super().get_object()
        snapshot.anchor_counts = snapshot_anchor_counts(snapshot)
        return snapshot

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        try:
            snapshot = services.snapshot_add(
                source=values["source"],
                author=request.user,
                extracted=values["extracted"],
                original=values["original"],
                origin=values["origin"],
                content_type=(values["file"].content_type or "") if values.get("file") else "",
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError({"non_field_errors": error.messages}) from None
        self.kwargs["pk"] = snapshot.pk
        data = self.get_serializer(self.get_object()).data
        headers = {"Location": data["api_url"], "ETag": snapshot_etag(snapshot)}
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)

    def retrieve(self, request, *args, **kwargs):
        snapshot = self.get_object()
        return Response(self.get_serializer(snapshot).data, headers={"ETag": snapshot_etag(snapshot)})

    @extend_schema(
        summary="The original bytes",
        description="As uploaded (pasted text: its UTF-8), as a download; never rendered.",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def original(self, request, *args, **kwargs):
        snapshot = Snapshot.objects.filter(pk=parse_id(kwargs.get("pk")) or 0).first()
        if snapshot is None:
            raise Http404
        return original_download(snapshot)
