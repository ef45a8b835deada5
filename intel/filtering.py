"""Pieces every FilterSet shares: a page named by slug or id, timestamps, "changed since".

One FilterSet per model (``<app>/filtersets.py``) serves the API's query parameters;
bad values are field errors (a 400 that names the parameter), never a 500 or a silently
empty list.
"""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from intel.pages import MAX_ID, parse_id

MAX_REFS = 50


class PageRefField(forms.Field):
    """One or more pages by id or slug, comma-separated ("nvidia,amd" or "3,7"); cleans to their ids."""

    def __init__(self, *, model, slug_field: str | None = "slug", **kwargs):
        self.model, self.slug_field = model, slug_field
        super().__init__(**kwargs)

    def clean(self, value):
        if value in (None, ""):
            return []
        if "\x00" in str(value):
            raise ValidationError("Names and ids cannot contain NUL characters.")
        tokens = [token.strip() for token in str(value).split(",") if token.strip()]
        label = self.model._meta.verbose_name
        if len(tokens) > MAX_REFS:
            raise ValidationError(f"Name at most {MAX_REFS} {self.model._meta.verbose_name_plural} at once.")
        ids, slugs = set(), set()
        for token in tokens:
            if (number := parse_id(token)) is not None:
                ids.add(number)
            elif self.slug_field and len(token) <= 200:
                slugs.add(token.lower())
            else:
                # Typed text goes in params: django-filter formats messages with %, and "50%" would break it.
                raise ValidationError(
                    "“%(value)s” is not the id of a %(label)s.", params={"value": token[:50], "label": label}
                )
        found = dict(self.model.objects.filter(pk__in=ids).values_list("pk", "pk"))
        if slugs:
            found_slugs = dict(
                self.model.objects.filter(**{f"{self.slug_field}__in": slugs}).values_list(self.slug_field, "pk")
            )
            missing = sorted(slugs - set(found_slugs))
            found.update({pk: pk for pk in found_slugs.values()})
        else:
            missing = []
        missing += sorted(str(number) for number in ids if number not in found)
        if missing:
            raise ValidationError("No %(label)s “%(value)s”.", params={"label": label, "value": missing[0][:50]})
        return sorted(found)


@extend_schema_field(OpenApiTypes.STR)
class PageRefFilter(django_filters.Filter):
    """Rows linked to any of the named pages (by slug or id) through ``field_name``."""

    field_class = PageRefField

    def __init__(self, *, model, slug_field: str | None = "slug", **kwargs):
        kwargs.setdefault("distinct", True)
        super().__init__(model=model, slug_field=slug_field, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if not self.distinct:
            return qs.filter(**{f"{self.field_name}__in": value})
        # Through a many-to-many or reverse link: a semi-join (pk IN (SELECT …)) rather than a
        # JOIN plus DISTINCT over every column, which PostgreSQL sorts or hashes whole.
        matching = qs.model._base_manager.filter(**{f"{self.field_name}__in": value}).values("pk")
        return qs.filter(pk__in=matching)


class TimestampField(forms.Field):
    """An ISO 8601 date or date-time; without a zone it is UTC. A "+01:00" whose plus sign a
    client forgot to encode (so it arrived as a space) is read as meant."""

    default_error_messages = {
        "invalid": "Give an ISO 8601 date or date-time, e.g. 2025-03-01 or 2025-03-01T12:00:00Z.",
    }

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip()
        if len(text) > 40:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(text) > 19 and text[19:20] == " ":
            text = text[:19] + "+" + text[20:]
        try:
            moment = parse_datetime(text)
            day = parse_date(text) if moment is None else None
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if moment is None and day is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if moment is None:
            moment = datetime.datetime.combine(day, datetime.time.min)
        try:
            if timezone.is_naive(moment):
                return timezone.make_aware(moment, datetime.UTC)
            # In UTC, as the database compares it: an offset like +23:59 is valid but not every
            # database takes it, and a moment at the edge of the calendar may not exist in UTC.
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError("That moment is outside the calendar the database keeps.", code="invalid") from None


@extend_schema_field(OpenApiTypes.DATETIME)
class TimestampFilter(django_filters.Filter):
    field_class = TimestampField


class StrictBooleanField(forms.Field):
    """Yes or no, said plainly: anything else is an error, not "no filter" (django-filter's default)."""

    TRUE, FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValidationError("Give true or false.", code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class DateFilter(django_filters.DateFilter):
    """A calendar date; the error names the form it takes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": "Give a date as YYYY-MM-DD, e.g. 2025-03-01."})
        super().__init__(*args, **kwargs)


class LinkedChoiceFilter(django_filters.MultipleChoiceFilter):
    """Rows with at least one linked row in one of the chosen states (a claim cited by a source rated A),
    as a semi-join instead of JOIN + DISTINCT."""

    def filter(self, qs, value):
        if not value:
            return qs
        matching = qs.model._base_manager.filter(**{f"{self.field_name}__in": value}).values("pk")
        return qs.filter(pk__in=matching)


class IdFilter(django_filters.NumberFilter):
    """A whole number that can be an id (``?after=`` of the change feed)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ApiFilterSet(django_filters.FilterSet):
    """Every list can be asked for what changed since a moment (``updated_since``), for incremental sync."""

    FILTER_DEFAULTS = {**FILTER_FOR_DBFIELD_DEFAULTS, models.BooleanField: {"filter_class": BooleanFilter}}

    updated_since = TimestampFilter(
        field_name="updated",
        lookup_expr="gte",
        label="Only rows created or changed at or after this moment (ISO 8601); for incremental sync.",
    )


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, which builds no FilterSet for a request that names none of its filters.

    Building and validating the claims' FilterSet (some thirty filters, each deep-copied per
    request) took 3 ms of a 30 ms page of claims that asked for no filter (bench/run.py).
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            names = filterset_class.base_filters
            # A filter's parameter is its name, or its name and a suffix (a range's name_min, name_max).
            if not any(
                param == name or param.startswith(f"{name}_") for param in request.query_params for name in names
            ):
                return queryset
        return super().filter_queryset(request, queryset, view)
