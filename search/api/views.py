"""/api/search/: the wiki's search for API consumers, the same results as the results page."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from intel.api.fields import absolute
from intel.api.viewsets import ApiViewMixin
from search.api.serializers import SearchParametersSerializer, SearchResponseSerializer
from search.selectors import QueryError, search


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
