"""Serializer fields the API shares: fuzzy dates, decimals, lists of names, links to other pages."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.reverse import reverse

from intel.fuzzydates import ACCEPTED_FORMS, FuzzyDate
from intel.pages import parse_id


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "description": f"A date as precise as it is known: {', '.join(ACCEPTED_FORMS)}; null when unknown.",
        "example": "2025-Q3",
    }
)
class FuzzyDateField(serializers.Field):
    """A fuzzy date as its canonical text ("2025-Q3"); accepts every spelling FuzzyDate.parse does."""

    default_error_messages = {"invalid": "{message}", "type": "Give the date as text, e.g. 2025-Q3."}

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str | int) or isinstance(data, bool):
            self.fail("type")
        text = str(data).strip()
        if not text:
            return None
        try:
            return FuzzyDate.parse(text)
        except ValueError as error:
            self.fail("invalid", message=str(error))

    def to_representation(self, value):
        return str(value) if value else None


@extend_schema_field({"type": "string", "format": "decimal", "nullable": True, "example": "130.5"})
class PlainDecimalField(serializers.DecimalField):
    """A decimal as exact text without padding zeros ("130.5", not "130.500000")."""

    def to_representation(self, value):
        return decimal_text(value)


def decimal_text(value) -> str | None:
    if value is None:
        return None
    return format(Decimal(value).normalize(), "f")


def iso_datetime(value, zone=None) -> str | None:
    """A time as DRF writes it (ISO 8601, UTC as "Z"), for representations built by hand; ``zone`` is the
    current time zone when the caller has it (looking it up costs more than the formatting)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(zone or timezone.get_current_timezone())
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class NameListField(serializers.ListField):
    """A list of short texts: a company's aliases, a source's authors."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.CharField(max_length=200))
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class PageListField(serializers.ManyRelatedField):
    """Several links, as a JSON list of ids (DRF would also take an object and read its keys)."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class PageRelatedField(serializers.PrimaryKeyRelatedField):
    """A link to another page: written as its id, read as a brief object ({"id", "slug", "name"}).

    ``brief`` is the brief serializer whose shape the response uses (see briefs.py).
    """

    default_error_messages = {
        "does_not_exist": "There is no {model} with id {pk_value}.",
        "incorrect_type": "Give the id of a {model} (a whole number), not {data_type}.",
    }

    def __init__(self, *, brief, **kwargs):
        self.brief = brief
        super().__init__(**kwargs)

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return PageListField(**list_kwargs)

    def use_pk_only_optimization(self):
        return False

    def to_internal_value(self, data):
        model = self.get_queryset().model._meta.verbose_name
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", model=model, data_type=type(data).__name__)
        pk = parse_id(data)
        if pk is None:
            self.fail("does_not_exist", model=model, pk_value=str(data)[:30])
        try:
            return self.get_queryset().get(pk=pk)
        except self.get_queryset().model.DoesNotExist:
            self.fail("does_not_exist", model=model, pk_value=pk)

    def to_representation(self, value):
        return self.brief.represent(value)

    def fail(self, key, **kwargs):
        kwargs.setdefault("model", self.get_queryset().model._meta.verbose_name)
        super().fail(key, **kwargs)


class SelfLinksMixin(serializers.Serializer):
    """``api_url`` (this object in the API) and ``page_url`` (its page in the wiki), both absolute."""

    api_url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    api_basename: str = ""

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, obj) -> str:
        return absolute(self.context.get("request"), reverse(f"api:{self.api_basename}-detail", args=[obj.pk]))

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, obj) -> str:
        return absolute(self.context.get("request"), obj.get_absolute_url())


def absolute(request, path: str) -> str:
    """An absolute URL for ``path``; the host part is computed once per request."""
    if request is None:
        return path
    base = getattr(request, "_intel_base_url", None)
    if base is None:
        base = request._intel_base_url = request.build_absolute_uri("/").rstrip("/")
    return base + path
