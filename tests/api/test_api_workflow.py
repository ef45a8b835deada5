"""A claim's status workflow through the API: ``POST /api/claims/{id}/status/`` under the rules,
``status_note`` and ``support`` in the claim JSON, and the list filters for disputes and
unsupported claims (``?status=``, ``?contradicted=``, ``?supported=``)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from intel.choices import ClaimRelationKind, ClaimStatus
from intel.models import Change, Claim, Source
from intel.moderation import source_approve
from intel.services import claim_create, claim_relation_create, source_create
from tests.api.apikit import error_fields, ids, user_with_role

pytestmark = pytest.mark.django_db


@dataclass
class Desk:
    """Three claims about Acme's Tern: one backed by two approved sources from two publishers, one
    citing only a pending blog, and one that contradicts the first."""

    shipping: Claim  # approved sources: Reuters (B) and Bloomberg (C)
    rumour: Claim  # a pending source only: unsupported
    slipping: Claim  # contradicts "shipping"; cites Reuters
    reuters: Source
    blog: Source


@pytest.fixture
def desk(analyst):
    moderator = user_with_role("moderator", "desk-moderator")
    reuters = source_approve(
        source=source_create(author=analyst, title="Acme ships Tern", publisher="Reuters"),
        moderator=moderator,
        reliability="B",
    )
    bloomberg = source_approve(
        source=source_create(author=analyst, title="Tern is shipping", publisher="Bloomberg"),
        moderator=moderator,
        reliability="C",
    )
    blog = source_create(author=analyst, title="Tern rumour blog", publisher="Chip Gossip")
    shipping = claim_create(
        author=analyst,
        statement="Acme's Tern is shipping.",
        citations=[{"source": reuters, "quote": "Tern ships."}, {"source": bloomberg, "quote": "Tern is out."}],
    )
    rumour = claim_create(
        author=analyst, statement="Tern sold out for 2026.", citations=[{"source": blog, "quote": "Sold out!"}]
    )
    slipping = claim_create(
        author=analyst, statement="Acme's Tern slips to 2027.", citations=[{"source": reuters, "quote": "Not yet."}]
    )
    claim_relation_create(author=analyst, from_claim=slipping, kind=ClaimRelationKind.CONTRADICTS, to_claim=shipping)
    return Desk(shipping, rumour, slipping, reuters, blog)


def status_url(claim: Claim) -> str:
    return f"/api/claims/{claim.pk}/status/"


def revisions_of(claim: Claim) -> int:
    return Change.objects.filter(content_type__model="claim", object_id=str(claim.pk)).count()


# ---------------------------------------------------------------------------
# The status action


def test_an_analyst_corroborates_a_claim_with_two_approved_sources_from_two_publishers(api, desk):
    response = api.post(status_url(desk.shipping), {"status": "corroborated", "reason": "Two wires."}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == desk.shipping.pk
    assert (body["status"], body["status_note"]) == ("corroborated", "Two wires.")
    assert body["support"] == {
        "approved_sources": 2,
        "approved_publishers": 2,
        "best_reliability": "B",
        "quotes_not_found": 0,
        "unsupported": False,
    }
    assert Claim.objects.get(pk=desk.shipping.pk).status == ClaimStatus.CORROBORATED
    again = api.get(f"/api/claims/{desk.shipping.pk}/").json()
    assert (again["status"], again["status_note"]) == ("corroborated", "Two wires.")
    history = api.get(f"/api/claims/{desk.shipping.pk}/history/").json()["results"]
    assert history[0]["summary"] == "Marked corroborated: Two wires."


@pytest.mark.parametrize(
    "claim_name, payload, rule",
    [
        ("rumour", {"status": "corroborated"}, "Corroborated needs at least two approved sources"),
        ("rumour", {"status": "disputed"}, "Disputed needs a claim that contradicts this one"),
        ("rumour", {"status": "superseded"}, "Superseded needs the claim that supersedes this one"),
        ("rumour", {"status": "retracted", "reason": "  "}, "Say why the claim is retracted."),
        ("slipping", {"status": "corroborated"}, "(this claim has 1 approved source from 1 publisher)"),
    ],
)
def test_a_status_change_that_breaks_a_rule_is_a_400_naming_the_rule(api, desk, claim_name, payload, rule):
    claim = getattr(desk, claim_name)
    revisions = revisions_of(claim)

    response = api.post(status_url(claim), payload, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    [message] = error_fields(response)["status"]
    assert rule in message
    assert rule in response.json()["detail"]
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.UNVERIFIED
    assert revisions_of(claim) == revisions


def test_a_contradicted_claim_is_disputed_through_the_api_from_either_end(api, desk):
    for claim in (desk.shipping, desk.slipping):
        response = api.post(status_url(claim), {"status": "disputed", "reason": "Dates disagree."}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "disputed"


def test_a_status_that_does_not_exist_is_a_400_on_status(api, desk):
    response = api.post(status_url(desk.rumour), {"status": "debunked"}, format="json")
    assert response.status_code == 400
    assert "status" in error_fields(response)


def test_a_moderator_overrides_the_rule_with_a_reason(api_as, desk):
    moderator = api_as("moderator")
    payload = {"status": "corroborated", "reason": "Confirmed by phone.", "override": True}

    response = moderator.post(status_url(desk.rumour), payload, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["status_note"]) == ("corroborated", "Confirmed by phone.")
    assert body["support"]["unsupported"] is True, "the override does not pretend there is support"


def test_a_moderators_override_without_a_reason_is_a_400(api_as, desk):
    response = api_as("moderator").post(
        status_url(desk.rumour), {"status": "corroborated", "override": True}, format="json"
    )

    assert response.status_code == 400
    assert error_fields(response)["status"] == ["A moderator's override needs a reason."]


def test_an_analysts_override_is_a_403(api, desk):
    revisions = revisions_of(desk.rumour)
    payload = {"status": "corroborated", "reason": "Trust me.", "override": True}

    response = api.post(status_url(desk.rumour), payload, format="json")

    assert response.status_code == 403, response.content
    assert response.json()["detail"] == "Only moderators can override the status rules."
    assert Claim.objects.get(pk=desk.rumour.pk).status == ClaimStatus.UNVERIFIED
    assert revisions_of(desk.rumour) == revisions


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("reader", 403)])
def test_readers_and_visitors_cannot_change_a_status(api_as, desk, role, status):
    response = api_as(role).post(status_url(desk.rumour), {"status": "retracted", "reason": "Spam"}, format="json")
    assert response.status_code == status
    assert Claim.objects.get(pk=desk.rumour.pk).status == ClaimStatus.UNVERIFIED


def test_only_a_moderator_reopens_a_retracted_claim_through_the_api(api, api_as, desk):
    assert (
        api.post(
            status_url(desk.rumour), {"status": "retracted", "reason": "Blog deleted it."}, format="json"
        ).status_code
        == 200
    )

    refused = api.post(status_url(desk.rumour), {"status": "unverified", "reason": "Back up."}, format="json")
    assert refused.status_code == 400
    assert error_fields(refused)["status"] == ["Only a moderator can reopen a retracted claim."]

    reopened = api_as("moderator").post(
        status_url(desk.rumour), {"status": "unverified", "reason": "Back up."}, format="json"
    )
    assert reopened.status_code == 200
    assert (reopened.json()["status"], reopened.json()["status_note"]) == ("unverified", "Back up.")


# ---------------------------------------------------------------------------
# A PATCH that changes the status follows the same rules; its summary is the reason


def test_a_patch_that_breaks_a_status_rule_is_refused_and_one_that_keeps_it_saves_the_summary_as_note(api, desk):
    refused = api.patch(f"/api/claims/{desk.rumour.pk}/", {"status": "corroborated"}, format="json")
    assert refused.status_code == 400
    assert error_fields(refused)["status"][0].startswith("Corroborated needs at least two approved sources")

    patched = api.patch(
        f"/api/claims/{desk.slipping.pk}/", {"status": "disputed", "summary": "Acme says shipping."}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["status"], patched.json()["status_note"]) == ("disputed", "Acme says shipping.")


def test_a_new_claim_posted_with_a_status_other_than_unverified_is_refused(api, desk):
    payload = {
        "statement": "Tern is already obsolete.",
        "status": "superseded",
        "citations": [{"source": desk.reuters.pk, "quote": "Old news."}],
    }
    response = api.post("/api/claims/", payload, format="json")

    assert response.status_code == 400
    assert error_fields(response)["status"][0].startswith("A new claim starts unverified")
    assert not Claim.objects.filter(statement="Tern is already obsolete.").exists()


# ---------------------------------------------------------------------------
# Support in the claim JSON and the filters


def test_an_unsupported_claims_support_says_so(api, desk):
    body = api.get(f"/api/claims/{desk.rumour.pk}/").json()
    assert body["support"] == {
        "approved_sources": 0,
        "approved_publishers": 0,
        "best_reliability": None,
        "quotes_not_found": 0,
        "unsupported": True,
    }
    assert body["status_note"] == ""


def test_the_contradicted_filter_lists_both_ends_of_a_contradiction(api, desk):
    assert sorted(ids(api.get("/api/claims/?contradicted=true"))) == sorted([desk.shipping.pk, desk.slipping.pk])
    assert ids(api.get("/api/claims/?contradicted=false")) == [desk.rumour.pk]


def test_the_status_filter_lists_the_disputed_claims(api, api_as, desk):
    assert ids(api.get("/api/claims/?status=disputed")) == []
    disputed = api.post(status_url(desk.shipping), {"status": "disputed", "reason": "Acme says 2027."}, format="json")
    assert disputed.status_code == 200
    overridden = api_as("moderator").post(
        status_url(desk.rumour), {"status": "disputed", "reason": "Customers deny it.", "override": True}, format="json"
    )
    assert overridden.status_code == 200

    rows = api.get("/api/claims/?status=disputed").json()["results"]

    assert sorted(row["id"] for row in rows) == sorted([desk.shipping.pk, desk.rumour.pk])
    assert {row["id"]: row["status_note"] for row in rows} == {
        desk.shipping.pk: "Acme says 2027.",
        desk.rumour.pk: "Customers deny it.",
    }


def test_the_supported_filter_finds_the_claims_no_approved_source_backs(api, desk):
    assert ids(api.get("/api/claims/?supported=false")) == [desk.rumour.pk]
    assert sorted(ids(api.get("/api/claims/?supported=true"))) == sorted([desk.shipping.pk, desk.slipping.pk])
    rows = api.get("/api/claims/?supported=false").json()["results"]
    assert rows[0]["support"]["unsupported"] is True


def test_the_status_note_cannot_be_written_directly(api, desk):
    response = api.patch(f"/api/claims/{desk.rumour.pk}/", {"status_note": "Confirmed (not really)."}, format="json")

    assert response.status_code in (200, 400), response.content
    assert Claim.objects.get(pk=desk.rumour.pk).status_note == ""
