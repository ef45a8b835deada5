"""``?search=`` on every API list, through the same index as the search page.

A list of pages (companies, claims…) keeps the pages whose search entry matches, in the
list's own order (the ranked order is /api/search/'s). Lists of other things (citations,
relations) match the query, its simplified and its traditional spelling, in their
``search_fields``: they have no entries of their own.
"""

from __future__ import annotations

import functools
import operator
import re

import opencc
from django.db.models import Q
from django.db.models.expressions import RawSQL
from rest_framework import filters, serializers

from intel.pages import kind_for_model
from search.backends import matching_ids_sql
from search.text import QueryError, parse_query

# Control characters (NUL among them, which PostgreSQL refuses in text) separate words.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def spellings(word: str) -> set[str]:
    """A word as typed, in simplified and in traditional Chinese characters."""
    return {word, _converter("t2s.json").convert(word), _converter("s2t.json").convert(word)}


class IndexSearchFilter(filters.SearchFilter):
    search_description = (
        "Search: names in any spelling (NVIDIA, 英伟达, 輝達), words, a typo in a name. "
        "/api/search/ ranks the matches; here they keep the list's order."
    )

    def filter_queryset(self, request, queryset, view):
        text = request.query_params.get(self.search_param, "")
        if not text.strip():
            return queryset
        try:
            query = parse_query(text)
        except QueryError as error:
            raise serializers.ValidationError({self.search_param: [str(error)]}) from None
        kind = kind_for_model(queryset.model)
        if kind is not None:
            sql, params = matching_ids_sql(query, kind.key)
            return queryset.filter(pk__in=RawSQL(sql, params))
        fields = self.get_search_fields(view, request) or []
        if not fields:
            return queryset
        conditions = []
        for word in _CONTROL.sub(" ", query.text).split():
            matches = [Q(**{f"{field}__icontains": form}) for field in fields for form in spellings(word)]
            conditions.append(functools.reduce(operator.or_, matches))
        return queryset.filter(*conditions).distinct()
