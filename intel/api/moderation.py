"""Moderation through the API: the same decisions as the queue and the admin, by the same service."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from intel.api.concurrency import etag_for_revision
from intel.api.errors import Conflict
from intel.api.fields import iso_datetime
from intel.api.serializers import SourceSerializer
from intel.choices import ModerationState, Reliability
from intel.editing import latest_revision_id
from intel.models import ModerationDecision, Source
from intel.moderation import DECISIONS, source_moderate, sources_moderate


class ModerationRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[decision.value for decision in DECISIONS],
        help_text="approve, reject (with a note: why), send_back (with a note: what to fix), or resubmit (the "
        "submitter, once fixed). Only moderators decide; any analyst may resubmit.",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    reliability = serializers.ChoiceField(
        choices=Reliability.choices, required=False, allow_blank=True, help_text="Rate the source at the same time."
    )
    expected_state = serializers.ChoiceField(
        choices=ModerationState.choices,
        required=False,
        allow_blank=True,
        help_text="The state you saw: if another moderator decided meanwhile, nothing changes and you get 409.",
    )


class BulkModerationRequestSerializer(ModerationRequestSerializer):
    sources = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        max_length=500,
        help_text="Ids of the sources (at most 500): all or none.",
    )

    def validate_sources(self, ids):
        ids = sorted(set(ids))
        found = {source.pk: source for source in Source.objects.filter(pk__in=ids)}
        if missing := [pk for pk in ids if pk not in found]:
            raise serializers.ValidationError(f"No sources with ids {', '.join(map(str, missing[:20]))}.")
        return [found[pk] for pk in ids]


class DecisionSerializer(serializers.ModelSerializer):
    moderator = serializers.SerializerMethodField()
    created = serializers.SerializerMethodField()

    class Meta:
        model = ModerationDecision
        fields = [
            "id",
            "created",
            "moderator",
            "action",
            "state_before",
            "state_after",
            "reliability_before",
            "reliability_after",
            "note",
        ]

    def get_moderator(self, decision) -> str | None:
        return decision.moderator.get_username() if decision.moderator_id else None

    def get_created(self, decision) -> str:
        return iso_datetime(decision.created)


def _decide(call):
    try:
        return call()
    except DjangoValidationError as error:
        if getattr(error, "code", None) == "stale":
            raise Conflict(" ".join(error.messages)) from None
        raise


class ModerationActionsMixin:
    """For the sources viewset: decide about one source, about several, and read the decision log."""

    @extend_schema(
        summary="Decide about a source",
        description="Approve, reject, send back or resubmit; every decision is logged and is a revision of the "
        "source. 409 when expected_state is stale.",
        request=ModerationRequestSerializer,
        responses={200: SourceSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def moderate(self, request, *args, **kwargs):
        source = self.get_object()
        data = self._moderation_request(ModerationRequestSerializer, request)
        saved = _decide(lambda: source_moderate(source=source, moderator=request.user, **data))
        return self.object_response(saved, reload=True)

    @extend_schema(
        operation_id="sources_moderate_many",
        summary="Decide about several sources at once",
        description="The same decision for every listed source, all or none: if one cannot take it, nothing "
        "changes and the error says which.",
        request=BulkModerationRequestSerializer,
        responses={200: inline_serializer("ModeratedSources", {"results": SourceSerializer(many=True)})},
        filters=False,
    )
    @action(detail=False, methods=["post"], url_path="moderate", filter_backends=[], pagination_class=None)
    def moderate_many(self, request, *args, **kwargs):
        data = self._moderation_request(BulkModerationRequestSerializer, request)
        sources = data.pop("sources")
        expected = data.pop("expected_state", None)
        states = {source.pk: expected for source in sources} if expected else None
        saved = _decide(
            lambda: sources_moderate(sources=sources, moderator=request.user, expected_states=states, **data)
        )
        queryset = self.get_queryset().filter(pk__in=[source.pk for source in saved]).order_by("pk")
        return Response({"results": self.get_serializer(queryset, many=True).data})

    @extend_schema(
        summary="The decision log of a source",
        description="Every moderation decision, newest first: who, when, what, why.",
        responses=inline_serializer("DecisionLog", {"results": DecisionSerializer(many=True)}),
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def decisions(self, request, *args, **kwargs):
        source = self.get_object()
        decisions = source.decisions.select_related("moderator")
        etag = etag_for_revision(latest_revision_id(source))  # every decision is a revision of the source
        return Response({"results": DecisionSerializer(decisions, many=True).data}, headers={"ETag": etag})

    def _moderation_request(self, serializer_class, request) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["reliability"] = data.get("reliability") or None
        if "expected_state" in data:
            data["expected_state"] = data["expected_state"] or None
        return data
