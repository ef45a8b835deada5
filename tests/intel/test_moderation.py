"""Moderators decide which sources count, in the admin; the decision records who and when."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from reversion.models import Version

from intel.choices import ModerationState, Role
from intel.moderation import source_approve, source_reject
from tests.factories import SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return UserFactory(username="mod", role=Role.MODERATOR)


def changelist():
    return reverse("admin:intel_source_changelist")


def test_a_moderator_approves_sources_from_the_admin_list(client, moderator):
    first, second = SourceFactory(), SourceFactory()
    client.force_login(moderator)
    response = client.post(
        changelist(), {"action": "approve_sources", "_selected_action": [first.pk, second.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "Approved 2 source(s)." in response.text
    for source in (first, second):
        source.refresh_from_db()
        assert source.moderation_state == ModerationState.APPROVED
        assert source.moderated_by == moderator
        assert source.moderated_at is not None
        assert Version.objects.get_for_object(source).first().revision.user == moderator


def test_rejecting_asks_for_a_reason_then_records_it(client, moderator):
    source = SourceFactory()
    client.force_login(moderator)
    data = {"action": "reject_sources", "_selected_action": [source.pk]}
    page = client.post(changelist(), data)
    assert page.status_code == 200
    assert "Reject these sources?" in page.text
    source.refresh_from_db()
    assert source.moderation_state == ModerationState.PENDING

    response = client.post(changelist(), {**data, "reason": "Anonymous blog, no byline"}, follow=True)
    assert "Rejected 1 source(s)." in response.text
    source.refresh_from_db()
    assert source.moderation_state == ModerationState.REJECTED
    assert source.moderation_note == "Anonymous blog, no byline"
    assert source.moderated_by == moderator


def test_an_empty_reason_is_asked_again_and_nothing_changes(client, moderator):
    source = SourceFactory()
    client.force_login(moderator)
    page = client.post(changelist(), {"action": "reject_sources", "_selected_action": [source.pk], "reason": "  "})
    assert "This field is required." in page.text
    source.refresh_from_db()
    assert source.moderation_state == ModerationState.PENDING


def test_an_analyst_sees_no_moderation_actions_and_cannot_use_them(client):
    analyst = UserFactory(username="ana", role=Role.ANALYST, is_staff=True)
    source = SourceFactory()
    client.force_login(analyst)
    page = client.get(changelist())
    assert page.status_code == 200
    assert "approve_sources" not in page.text
    assert "reject_sources" not in page.text
    client.post(changelist(), {"action": "approve_sources", "_selected_action": [source.pk]})
    source.refresh_from_db()
    assert source.moderation_state == ModerationState.PENDING
    with pytest.raises(PermissionDenied):
        source_approve(source=source, moderator=analyst)


def test_a_bulk_approval_is_one_revision_with_the_moderators_summary(client, moderator):
    sources = [SourceFactory(), SourceFactory()]
    client.force_login(moderator)
    client.post(changelist(), {"action": "approve_sources", "_selected_action": [s.pk for s in sources]})
    revisions = {Version.objects.get_for_object(source).get().revision for source in sources}
    assert len(revisions) == 1
    (revision,) = revisions
    assert revision.user == moderator
    assert revision.comment.startswith("Approved source")


def test_the_service_refuses_a_rejection_without_reason(moderator):
    with pytest.raises(ValidationError):
        source_reject(source=SourceFactory(), moderator=moderator, reason=" ")


def test_a_decision_shows_in_recent_changes(client, moderator):
    source = SourceFactory(title="Wire story")
    source_approve(source=source, moderator=moderator)
    response = client.get("/changes/")
    assert "Wire story" in response.text
    assert "Approved source" in response.text


def test_an_admin_deletion_is_a_wiki_deletion_that_can_be_undone(client):
    from companies.services import company_create
    from intel.models import Change

    admin = UserFactory(username="root", role=Role.ADMIN)
    admin.is_superuser = True
    admin.save()
    company = company_create(author=admin, name="Shortlived", slug="shortlived")
    client.force_login(admin)
    url = reverse("admin:companies_company_delete", args=[company.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    deletion = Change.objects.filter(object_id=str(company.pk), content_type__model="company").first()
    assert deletion.action == "delete" and deletion.revision.user == admin
    assert client.post("/companies/shortlived/undelete/").status_code == 302
    assert client.get("/companies/shortlived/").status_code == 200


def test_the_admin_refuses_to_delete_a_company_that_claims_are_about(client):
    from companies.models import Company
    from tests.factories import ClaimFactory, CompanyFactory

    admin = UserFactory(username="root", role=Role.ADMIN)
    admin.is_superuser = True
    admin.save()
    company = CompanyFactory()
    ClaimFactory().companies.add(company)
    client.force_login(admin)
    url = reverse("admin:companies_company_delete", args=[company.pk])
    response = client.post(url, {"post": "yes"})
    assert "1 claim" in response.text
    assert Company.objects.filter(pk=company.pk).exists()


def test_the_admin_shows_a_claims_status_read_only_and_anchors_inline_citations(client, moderator):
    # Review finding: the admin changed status around the workflow and left edited quotes unanchored.
    from intel.extraction import extract_paste
    from intel.models import Claim
    from intel.services import claim_create, snapshot_add, source_create

    admin_user = UserFactory(username="root", role=Role.ADMIN, is_superuser=True)
    source = source_create(author=admin_user, title="Wire story")
    text = "Acme ships Tern in 2026. Tern samples now."
    snapshot_add(
        source=source, author=admin_user, extracted=extract_paste(text, max_bytes=10**6), original=text.encode()
    )
    claim = claim_create(
        author=admin_user, statement="Tern ships in 2026.", citations=[{"source": source, "quote": "nowhere"}]
    )
    client.force_login(admin_user)
    url = reverse("admin:intel_claim_change", args=[claim.pk])
    page = client.get(url)
    assert 'name="status"' not in page.text
    citation = claim.citations.get()
    data = {
        "statement": claim.statement,
        "kind": "fact",
        "credibility": "6",
        "period_precision": "",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "1",
        "citations-MIN_NUM_FORMS": "1",
        "citations-MAX_NUM_FORMS": "1000",
        "citations-0-id": str(citation.pk),
        "citations-0-claim": str(claim.pk),
        "citations-0-source": str(source.pk),
        "citations-0-quote": "Acme ships Tern in 2026",
        "relations_out-TOTAL_FORMS": "0",
        "relations_out-INITIAL_FORMS": "0",
        "relations_out-MIN_NUM_FORMS": "0",
        "relations_out-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.text[:3000]
    citation.refresh_from_db()
    assert (citation.quote, citation.verification, citation.anchor_start) == ("Acme ships Tern in 2026", "verified", 0)
    assert Claim.objects.get(pk=claim.pk).status == "unverified"


def test_an_analyst_cannot_rate_a_source_in_the_admin(client):
    analyst = UserFactory(username="ana", role=Role.ANALYST, is_staff=True)
    source = SourceFactory()
    client.force_login(analyst)
    page = client.get(reverse("admin:intel_source_change", args=[source.pk]))
    assert page.status_code == 200 and 'name="reliability"' not in page.text
