"""The shapes of /api/search/: its parameters and its answer (for validation and the OpenAPI schema)."""

from __future__ import annotations

from rest_framework import serializers

from intel.pages import PAGE_KINDS
from search.backends import CANDIDATES_PER_KIND
from search.text import MAX_QUERY_CHARS

MAX_LIMIT = 50
MAX_OFFSET = CANDIDATES_PER_KIND - 1  # results stop at the best 200 of a kind


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
