"""Moderation through the API: a moderator's script approves, rejects or sends back sources
(one or several, all or none), reads each source's decision log, and finds the claims that
no approved source supports yet. Same service as the queue and the admin
(tests/intel/test_moderation_queue.py)."""

import re

import pytest
from reversion.models import Version

from intel.choices import ModerationState
from intel.models import ModerationDecision, Source
from intel.moderation import source_approve, source_reject, source_send_back
from intel.services import claim_create, source_create
from tests.api.apikit import error_fields, ids, results, user_with_role

pytestmark = pytest.mark.django_db

ETAG = re.compile(r'^"rev-(\d+)"$')


def _moderate(client, source, **payload):
    return client.post(f"/api/sources/{source.pk}/moderate/", payload, format="json")


def _moderate_many(client, sources, **payload):
    return client.post("/api/sources/moderate/", {"sources": [s.pk for s in sources], **payload}, format="json")


def _reload(source) -> Source:
    return Source.objects.get(pk=source.pk)


def _state(source) -> tuple[str, str, str | None]:
    source = _reload(source)
    return source.moderation_state, source.reliability, source.moderated_by_id


@pytest.fixture
def moderator_api(api_as):
    return api_as("moderator")


@pytest.fixture
def submitter(api):
    """The analyst behind ``api`` (the token client is made first, so it is the same user)."""
    return user_with_role("analyst")


@pytest.fixture
def wire(submitter):
    return source_create(author=submitter, title="Acme announces Tern", publisher="Example Wire")


@pytest.fixture
def blog(submitter):
    return source_create(author=submitter, title="Tern rumours blog", publisher="Blogspot")


@pytest.fixture
def other_moderator():
    return user_with_role("moderator", "max")


# ---------------------------------------------------------------------------
# One decision


def test_a_moderator_approves_a_source_with_a_rating(moderator_api, wire):
    versions = Version.objects.get_for_object(wire).count()
    response = _moderate(
        moderator_api, wire, action="approve", reliability="B", note="Checked the wire copy", expected_state="pending"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["id"] == wire.pk
    assert body["moderation_state"] == "approved"
    assert body["reliability"] == "B"
    assert body["moderated_by"] == "moderator-user"
    assert body["moderated_at"]
    assert body["moderation_note"] == "Checked the wire copy"
    assert body["submitted_by"] == "analyst-user"

    # The decision is a revision of the source: the ETag names it, and a later read agrees.
    assert ETAG.match(response["ETag"])
    assert Version.objects.get_for_object(wire).count() == versions + 1
    again = moderator_api.get(f"/api/sources/{wire.pk}/")
    assert again["ETag"] == response["ETag"]
    assert again.json()["moderation_state"] == "approved"

    log = moderator_api.get(f"/api/sources/{wire.pk}/decisions/")
    (decision,) = results(log)
    assert decision["id"] == ModerationDecision.objects.get(source=wire).pk
    assert decision["created"]
    assert {key: value for key, value in decision.items() if key not in ("id", "created")} == {
        "moderator": "moderator-user",
        "action": "approve",
        "state_before": "pending",
        "state_after": "approved",
        "reliability_before": "F",
        "reliability_after": "B",
        "note": "Checked the wire copy",
    }
    assert log["ETag"] == response["ETag"]


def test_the_decision_log_lists_every_decision_newest_first_to_any_reader(api_as, moderator_api, wire):
    _moderate(moderator_api, wire, action="send_back", note="Add the URL of the wire story")
    api_as("analyst").post(f"/api/sources/{wire.pk}/moderate/", {"action": "resubmit"}, format="json")
    _moderate(moderator_api, wire, action="reject", note="The URL is dead")
    log = results(api_as("reader").get(f"/api/sources/{wire.pk}/decisions/"))
    assert [(row["action"], row["moderator"], row["state_before"], row["state_after"]) for row in log] == [
        ("reject", "moderator-user", "pending", "rejected"),
        ("resubmit", "analyst-user", "sent_back", "pending"),
        ("send_back", "moderator-user", "pending", "sent_back"),
    ]
    assert log[0]["note"] == "The URL is dead"


def test_a_moderator_rejects_with_a_reason_and_sends_back_with_a_request(moderator_api, wire, blog):
    rejected = _moderate(moderator_api, blog, action="reject", note="Anonymous blog, no byline")
    assert rejected.status_code == 200
    assert rejected.json()["moderation_state"] == "rejected"
    assert rejected.json()["moderation_note"] == "Anonymous blog, no byline"

    sent_back = _moderate(moderator_api, wire, action="send_back", note="Archive the article's text")
    assert sent_back.status_code == 200
    assert (sent_back.json()["moderation_state"], sent_back.json()["moderation_note"]) == (
        "sent_back",
        "Archive the article's text",
    )
    assert sent_back.json()["reliability"] == "F"  # no rating asked for: it stays


@pytest.mark.parametrize(
    ("action", "note"), [("approve", ""), ("reject", "Not a source"), ("send_back", "Add the URL"), ("rate", "")]
)
def test_an_analyst_may_not_decide_and_nothing_changes(api, wire, action, note):
    response = _moderate(api, wire, action=action, note=note, reliability="A")
    assert response.status_code in (400, 403)
    if action != "rate":  # not a decision of the API: refused as invalid before anyone's role matters
        assert response.status_code == 403, response.json()
        assert response.json()["code"] == "permission_denied"
    assert _state(wire) == ("pending", "F", None)
    assert not ModerationDecision.objects.filter(source=wire).exists()


def test_a_reader_may_not_decide(api_as, wire):
    response = _moderate(api_as("reader"), wire, action="approve")
    assert response.status_code == 403
    assert _state(wire) == ("pending", "F", None)


def test_a_visitor_must_authenticate(api_as, wire):
    response = _moderate(api_as("anonymous"), wire, action="approve")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert _moderate_many(api_as("anonymous"), [wire], action="approve").status_code == 401
    assert _state(wire) == ("pending", "F", None)


@pytest.mark.parametrize("action", ["reject", "send_back"])
def test_rejecting_or_sending_back_needs_a_note(moderator_api, wire, action):
    response = _moderate(moderator_api, wire, action=action, note="   ")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(error_fields(response)) == ["note"]
    assert _state(wire) == ("pending", "F", None)
    assert not ModerationDecision.objects.filter(source=wire).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"action": "publish"}, "action"),
        ({}, "action"),
        ({"action": "approve", "reliability": "Z"}, "reliability"),
        ({"action": "approve", "expected_state": "archived"}, "expected_state"),
    ],
)
def test_an_invalid_request_is_a_400_that_names_the_field(moderator_api, wire, payload, field):
    response = _moderate(moderator_api, wire, **payload)
    assert response.status_code == 400
    assert field in error_fields(response)
    assert _state(wire) == ("pending", "F", None)


def test_a_decision_the_source_cannot_take_is_a_400(moderator_api, wire, other_moderator):
    source_approve(source=wire, moderator=other_moderator)
    response = _moderate(moderator_api, wire, action="approve", reliability="A")
    assert response.status_code == 400
    assert "cannot be approved" in response.json()["detail"]
    assert _state(wire) == ("approved", "F", other_moderator.pk)


def test_a_decision_on_a_stale_view_is_a_409_naming_who_decided(moderator_api, wire, other_moderator):
    seen = moderator_api.get(f"/api/sources/{wire.pk}/").json()["moderation_state"]
    source_reject(source=wire, moderator=other_moderator, reason="Press release dressed as news")
    response = _moderate(moderator_api, wire, action="approve", reliability="A", expected_state=seen)
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "rejected by max" in response.json()["detail"]
    wire = _reload(wire)
    assert (wire.moderation_state, wire.reliability, wire.moderated_by) == ("rejected", "F", other_moderator)
    assert ModerationDecision.objects.filter(source=wire).count() == 1


# ---------------------------------------------------------------------------
# Several at once: all or none


def test_a_moderator_approves_several_sources_at_once(moderator_api, wire, blog):
    response = _moderate_many(moderator_api, [blog, wire], action="approve", reliability="C", expected_state="pending")
    assert response.status_code == 200, response.json()
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == sorted([wire.pk, blog.pk])
    assert {(row["moderation_state"], row["reliability"], row["moderated_by"]) for row in rows} == {
        ("approved", "C", "moderator-user")
    }
    assert ModerationDecision.objects.filter(action="approve").count() == 2


@pytest.mark.parametrize(("expected_state", "status"), [(None, 400), ("pending", 409)])
def test_a_bulk_decision_one_source_cannot_take_changes_none_of_them(
    moderator_api, wire, blog, other_moderator, expected_state, status
):
    source_approve(source=blog, moderator=other_moderator)
    payload = {"action": "approve", "reliability": "A"}
    if expected_state:
        payload["expected_state"] = expected_state
    response = _moderate_many(moderator_api, [wire, blog], **payload)
    assert response.status_code == status
    assert "Tern rumours blog" in response.json()["detail"]
    assert _state(wire) == ("pending", "F", None)
    assert not ModerationDecision.objects.filter(source=wire).exists()
    assert _state(blog) == ("approved", "F", other_moderator.pk)
    assert ModerationDecision.objects.filter(source=blog).count() == 1


def test_a_source_listed_twice_in_a_bulk_decision_is_decided_once(moderator_api, wire, blog):
    response = _moderate_many(moderator_api, [wire, blog, wire], action="approve", expected_state="pending")
    assert response.status_code == 200, response.json()
    assert [row["id"] for row in response.json()["results"]] == sorted([wire.pk, blog.pk])
    assert _state(wire)[0] == _state(blog)[0] == "approved"
    assert ModerationDecision.objects.filter(source=wire).count() == 1


def test_a_bulk_decision_by_an_analyst_is_refused(api, wire, blog):
    response = _moderate_many(api, [wire, blog], action="approve")
    assert response.status_code == 403
    assert _state(wire) == _state(blog) == ("pending", "F", None)


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"sources": []}, "sources"), ({"sources": [987654]}, "sources"), ({"note": ""}, "note")],
)
def test_a_bulk_request_that_is_not_valid_is_a_400(moderator_api, wire, payload, field):
    body = {"sources": [wire.pk], "action": "reject", **payload}
    response = moderator_api.post("/api/sources/moderate/", body, format="json")
    assert response.status_code == 400
    assert field in error_fields(response)
    assert _state(wire) == ("pending", "F", None)


# ---------------------------------------------------------------------------
# Sent back and resubmitted


def test_the_submitter_resubmits_a_source_sent_back(api, wire, other_moderator):
    source_send_back(source=wire, moderator=other_moderator, request="Archive the article's text")
    shown = api.get(f"/api/sources/{wire.pk}/").json()
    assert (shown["moderation_state"], shown["moderation_note"]) == ("sent_back", "Archive the article's text")

    response = _moderate(api, wire, action="resubmit", note="Archived it", expected_state="sent_back")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["moderation_state"], body["moderated_by"], body["moderation_note"]) == ("pending", None, "")
    newest = results(api.get(f"/api/sources/{wire.pk}/decisions/"))[0]
    assert (newest["action"], newest["moderator"], newest["state_before"], newest["state_after"], newest["note"]) == (
        "resubmit",
        "analyst-user",
        "sent_back",
        "pending",
        "Archived it",
    )


def test_only_a_source_sent_back_can_be_resubmitted(api, wire):
    response = _moderate(api, wire, action="resubmit")
    assert response.status_code == 400
    assert "cannot be resubmitted" in response.json()["detail"]
    assert not ModerationDecision.objects.filter(source=wire).exists()


def test_a_reader_may_not_resubmit(api_as, wire, other_moderator):
    source_send_back(source=wire, moderator=other_moderator, request="Add the URL")
    response = _moderate(api_as("reader"), wire, action="resubmit")
    assert response.status_code == 403
    assert _reload(wire).moderation_state == ModerationState.SENT_BACK


# ---------------------------------------------------------------------------
# Which claims are supported


@pytest.fixture
def claim(submitter, wire):
    return claim_create(
        author=submitter, statement="Tern is sampling.", citations=[{"source": wire, "quote": "Tern is sampling"}]
    )


def test_claims_citing_only_pending_sources_are_listed_as_unsupported(api, claim):
    assert claim.pk in ids(api.get("/api/claims/?supported=false"))
    assert claim.pk not in ids(api.get("/api/claims/?supported=true"))
    assert api.get(f"/api/claims/{claim.pk}/").json()["support"] == {
        "approved_sources": 0,
        "approved_publishers": 0,
        "best_reliability": None,
        "quotes_not_found": 0,
        "unsupported": True,
    }


def test_approving_the_source_makes_its_claims_supported_with_its_rating(api, moderator_api, claim, wire):
    assert _moderate(moderator_api, wire, action="approve", reliability="B").status_code == 200
    assert claim.pk in ids(api.get("/api/claims/?supported=true"))
    assert claim.pk not in ids(api.get("/api/claims/?supported=false"))
    listed = next(row for row in results(api.get("/api/claims/?supported=true")) if row["id"] == claim.pk)
    assert listed["support"] == {
        "approved_sources": 1,
        "approved_publishers": 1,
        "best_reliability": "B",
        "quotes_not_found": 0,
        "unsupported": False,
    }


def test_a_claim_with_one_approved_source_among_pending_ones_is_supported_by_the_best_rating(
    api, moderator_api, submitter, wire, blog
):
    third = source_create(author=submitter, title="Acme filing", publisher="SEC")
    claim = claim_create(
        author=submitter,
        statement="Tern ships in 2026.",
        citations=[{"source": source, "quote": "Tern ships in 2026"} for source in (wire, blog, third)],
    )
    _moderate(moderator_api, wire, action="approve", reliability="C")
    _moderate(moderator_api, third, action="approve", reliability="A")
    _moderate(moderator_api, blog, action="reject", note="Rumours")
    support = api.get(f"/api/claims/{claim.pk}/").json()["support"]
    assert (support["approved_sources"], support["approved_publishers"], support["best_reliability"]) == (2, 2, "A")
    assert support["unsupported"] is False
    assert claim.pk in ids(api.get("/api/claims/?supported=true"))


def test_rejecting_the_only_source_makes_its_claim_unsupported(api, moderator_api, claim, wire):
    _moderate(moderator_api, wire, action="approve")
    _moderate(moderator_api, wire, action="reject", note="Retracted by the publisher")
    assert claim.pk in ids(api.get("/api/claims/?supported=false"))
    assert api.get(f"/api/claims/{claim.pk}/").json()["support"]["unsupported"] is True


def test_an_analyst_resubmitting_cannot_rate_the_source(api, wire, other_moderator):
    # Review finding: a rating sent with a resubmission was applied, though only moderators rate.
    source_send_back(source=wire, moderator=other_moderator, request="Archive the article first")
    response = _moderate(api, wire, action="resubmit", reliability="A")
    assert response.status_code == 403
    assert _state(wire)[:2] == ("sent_back", "F")


def test_a_bulk_decision_about_sources_that_do_not_exist_names_them(moderator_api, wire):
    response = moderator_api.post(
        "/api/sources/moderate/", {"sources": [wire.pk, 999999], "action": "approve"}, format="json"
    )
    assert response.status_code == 400 and "999999" in str(response.json()["errors"]["sources"])
    assert _state(wire)[0] == "pending"
    too_many = moderator_api.post(
        "/api/sources/moderate/", {"sources": list(range(1, 502)), "action": "approve"}, format="json"
    )
    assert too_many.status_code == 400 and "sources" in too_many.json()["errors"]
