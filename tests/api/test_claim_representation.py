"""A claim's JSON is built by hand for speed; it must say exactly what its declared fields say."""

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from intel.api.serializers import ClaimSerializer
from intel.models import Claim

pytestmark = pytest.mark.django_db


def _sorted_links(data: dict) -> dict:
    for name in ("companies", "products", "milestones"):
        data[name] = sorted(data[name], key=lambda item: item["id"])
    return data


def test_hand_built_claim_json_equals_what_drf_fields_give(world, settings):
    request = APIRequestFactory().get("/api/claims/")
    request.user = None
    for claim in Claim.objects.filter(pk__in=[world.shipping.pk, world.revenue.pk]):
        serializer = ClaimSerializer(context={"request": request})
        fast = serializer.to_representation(claim)
        by_fields = serializers.ModelSerializer.to_representation(serializer, claim)
        assert _sorted_links(fast) == _sorted_links(dict(by_fields))
        assert fast["value"] in (None, "115.2")
    # The metric claim exercises value, unit, period, links of every kind and two citations.
    revenue = ClaimSerializer(context={"request": request}).to_representation(world.revenue)
    assert (revenue["period"], revenue["unit"], len(revenue["citations"])) == ("2025", "bn USD", 2)
    assert [m["title"] for m in revenue["milestones"]] == ["GB200 NVL72 first shipments"]
