"""A claim's support and its status workflow: the rules (intel.workflow), the claim page's
support summary and status form, the edit form, and the disputes page.

Corroborated needs two approved sources from different publishers; disputed a claim that
contradicts it; superseded the claim that supersedes it; retracted a reason; reopening a
retracted or superseded claim a moderator. A moderator may override with a reason.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intel.choices import ClaimRelationKind, ClaimStatus, Role
from intel.extraction import extract_paste
from intel.models import Change, Citation, Claim, ClaimRelation, Source
from intel.moderation import source_approve
from intel.pages import PAGE_KINDS
from intel.services import claim_create, claim_relation_create, snapshot_add, source_create
from intel.workflow import claim_set_status, claim_support
from tests.factories import UserFactory
from tests.intel.pagekit import (
    change_rows,
    field_errors,
    form_data,
    history_rows,
    is_login_redirect,
    logged_in,
    messages_of,
    parse,
    reload,
    submit,
    typed_values,
)

pytestmark = pytest.mark.django_db

CLAIM = PAGE_KINDS["claim"]


@pytest.fixture
def moderator():
    return UserFactory(username="mo", role=Role.MODERATOR)


def approved_source(title: str, publisher: str, *, author, moderator, reliability: str = "C") -> Source:
    source = source_create(author=author, title=title, publisher=publisher)
    return source_approve(source=source, moderator=moderator, reliability=reliability)


def pending_source(title: str, publisher: str, *, author) -> Source:
    return source_create(author=author, title=title, publisher=publisher)


def claim_citing(author, statement: str, *sources: Source) -> Claim:
    citations = [{"source": source, "quote": f"As {source.title} reported."} for source in sources]
    return claim_create(author=author, statement=statement, citations=citations)


def revision_count(claim: Claim) -> int:
    return Change.objects.filter(content_type__model="claim", object_id=str(claim.pk)).count()


def latest_summary(claim: Claim) -> str:
    change = Change.objects.filter(content_type__model="claim", object_id=str(claim.pk)).first()
    return change.revision.comment


def refusal(error: ValidationError) -> str:
    return " ".join(error.message_dict["status"])


@pytest.fixture
def lone_claim(analyst):
    """A claim citing one pending source: no approved source, no link to another claim."""
    source = pending_source("Tern rumour blog", "Chip Gossip", author=analyst)
    return claim_citing(analyst, "Acme's Tern ships in 2026.", source)


# ---------------------------------------------------------------------------
# Corroborated: two approved sources from different publishers


def test_corroborated_needs_two_approved_sources_from_different_publishers(analyst, moderator):
    reuters = approved_source("Acme ships Tern", "Reuters", author=analyst, moderator=moderator)
    bloomberg = pending_source("Tern is shipping", "Bloomberg", author=analyst)
    claim = claim_citing(analyst, "Acme's Tern is shipping.", reuters, bloomberg)
    revisions = revision_count(claim)

    with pytest.raises(ValidationError) as refused:
        claim_set_status(claim=claim, author=analyst, status=ClaimStatus.CORROBORATED, reason="Two reports")

    assert refusal(refused.value) == (
        "Corroborated needs at least two approved sources from different publishers "
        "(this claim has 1 approved source from 1 publisher); a moderator can override with a reason."
    )
    assert reload(claim).status == ClaimStatus.UNVERIFIED
    assert revision_count(claim) == revisions, "a refused change saves nothing"

    source_approve(source=bloomberg, moderator=moderator)
    saved = claim_set_status(claim=claim, author=analyst, status=ClaimStatus.CORROBORATED, reason="Two reports")

    assert saved.status == reload(claim).status == ClaimStatus.CORROBORATED
    assert reload(claim).status_note == "Two reports"
    assert revision_count(claim) == revisions + 1, "one revision"
    assert latest_summary(claim) == "Marked corroborated: Two reports"


def test_two_approved_sources_from_the_same_publisher_do_not_corroborate(analyst, moderator):
    first = approved_source("Acme ships Tern", "Reuters", author=analyst, moderator=moderator)
    second = approved_source("Tern: the details", " reuters ", author=analyst, moderator=moderator)
    claim = claim_citing(analyst, "Acme's Tern is shipping.", first, second)

    with pytest.raises(ValidationError) as refused:
        claim_set_status(claim=claim, author=analyst, status=ClaimStatus.CORROBORATED)

    assert "(this claim has 2 approved sources from 1 publisher)" in refusal(refused.value)
    assert reload(claim).status == ClaimStatus.UNVERIFIED


def test_approved_sources_without_a_publisher_count_as_different_publishers(analyst, moderator):
    first = approved_source("Forum post", "", author=analyst, moderator=moderator)
    second = approved_source("Conference hallway notes", "", author=analyst, moderator=moderator)
    claim = claim_citing(analyst, "Acme's Tern is shipping.", first, second)

    claim_set_status(claim=claim, author=analyst, status=ClaimStatus.CORROBORATED)

    assert reload(claim).status == ClaimStatus.CORROBORATED


# ---------------------------------------------------------------------------
# Disputed: a claim that contradicts it, linked either way


@pytest.mark.parametrize("direction", ["this contradicts the other", "the other contradicts this"])
def test_disputed_needs_a_contradicting_claim_linked_in_either_direction(analyst, lone_claim, direction):
    source = pending_source("Acme denies", "Acme", author=analyst)
    other = claim_citing(analyst, "Acme's Tern slips to 2027.", source)
    claim_relation_create(author=analyst, from_claim=other, kind=ClaimRelationKind.SUPPORTS, to_claim=lone_claim)

    with pytest.raises(ValidationError) as refused:
        claim_set_status(claim=lone_claim, author=analyst, status=ClaimStatus.DISPUTED)
    assert refusal(refused.value) == (
        "Disputed needs a claim that contradicts this one: link it first (contradicts), "
        "or ask a moderator to mark it disputed with a reason."
    ), "a 'supports' link is no dispute"

    ends = (lone_claim, other) if direction == "this contradicts the other" else (other, lone_claim)
    claim_relation_create(author=analyst, from_claim=ends[0], kind=ClaimRelationKind.CONTRADICTS, to_claim=ends[1])
    claim_set_status(claim=lone_claim, author=analyst, status=ClaimStatus.DISPUTED, reason="Acme says 2027")

    assert reload(lone_claim).status == ClaimStatus.DISPUTED
    assert reload(lone_claim).status_note == "Acme says 2027"


# ---------------------------------------------------------------------------
# Superseded: the claim that supersedes it


def test_superseded_needs_the_claim_that_supersedes_it(analyst, lone_claim):
    source = pending_source("Acme update", "Acme", author=analyst)
    newer = claim_citing(analyst, "Acme's Tern ships in the second half of 2026.", source)
    # Linked the wrong way round: the lone claim would supersede the newer one.
    claim_relation_create(author=analyst, from_claim=lone_claim, kind=ClaimRelationKind.SUPERSEDES, to_claim=newer)

    with pytest.raises(ValidationError) as refused:
        claim_set_status(claim=lone_claim, author=analyst, status=ClaimStatus.SUPERSEDED)
    assert refusal(refused.value) == "Superseded needs the claim that supersedes this one: link it first (supersedes)."

    claim_relation_create(author=analyst, from_claim=newer, kind=ClaimRelationKind.SUPERSEDES, to_claim=lone_claim)
    claim_set_status(claim=lone_claim, author=analyst, status=ClaimStatus.SUPERSEDED)

    assert reload(lone_claim).status == ClaimStatus.SUPERSEDED


# ---------------------------------------------------------------------------
# Retracted: a reason


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_retracting_a_claim_needs_a_reason(analyst, lone_claim, reason):
    with pytest.raises(ValidationError) as refused:
        claim_set_status(claim=lone_claim, author=analyst, status=ClaimStatus.RETRACTED, reason=reason)
    assert refusal(refused.value) == "Say why the claim is retracted."
    assert reload(lone_claim).status == ClaimStatus.UNVERIFIED

    claim_set_status(claim=lone_claim, author=analyst, status=ClaimStatus.RETRACTED, reason=" The blog took it down. ")

    assert reload(lone_claim).status == ClaimStatus.RETRACTED
    assert reload(lone_claim).status_note == "The blog took it down."
    assert latest_summary(lone_claim) == "Marked retracted: The blog took it down."


# ---------------------------------------------------------------------------
# Back to unverified


@pytest.mark.parametrize("status", [ClaimStatus.RETRACTED, ClaimStatus.SUPERSEDED])
def test_only_a_moderator_reopens_a_retracted_or_superseded_claim(analyst, moderator, lone_claim, status):
    if status == ClaimStatus.SUPERSEDED:
        source = pending_source("Acme update", "Acme", author=analyst)
        newer = claim_citing(analyst, "Acme's Tern ships in the second half of 2026.", source)
        claim_relation_create(author=analyst, from_claim=newer, kind=ClaimRelationKind.SUPERSEDES, to_claim=lone_claim)
    claim_set_status(claim=lone_claim, author=analyst, status=status, reason="Out of date")

    with pytest.raises(ValidationError) as refused:
        claim_set_status(claim=lone_claim, author=analyst, status=ClaimStatus.UNVERIFIED, reason="Still true")
    label = ClaimStatus(status).label.lower()
    assert refusal(refused.value) == f"Only a moderator can reopen a {label} claim."
    assert reload(lone_claim).status == status

    claim_set_status(claim=lone_claim, author=moderator, status=ClaimStatus.UNVERIFIED, reason="Still true")

    assert reload(lone_claim).status == ClaimStatus.UNVERIFIED
    assert reload(lone_claim).status_note == "Still true"


def test_anyone_may_move_a_corroborated_or_disputed_claim_back_to_unverified(analyst, other_analyst, moderator):
    reuters = approved_source("Acme ships Tern", "Reuters", author=analyst, moderator=moderator)
    bloomberg = approved_source("Tern is shipping", "Bloomberg", author=analyst, moderator=moderator)
    claim = claim_citing(analyst, "Acme's Tern is shipping.", reuters, bloomberg)
    claim_set_status(claim=claim, author=analyst, status=ClaimStatus.CORROBORATED)

    claim_set_status(claim=claim, author=other_analyst, status=ClaimStatus.UNVERIFIED)

    assert reload(claim).status == ClaimStatus.UNVERIFIED


def test_moving_a_claim_to_the_status_it_has_is_refused(analyst, lone_claim):
    with pytest.raises(ValidationError) as refused:
        claim_set_status(claim=lone_claim, author=analyst, status=ClaimStatus.UNVERIFIED)
    assert refusal(refused.value) == "The claim is unverified already."


# ---------------------------------------------------------------------------
# A moderator's override


@pytest.mark.parametrize("status", [ClaimStatus.CORROBORATED, ClaimStatus.DISPUTED, ClaimStatus.SUPERSEDED])
def test_a_moderator_overrides_the_evidence_rule_with_a_reason(moderator, lone_claim, status):
    reason = "Confirmed by phone with two customers."
    claim_set_status(claim=lone_claim, author=moderator, status=status, reason=reason, override=True)

    claim = reload(lone_claim)
    assert claim.status == status and claim.status_note == reason
    assert latest_summary(claim) == f"Marked {ClaimStatus(status).label.lower()} (moderator override): {reason}"


def test_an_analyst_cannot_override_the_rules(analyst, lone_claim):
    revisions = revision_count(lone_claim)
    with pytest.raises(PermissionDenied, match="Only moderators can override the status rules."):
        claim_set_status(
            claim=lone_claim, author=analyst, status=ClaimStatus.CORROBORATED, reason="Trust me", override=True
        )
    assert reload(lone_claim).status == ClaimStatus.UNVERIFIED
    assert revision_count(lone_claim) == revisions


@pytest.mark.parametrize("reason", ["", "  "])
def test_a_moderators_override_without_a_reason_is_refused(moderator, lone_claim, reason):
    with pytest.raises(ValidationError) as refused:
        claim_set_status(
            claim=lone_claim, author=moderator, status=ClaimStatus.CORROBORATED, reason=reason, override=True
        )
    assert refusal(refused.value) == "A moderator's override needs a reason."
    assert reload(lone_claim).status == ClaimStatus.UNVERIFIED


def test_a_reader_cannot_change_a_status(reader, lone_claim):
    with pytest.raises(PermissionDenied):
        claim_set_status(claim=lone_claim, author=reader, status=ClaimStatus.RETRACTED, reason="Spam")
    assert reload(lone_claim).status == ClaimStatus.UNVERIFIED


# ---------------------------------------------------------------------------
# The edit form and new claims follow the same rules


def test_the_edit_form_refuses_a_status_change_that_breaks_a_rule_next_to_the_field_and_keeps_the_typing(
    analyst, lone_claim
):
    client = logged_in(analyst)
    url = CLAIM.url("edit", lone_claim.pk)
    revisions = revision_count(lone_claim)
    typed = {
        "statement": "Acme's Tern ships in the first half of 2026.",
        "status": "corroborated",
        "summary": "Everyone says so",
    }

    response = submit(client, url, {**form_data(client.get(url)), **typed})

    assert response.status_code == 400
    [error] = field_errors(response, "status")
    assert error.startswith("Corroborated needs at least two approved sources from different publishers")
    again = form_data(response)
    assert {name: again[name] for name in typed} == typed, "what was typed stays in the form"
    claim = reload(lone_claim)
    assert (claim.statement, claim.status) == ("Acme's Tern ships in 2026.", ClaimStatus.UNVERIFIED)
    assert revision_count(claim) == revisions


def test_the_edit_form_changes_the_status_once_the_evidence_exists_and_its_summary_is_the_reason(analyst, lone_claim):
    source = pending_source("Acme denies", "Acme", author=analyst)
    other = claim_citing(analyst, "Acme's Tern slips to 2027.", source)
    claim_relation_create(author=analyst, from_claim=other, kind=ClaimRelationKind.CONTRADICTS, to_claim=lone_claim)
    client = logged_in(analyst)
    url = CLAIM.url("edit", lone_claim.pk)

    response = submit(
        client, url, {**form_data(client.get(url)), "status": "disputed", "summary": "Acme says 2027"}, follow=True
    )

    assert response.redirect_chain == [(lone_claim.get_absolute_url(), 302)]
    claim = reload(lone_claim)
    assert (claim.status, claim.status_note) == (ClaimStatus.DISPUTED, "Acme says 2027")
    note = parse(response).find("p", cls="status-note")
    assert note.text == "Disputed: Acme says 2027"


def test_a_new_claim_starts_unverified_in_the_form_and_in_the_services(analyst_client, analyst, deps):
    url = CLAIM.create_url()
    data = {**form_data(analyst_client.get(url)), **typed_values("claim", deps), "status": "corroborated"}

    response = submit(analyst_client, url, data)

    assert response.status_code == 400
    [error] = field_errors(response, "status")
    assert error.startswith("A new claim starts unverified")
    assert form_data(response)["statement"] == "Rubin ships in the third quarter of 2026."
    assert not Claim.objects.exists()

    with pytest.raises(ValidationError) as refused:
        claim_create(
            author=analyst,
            statement="Rubin is retracted already.",
            status=ClaimStatus.RETRACTED,
            citations=[{"source": deps.source, "quote": "Rubin."}],
        )
    assert "status" in refused.value.message_dict
    assert not Claim.objects.exists()


# ---------------------------------------------------------------------------
# The claim page: its support and the status form


def support_text(response) -> str:
    return " ".join(parse(response).find("section", cls="support").find("p").text.split())


def test_the_claim_page_sums_up_what_supports_the_claim(client, analyst, moderator):
    reuters = approved_source("Acme ships Tern", "Reuters", author=analyst, moderator=moderator, reliability="B")
    wire = approved_source("Tern on the wire", "Reuters", author=analyst, moderator=moderator, reliability="D")
    filing = approved_source("Acme 10-Q", "SEC", author=analyst, moderator=moderator, reliability="A")
    blog = pending_source("Tern rumour blog", "Chip Gossip", author=analyst)
    snapshot_add(
        source=filing,
        author=moderator,
        extracted=extract_paste("Acme began volume shipments of Tern in March.", max_bytes=10**6),
        original=b"Acme began volume shipments of Tern in March.",
    )
    claim = claim_create(
        author=analyst,
        statement="Acme's Tern is shipping.",
        citations=[
            {"source": reuters, "quote": "Tern is shipping."},
            {"source": wire, "quote": "Tern shipments began."},
            {"source": filing, "quote": "Acme began volume shipments of Tern"},  # found in the archived text
            {"source": filing, "quote": "Tern sold out for 2026"},  # not in it
            {"source": blog, "quote": "Tern is everywhere."},  # pending: does not count
        ],
    )

    response = client.get(claim.get_absolute_url())

    text = support_text(response)
    assert text.startswith(
        "Supported by 3 approved sources from 2 publishers; the best is rated A · completely reliable"
    )
    assert "1 quote not found in the sources' archived text." in text
    section = parse(response).find("section", cls="support")
    assert section.find("span", cls="reliability").text == "A · completely reliable"
    assert not section.find_all("span", cls="unsupported")
    assert claim_support(claim).approved_sources == 3


def test_a_claim_none_of_whose_sources_is_approved_is_marked_unsupported(client, lone_claim):
    response = client.get(lone_claim.get_absolute_url())

    section = parse(response).find("section", cls="support")
    assert section.find("span", cls="unsupported").text == "Unsupported"
    assert "None of the sources it cites is approved by a moderator yet." in support_text(response)
    assert "Supported by" not in support_text(response)


def status_form(response, claim: Claim) -> dict:
    return form_data(response, action=f"/claims/{claim.pk}/status/")


def test_an_analyst_changes_the_status_from_the_claim_page_and_the_reason_shows(analyst, lone_claim):
    client = logged_in(analyst)
    page = client.get(lone_claim.get_absolute_url())
    form = status_form(page, lone_claim)
    assert form["status"] == "unverified", "the form starts from the claim's status"
    assert "override" not in form and not parse(page).find_all("input", name="override"), "no override for analysts"

    response = submit(
        client,
        f"/claims/{lone_claim.pk}/status/",
        {**form, "status": "retracted", "reason": "The blog took the post down."},
        follow=True,
    )

    assert response.redirect_chain == [(lone_claim.get_absolute_url(), 302)]
    assert messages_of(response) == ["The claim is retracted now."]
    doc = parse(response)
    assert doc.find("p", cls="status-note").text == "Retracted: The blog took the post down."
    assert doc.find("span", cls="status-retracted").text == "Retracted"
    history = history_rows(client.get(CLAIM.url("history", lone_claim.pk)))
    assert history[0]["who"] == "ana"
    assert "Marked retracted: The blog took the post down." in history[0]["summary"]


def test_a_refused_change_from_the_claim_page_says_which_rule_and_changes_nothing(analyst, lone_claim):
    client = logged_in(analyst)
    form = status_form(client.get(lone_claim.get_absolute_url()), lone_claim)

    response = submit(client, f"/claims/{lone_claim.pk}/status/", {**form, "status": "disputed"}, follow=True)

    [message] = messages_of(response)
    assert message.startswith("Disputed needs a claim that contradicts this one")
    assert message.endswith("The status was not changed.")
    assert reload(lone_claim).status == ClaimStatus.UNVERIFIED
    assert not parse(response).find_all("p", cls="status-note")


def test_a_moderator_overrides_from_the_claim_page_with_the_box_and_a_reason(moderator, lone_claim):
    client = logged_in(moderator)
    page = client.get(lone_claim.get_absolute_url())
    form = status_form(page, lone_claim)
    assert parse(page).find("input", name="override").get("type") == "checkbox"
    assert "override" not in form, "the box starts unticked"

    response = submit(
        client,
        f"/claims/{lone_claim.pk}/status/",
        {**form, "status": "corroborated", "reason": "Confirmed by two customers.", "override": "on"},
        follow=True,
    )

    assert messages_of(response) == ["The claim is corroborated now."]
    assert parse(response).find("p", cls="status-note").text == "Corroborated: Confirmed by two customers."
    assert reload(lone_claim).status == ClaimStatus.CORROBORATED


def test_an_analyst_who_ticks_a_forged_override_box_is_refused(analyst, lone_claim):
    client = logged_in(analyst)
    data = {"status": "corroborated", "reason": "Trust me", "override": "on"}

    response = client.post(f"/claims/{lone_claim.pk}/status/", data)

    assert response.status_code == 403
    assert reload(lone_claim).status == ClaimStatus.UNVERIFIED


def test_readers_and_visitors_cannot_change_a_status(client, reader, lone_claim):
    url = f"/claims/{lone_claim.pk}/status/"
    data = {"status": "retracted", "reason": "Spam"}
    reader_client = logged_in(reader)
    assert not parse(reader_client.get(lone_claim.get_absolute_url())).find_all("details", cls="status-form")
    assert reader_client.post(url, data).status_code == 403
    assert is_login_redirect(client.post(url, data), lone_claim.get_absolute_url())
    assert reload(lone_claim).status == ClaimStatus.UNVERIFIED


# ---------------------------------------------------------------------------
# The disputes page


def test_the_disputes_page_shows_contradicting_claims_side_by_side_with_their_evidence(client, analyst, moderator):
    reuters = approved_source("Acme ships Tern", "Reuters", author=analyst, moderator=moderator, reliability="B")
    denial = approved_source("Acme: Tern slips", "Acme", author=analyst, moderator=moderator, reliability="E")
    shipping = claim_create(
        author=analyst, statement="Acme's Tern is shipping.", citations=[{"source": reuters, "quote": "Tern ships."}]
    )
    slipping = claim_create(
        author=analyst,
        statement="Acme's Tern slips to 2027.",
        citations=[{"source": denial, "quote": "Not before 2027."}],
    )
    claim_relation_create(
        author=analyst,
        from_claim=slipping,
        kind=ClaimRelationKind.CONTRADICTS,
        to_claim=shipping,
        note="Dates disagree.",
    )

    response = client.get("/disputes/")

    assert response.status_code == 200
    [dispute] = parse(response).find_all("section", cls="dispute")
    heading = " ".join(dispute.find("h2").text.split())
    assert heading == f"1. Claim {slipping.pk} contradicts claim {shipping.pk}"
    assert dispute.find("p", cls="note").text == "Dates disagree."
    left, right = dispute.find("div", cls="side-by-side").find_all("div", cls="claim-card")
    assert left.find("p", cls="statement").text == "Acme's Tern slips to 2027."
    assert right.find("p", cls="statement").text == "Acme's Tern is shipping."
    assert left.find("p", cls="statement").find("a").get("href") == slipping.get_absolute_url()
    [left_citation] = left.find("ul", cls="card-citations").find_all("li")
    [right_citation] = right.find("ul", cls="card-citations").find_all("li")
    assert left_citation.find("q").text == "Not before 2027."
    assert left_citation.find("a").text == "Acme: Tern slips"
    assert left_citation.find("span", cls="reliability").text == "E · unreliable"
    assert right_citation.find("q").text == "Tern ships."
    assert right_citation.find("span", cls="reliability").text == "B · usually reliable"
    assert right_citation.find("span", cls="moderation-approved").text == "Approved"


def test_the_disputes_page_lists_a_claim_marked_disputed_without_a_contradicting_link(client, moderator, lone_claim):
    claim_set_status(
        claim=lone_claim, author=moderator, status=ClaimStatus.DISPUTED, reason="Customers deny it.", override=True
    )

    response = client.get("/disputes/")

    doc = parse(response)
    assert not doc.find_all("section", cls="dispute")
    assert "No claim contradicts another yet." in doc.find("p", cls="empty").text
    section = doc.find("section", **{"aria-labelledby": "disputed-heading"})
    [card] = section.find_all("div", cls="claim-card")
    assert card.find("p", cls="statement").text == "Acme's Tern ships in 2026."
    assert card.find("p", cls="status-note").text == "Disputed: Customers deny it."
    assert card.find("span", cls="unsupported").text == "Unsupported"


def add_disputes(count: int, *, sources: list[Source], start: int = 0) -> None:
    """``count`` pairs of contradicting claims, each claim with two citations, plus as many claims
    marked disputed without a link, in a few queries."""
    claims = Claim.objects.bulk_create(Claim(statement=f"Disputed claim {start + n}.") for n in range(3 * count))
    Citation.objects.bulk_create(
        Citation(claim=claim, source=sources[n % len(sources)], quote=f"Quote {n}.")
        for claim in claims
        for n in range(2)
    )
    ClaimRelation.objects.bulk_create(
        ClaimRelation(from_claim=claims[2 * n], kind=ClaimRelationKind.CONTRADICTS, to_claim=claims[2 * n + 1])
        for n in range(count)
    )
    Claim.objects.filter(pk__in=[claim.pk for claim in claims[2 * count :]]).update(status=ClaimStatus.DISPUTED)


def test_the_disputes_page_costs_as_many_queries_with_10_disputes_as_with_2(
    client, analyst, moderator, django_assert_max_num_queries
):
    sources = [
        approved_source("Acme ships Tern", "Reuters", author=analyst, moderator=moderator, reliability="B"),
        pending_source("Tern rumour blog", "Chip Gossip", author=analyst),
    ]
    add_disputes(2, sources=sources)
    client.get("/disputes/")  # warm the caches
    with CaptureQueriesContext(connection) as with_2:
        response = client.get("/disputes/")
    assert len(parse(response).find_all("section", cls="dispute")) == 2

    add_disputes(8, sources=sources, start=100)

    with django_assert_max_num_queries(len(with_2)):
        response = client.get("/disputes/")
    doc = parse(response)
    assert len(doc.find_all("section", cls="dispute")) == 10
    assert len(doc.find_all("div", cls="claim-card")) == 30
    assert len(doc.find_all("span", cls="reliability")) == 60


def test_a_status_change_shows_in_recent_changes_with_its_reason(client, analyst, lone_claim):
    claim_set_status(claim=lone_claim, author=analyst, status=ClaimStatus.RETRACTED, reason="The blog took it down.")

    [latest, *_] = change_rows(client.get("/changes/"))

    assert " ".join(latest["page"].split()) == "claim Acme's Tern ships in 2026."
    assert latest["who"] == "ana"
    assert "Marked retracted: The blog took it down." in " ".join(latest["what"].split())
