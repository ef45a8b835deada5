"""Slips at their edges: widenings, quotes that go away, claims unlinked, deletions and the admin's own screens.

Each story guards a fix made after review of issue 6; the names state the rule.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from intel import editing
from intel.models import Change
from intel.pages import PAGE_KINDS, content_type_of
from products.models import Milestone
from tests.factories import UserFactory
from tests.intel import pagekit
from tests.intel.pagekit import reload, service_edit

pytestmark = pytest.mark.django_db

analyst, deps, world = pagekit.analyst, pagekit.deps, pagekit.world
MILESTONE, CLAIM = PAGE_KINDS["milestone"], PAGE_KINDS["claim"]


def changes(milestone) -> list[tuple[str, str, int]]:
    return [(str(row.target), row.change, row.slip_days) for row in milestone.targets.order_by("revision_id")]


@pytest.fixture
def moderator():
    return UserFactory(username="mona", role="moderator")


def test_a_target_widened_and_then_narrowed_to_a_later_period_counts_as_a_slip_from_the_firm_date(analyst, world):
    ships = world.ships  # first dated 2025-Q3
    service_edit(ships, analyst, target="2025")  # widened: the old quarter is still possible
    service_edit(ships, analyst, target="2025-Q4")  # the firm date was Q3: this is a slip of 92 days

    assert changes(ships)[1:] == [("2025", "widened", 0), ("2025-Q4", "slipped", 92)]


def test_a_half_year_then_a_later_quarter_slips_by_the_whole_move_of_the_end(analyst, world):
    ships = world.ships
    service_edit(ships, analyst, target="2025-H2")  # widened (Q3 → H2)
    service_edit(ships, analyst, target="2026-Q1")  # 30 Sep 2025 → 31 Mar 2026

    assert changes(ships)[-1] == ("2026-Q1", "slipped", 182)


def test_a_claim_edit_cannot_remove_the_quote_that_states_a_milestones_target(analyst, world):
    quote = world.shipping.citations.get()
    service_edit(world.ships, analyst, target="2025-Q4", target_citation=quote)
    other = {"source": quote.source_id, "speaker": None, "quote": "Another sentence.", "translation": "", "locator": ""}

    with pytest.raises(ValidationError) as refused:
        editing.page_update(
            kind=CLAIM,
            page=world.shipping,
            author=analyst,
            values={},
            citations=[{**other, "id": None}],
            base_revision=editing.latest_revision_id(world.shipping),
        )

    assert "A quote you removed is cited by 1 milestone (target cited from)" in str(refused.value)
    assert reload(world.ships).target_citation_id == quote.pk
    assert world.shipping.citations.filter(pk=quote.pk).exists()


def test_unlinking_the_claim_does_not_block_unrelated_edits_of_the_milestone(analyst, world):
    quote = world.shipping.citations.get()
    service_edit(world.ships, analyst, target="2025-Q4", target_citation=quote)
    world.shipping.milestones.remove(world.ships)

    service_edit(world.ships, analyst, body="Only the notes change.")

    assert reload(world.ships).body == "Only the notes change."
    assert reload(world.ships).target_citation_id == quote.pk  # kept: it still states the target


def test_a_citation_picked_for_a_new_milestone_must_come_from_a_claim_about_it(analyst, world, deps):
    quote = world.shipping.citations.get()
    with pytest.raises(ValidationError) as refused:
        editing.page_create(
            kind=MILESTONE,
            author=analyst,
            values={"title": "Acme X9", "company": deps.company, "kind": "ship", "target": "2026",
                    "target_citation": quote},
        )  # fmt: skip
    assert "link the claim to the milestone first" in str(refused.value)
    assert not Milestone.objects.filter(title="Acme X9").exists()


def test_a_milestone_with_a_cited_target_comes_back_after_its_claim_was_unlinked_and_deleted(analyst, moderator, world):
    quote = world.shipping.citations.get()
    service_edit(world.ships, analyst, target="2025-Q4", target_citation=quote)
    for claim in world.ships.claims.all():  # a milestone with claims about it cannot be deleted: unlink them
        claim.milestones.remove(world.ships)
    editing.page_delete(kind=MILESTONE, page=world.ships, author=moderator, summary="Duplicate")
    editing.page_delete(kind=CLAIM, page=world.shipping, author=moderator, summary="Wrong claim")
    deletion = Change.objects.filter(
        content_type=content_type_of(MILESTONE), object_id=str(world.ships.pk), action="delete"
    ).latest("revision_id")

    back = editing.page_undelete(kind=MILESTONE, change=deletion, author=moderator, summary="Not a duplicate")

    assert back.target.label == "Q4 2025"
    assert back.target_citation_id is None  # the quote went with its claim; the target stays
    assert [row[1] for row in changes(back)][-1] == "slipped"


def test_the_admins_own_revert_and_recover_screens_send_the_moderator_to_the_wiki(client, world):
    admin = UserFactory(username="root", role="admin")
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)

    revert = client.get(f"/admin/products/milestone/{world.ships.pk}/history/1/")
    recover = client.get("/admin/products/milestone/recover/")

    assert revert.status_code == 302 and revert.url == MILESTONE.url("history", world.ships.pk)
    assert recover.status_code == 302 and recover.url == "/changes/"


def test_a_target_in_the_last_year_of_the_calendar_still_draws(client, analyst, world):
    service_edit(world.ships, analyst, target="9999-Q4")

    page = client.get("/roadmap/")

    assert page.status_code == 200
    assert "to 9999;" in page.content.decode()  # the chart's description names the real last year
