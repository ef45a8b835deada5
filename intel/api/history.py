"""Read-only history in the API: one object's revisions, and the site-wide change feed.

``/api/<resource>/<id>/history/`` lists the object's revisions newest first, each with
who, when, why, what happened, and the object's state as saved then — also after the
object was deleted. ``/api/changes/`` lists every change in order (creations, edits,
reverts, deletions as tombstones, undeletions) for clients that mirror the data.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse
from reversion.models import Version

from intel.api.fields import absolute
from intel.choices import ChangeAction
from intel.fuzzydates import FuzzyDate, FuzzyDateField
from intel.models import Change
from intel.pages import kind_for_model, page_states_at, plain_value

# Model label → the API resource (URL prefix and router basename) that serves it.
RESOURCES = {
    "companies.company": "companies",
    "companies.companyrelation": "company-relations",
    "products.architecture": "architectures",
    "products.product": "products",
    "products.milestone": "milestones",
    "intel.source": "sources",
    "intel.person": "people",
    "intel.claim": "claims",
    "intel.citation": "citations",
    "intel.claimrelation": "claim-relations",
}


def resource_of_content_type(content_type_id: int) -> str | None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return RESOURCES.get(model._meta.label_lower) if model else None


def content_type_of_resource(resource: str) -> ContentType | None:
    from django.apps import apps

    for label, name in RESOURCES.items():
        if name == resource:
            return ContentType.objects.get_for_model(apps.get_model(label))
    return None


def versions_of(model, object_id: int):
    """The object's saved versions, newest first, with their revisions and authors."""
    return (
        Version.objects.get_for_object_reference(model, object_id)
        .select_related("revision__user")
        .order_by("-revision_id", "-pk")
    )


def history_entries(model, versions: list[Version]) -> list[dict]:
    """Each version as a history entry: revision, author, summary, action and the state then."""
    if not versions:
        return []
    content_type = ContentType.objects.get_for_model(model)
    object_id = versions[0].object_id
    changes = {
        change.revision_id: change
        for change in Change.objects.filter(
            content_type=content_type,
            object_id=object_id,
            revision_id__in=[version.revision_id for version in versions],
        )
    }
    kind = kind_for_model(model)
    states = page_states_at(kind, versions) if kind else [object_state_at(model, version) for version in versions]
    entries = []
    for version, state in zip(versions, states, strict=True):
        change = changes.get(version.revision_id)
        revision = version.revision
        entries.append(
            {
                "revision": revision.pk,
                "at": revision.date_created,
                "user": revision.user.get_username() if revision.user else None,
                "summary": revision.comment,
                "action": change.action if change else None,
                "merged": change.merged if change else False,
                "size": change.size if change else None,
                "size_delta": change.size_delta if change else None,
                "data": state,
            }
        )
    return entries


def object_state_at(model, version: Version) -> dict:
    """A non-page object's fields as stored in a version, as plain values (links as ids)."""
    stored = version.field_dict
    state = {}
    fuzzy = {name for name, value in vars(model).items() if isinstance(value, FuzzyDateField)}
    for field in model._meta.concrete_fields:
        name = field.name
        if name in ("id", "created", "updated") or any(name == f"{f}_date" or name == f"{f}_precision" for f in fuzzy):
            continue
        state[name] = plain_value(stored.get(field.attname))
    for field in model._meta.many_to_many:
        state[field.name] = sorted(stored.get(field.name) or [])
    for name in sorted(fuzzy):
        date, precision = stored.get(f"{name}_date"), stored.get(f"{name}_precision")
        state[name] = str(FuzzyDate(date, precision)) if date and precision else None
    return state


class HistoryEntrySerializer(serializers.Serializer):
    revision = serializers.IntegerField(help_text="The revision's id; the object's ETag names it too.")
    at = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True, help_text="Who saved it; null for the system.")
    summary = serializers.CharField(allow_blank=True, help_text="The edit summary.")
    action = serializers.ChoiceField(choices=ChangeAction.choices, allow_null=True)
    merged = serializers.BooleanField(help_text="Saved by merging with a concurrent edit.")
    size = serializers.IntegerField(allow_null=True, help_text="Characters of text after the change.")
    size_delta = serializers.IntegerField(allow_null=True)
    data = serializers.DictField(help_text="The object's fields as saved in this revision (links as ids).")


class ChangeSerializer(serializers.ModelSerializer):
    """One line of the change feed; a deletion is a tombstone (``action`` "delete", no ``api_url``)."""

    revision = serializers.IntegerField(source="revision_id")
    at = serializers.DateTimeField(source="revision.date_created")
    user = serializers.SerializerMethodField()
    summary = serializers.CharField(source="revision.comment")
    resource = serializers.SerializerMethodField()
    object_id = serializers.SerializerMethodField()
    title = serializers.CharField(source="object_repr")
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Change
        fields = [
            "id",
            "revision",
            "at",
            "user",
            "summary",
            "action",
            "merged",
            "resource",
            "object_id",
            "title",
            "api_url",
            "size",
            "size_delta",
        ]

    def get_user(self, change) -> str | None:
        user = change.revision.user
        return user.get_username() if user else None

    def get_resource(self, change) -> str:
        return resource_of_content_type(change.content_type_id) or ""

    def get_object_id(self, change) -> int:
        return int(change.object_id)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_api_url(self, change):
        resource = self.get_resource(change)
        if change.action == ChangeAction.DELETE or not resource:
            return None
        return absolute(self.context.get("request"), reverse(f"api:{resource}-detail", args=[int(change.object_id)]))
