"""Brief objects: how one page appears inside another's response ({"id", "slug", "name"}).

Declared as serializers so the OpenAPI schema describes them; represented by a plain
attribute read (``represent``) because they are rendered by the thousand in lists.
"""

from rest_framework import serializers


class BriefSerializer(serializers.Serializer):
    brief_fields: tuple[str, ...] = ()

    @classmethod
    def represent(cls, obj) -> dict | None:
        if obj is None:
            return None
        return {name: getattr(obj, name) for name in cls.brief_fields}

    def to_representation(self, instance):
        return self.represent(instance)


class CompanyBriefSerializer(BriefSerializer):
    brief_fields = ("id", "slug", "name")
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name = serializers.CharField()


class ArchitectureBriefSerializer(CompanyBriefSerializer):
    pass


class ProductBriefSerializer(CompanyBriefSerializer):
    pass


class PersonBriefSerializer(CompanyBriefSerializer):
    pass


class MilestoneBriefSerializer(BriefSerializer):
    brief_fields = ("id", "title")
    id = serializers.IntegerField()
    title = serializers.CharField()


class SourceBriefSerializer(BriefSerializer):
    brief_fields = ("id", "title", "publisher", "reliability", "moderation_state")
    id = serializers.IntegerField()
    title = serializers.CharField()
    publisher = serializers.CharField()
    reliability = serializers.CharField(help_text="Admiralty scale, A (completely reliable) to F (cannot be judged).")
    moderation_state = serializers.CharField(help_text="pending, approved or rejected.")


class ClaimBriefSerializer(BriefSerializer):
    brief_fields = ("id", "statement")
    id = serializers.IntegerField()
    statement = serializers.CharField()


class CitationBriefSerializer(BriefSerializer):
    brief_fields = ("id", "claim_id", "source_id", "quote")
    id = serializers.IntegerField()
    claim_id = serializers.IntegerField()
    source_id = serializers.IntegerField()
    quote = serializers.CharField()
