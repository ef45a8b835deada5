"""A claim's status through the API: the workflow's rules, as on the claim's page."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from intel.api.serializers import ClaimSerializer
from intel.choices import ClaimStatus
from intel.workflow import claim_set_status


class ClaimStatusRequestSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ClaimStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    override = serializers.BooleanField(
        required=False, default=False, help_text="Moderators only: set the status against the rule, with a reason."
    )


class ClaimStatusActionMixin:
    """For the claims viewset: move a claim to another status under the rules."""

    @extend_schema(
        summary="Change a claim's status",
        description="Corroborated needs two approved sources from different publishers; disputed a claim that "
        "contradicts it; superseded the claim that supersedes it; retracted a reason. A moderator may override "
        "with a reason. Refused changes are a 400 that says which rule; a revision of the claim otherwise.",
        request=ClaimStatusRequestSerializer,
        responses={200: ClaimSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="status", filter_backends=[], pagination_class=None)
    def change_status(self, request, *args, **kwargs):
        claim = self.get_object()
        serializer = ClaimStatusRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = claim_set_status(claim=claim, author=request.user, **serializer.validated_data)
        return self.object_response(saved, reload=True)
