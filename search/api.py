"""/api/search/: the wiki's search for API consumers, the same results as the results page."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from intel.api.fields import absolute
from intel.api.viewsets import ApiViewMixin
from intel.pages import PAGE_KINDS
from search.selectors import QueryError, search
from search.text import MAX_QUERY_CHARS

MAX_LIMIT = 50
MAX_OFFSET = 1000


class SearchParametersSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_CHARS,
        trim_whitespace=True,
        help_text="What to search for: names in any spelling (NVIDIA, 英伟达, 輝達), words, phrases, a typo in a name. "
        f"At most {MAX_QUERY_CHARS} characters.",
    )
    kind = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Only these kinds of page, comma-separated or repeated: " + ", ".join(PAGE_KINDS) + ".",
    )
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_LIMIT, help_text="Results per kind (default 5, or 20 with one kind)."
    )
    offset = serializers.IntegerField(
        required=False, min_value=0, max_value=MAX_OFFSET, default=0, help_text="Results of each kind to skip."
    )

    def validate_kind(self, value: str) -> list[str]:
        kinds = [kind.strip() for kind in value.split(",") if kind.strip()]
        unknown = [kind for kind in kinds if kind not in PAGE_KINDS]
        if unknown:
            raise serializers.ValidationError(
                f"Unknown kind {', '.join(unknown)[:100]}: choose from {', '.join(PAGE_KINDS)}."
            )
        return kinds


class HighlightedTextSerializer(serializers.Serializer):
    text = serializers.CharField()
    highlights = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        help_text="[start, end) character offsets of the matches in text.",
    )


class SnippetSerializer(HighlightedTextSerializer):
    field = serializers.CharField(help_text="What the text is: quote, archived copy, description, alias…")


class SearchResultSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(PAGE_KINDS))
    id = serializers.IntegerField()
    key = serializers.CharField(help_text="The slug or id in the page's URL.")
    title = HighlightedTextSerializer()
    snippet = SnippetSerializer(allow_null=True)
    matched = serializers.CharField(
        help_text="Why it ranks where it does: name (a whole name or alias), name or title, similar name (a typo), "
        "statement; below those, where the words are (quote, archived copy, description…) or text."
    )
    score = serializers.FloatField()
    url = serializers.URLField(help_text="The page in the wiki.")
    api_url = serializers.URLField(help_text="The page in this API.")


class SearchGroupSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(PAGE_KINDS))
    label = serializers.CharField()
    total = serializers.IntegerField(help_text="Pages of this kind that match.")
    total_is_capped = serializers.BooleanField(
        help_text="True when more match than were ranked (PostgreSQL ranks the first 200 of a kind, more when paging)."
    )
    results = SearchResultSerializer(many=True)


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    groups = SearchGroupSerializer(many=True, help_text="Kinds with matches, the kind of the best result first.")


def _marked(marked) -> dict:
    return {"text": marked.text, "highlights": [list(span) for span in marked.spans]}


def _result(request, result) -> dict:
    kind = result.kind
    return {
        "kind": kind.key,
        "id": result.page.pk,
        "key": kind.key_of(result.page),
        "title": _marked(result.title),
        "snippet": _marked(result.snippet) | {"field": result.snippet.field} if result.snippet else None,
        "matched": result.matched,
        "score": round(result.score, 6),
        "url": absolute(request, result.url),
        "api_url": absolute(request, reverse(f"api:{kind.url_prefix}-detail", kwargs={"pk": result.page.pk})),
    }


class SearchView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = SearchResponseSerializer
    filter_backends = []
    pagination_class = None

    @extend_schema(
        summary="Search every kind of page",
        operation_id="search",
        description="One search over companies (and their aliases), architectures, products, milestones, sources "
        "(titles and archived copies), people and claims (statements, quotes and translations). Simplified and "
        "traditional Chinese find each other (英伟达 = 英偉達), two-character Chinese words are found inside "
        "sentences, English words by their stem, the last word also by its start, and names with a typo "
        "(nvdia → Nvidia). Results come grouped by kind, the kind of the best result first; within a kind, a "
        "whole name or alias comes first, then names and titles, similar names, claim statements, and then "
        "quotes, bodies and archived copies. Titles and snippets carry the offsets of the matches. A query "
        "that cannot be searched (empty, only punctuation, too long) is a 400 saying why.",
        parameters=[SearchParametersSerializer],
        responses=SearchResponseSerializer,
    )
    def get(self, request, *args, **kwargs):
        data = {name: request.query_params.get(name) for name in request.query_params}
        if "kind" in request.query_params:  # ?kind=company,claim or ?kind=company&kind=claim
            data["kind"] = ",".join(request.query_params.getlist("kind"))
        params = SearchParametersSerializer(data=data)
        params.is_valid(raise_exception=True)
        values = params.validated_data
        kinds = values.get("kind") or None
        limit = values.get("limit") or (20 if kinds and len(kinds) == 1 else 5)
        try:
            results = search(text=values["q"], kinds=kinds, limit=limit, offset=values["offset"])
        except QueryError as error:
            raise serializers.ValidationError({"q": [str(error)]}) from None
        groups = [
            {
                "kind": group.kind.key,
                "label": group.kind.label_plural,
                "total": group.total,
                "total_is_capped": group.total_is_capped,
                "results": [_result(request, result) for result in group.results],
            }
            for group in results.groups
        ]
        return Response({"query": results.query.text, "groups": groups})
