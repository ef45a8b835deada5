"""Editing pages through their forms: saving from the latest revision, merging concurrent edits, conflicts."""

from __future__ import annotations

import pytest

from intel import editing
from intel.choices import ChangeAction
from intel.models import Change
from intel.pages import PAGE_KINDS, content_type_of
from tests.intel.pagekit import (
    KIND_KEYS,
    NVIDIA_BODY,
    add_citation_row,
    form_data,
    history_rows,
    lf,
    logged_in,
    make_page,
    messages_of,
    parse,
    reload,
    submit,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# 5. Editing, merging and conflicts


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_each_kind_is_edited_through_its_form_from_the_latest_revision(analyst, deps, kind_key):
    kind = PAGE_KINDS[kind_key]
    page = make_page(kind_key, author=analyst, deps=deps)
    client = logged_in(analyst)
    url = kind.url("edit", kind.key_of(page))
    form = form_data(client.get(url))
    assert form["base_revision"] == str(editing.latest_revision_id(page))

    response = submit(client, url, {**form, "body": "A **rewritten** body.", "summary": "Rewrite"}, follow=True)

    assert response.redirect_chain == [(page.get_absolute_url(), 302)]
    assert messages_of(response) == [f"Saved {kind.label} “{reload(page)}”."]
    assert reload(page).body == "A **rewritten** body."
    assert parse(response).find("div", cls="body").find("strong").text == "rewritten"
    change = Change.objects.filter(content_type=content_type_of(kind), object_id=str(page.pk)).first()
    assert change.action == ChangeAction.EDIT and change.revision.comment == "Rewrite"


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_an_edit_form_saved_unchanged_records_no_revision(analyst, deps, kind_key):
    kind = PAGE_KINDS[kind_key]
    page = make_page(kind_key, author=analyst, deps=deps)
    before = editing.latest_revision_id(page)
    client = logged_in(analyst)
    url = kind.url("edit", kind.key_of(page))

    response = submit(client, url, form_data(client.get(url)), follow=True)

    assert messages_of(response) == ["Nothing changed, so no revision was saved."]
    assert editing.latest_revision_id(page) == before


def test_a_multi_paragraph_body_saved_unchanged_from_a_browser_records_no_revision(analyst, deps):
    """Browsers send textarea line ends as CRLF; the stored body has LF. Saving without a change
    must not record a revision (nor store CRLF that makes every later diff show every line)."""
    page = make_page("company", author=analyst, deps=deps, body="First paragraph.\n\nSecond paragraph.")
    before = editing.latest_revision_id(page)
    client = logged_in(analyst)
    url = PAGE_KINDS["company"].url("edit", page.slug)

    response = submit(client, url, form_data(client.get(url)), follow=True)

    assert reload(page).body == "First paragraph.\n\nSecond paragraph."
    assert messages_of(response) == ["Nothing changed, so no revision was saved."]
    assert editing.latest_revision_id(page) == before


def test_a_stale_edit_of_another_field_is_merged_and_marked_in_the_history(analyst, other_analyst, nvidia):
    url = PAGE_KINDS["company"].url("edit", "nvidia")
    ana, bob = logged_in(analyst), logged_in(other_analyst)
    ana_form, bob_form = form_data(ana.get(url)), form_data(bob.get(url))
    assert ana_form["base_revision"] == bob_form["base_revision"]

    assert submit(bob, url, {**bob_form, "country": "TW", "summary": "Fix country"}).status_code == 302
    new_body = NVIDIA_BODY.replace("SK Hynix.", "SK Hynix and Micron.")
    response = submit(ana, url, {**ana_form, "body": new_body, "summary": "Add Micron"}, follow=True)

    assert response.redirect_chain == [("/companies/nvidia/", 302)]
    [message] = messages_of(response)
    assert "merged" in message
    nvidia = reload(nvidia)
    assert nvidia.country == "TW" and lf(nvidia.body) == new_body
    history = history_rows(ana.get(PAGE_KINDS["company"].url("history", "nvidia")))
    assert [row["who"] for row in history] == ["ana", "bob", "bob"]
    assert [row["merged"] for row in history] == [True, False, False]
    assert "Add Micron (merged with revision" in history[0]["summary"]


def test_an_overlapping_edit_is_refused_with_both_texts_and_can_be_saved_again(analyst, other_analyst, nvidia):
    url = PAGE_KINDS["company"].url("edit", "nvidia")
    ana, bob = logged_in(analyst), logged_in(other_analyst)
    ana_form, bob_form = form_data(ana.get(url)), form_data(bob.get(url))
    bobs_body = NVIDIA_BODY.replace("grew fastest", "grew fastest in 2024")
    assert submit(bob, url, {**bob_form, "body": bobs_body, "summary": "Year"}).status_code == 302
    current_revision = editing.latest_revision_id(nvidia)

    anas_body = NVIDIA_BODY.replace("grew fastest", "is most of its revenue")
    response = submit(ana, url, {**ana_form, "body": anas_body, "summary": "Revenue mix"})

    assert response.status_code == 409
    doc = parse(response)
    conflict = doc.find("section", cls="conflict")
    assert "bob saved this page" in " ".join(conflict.text.split())
    assert "grew fastest in 2024" in conflict.find("div", cls="conflict-current").text
    assert "is most of its revenue" in conflict.find("div", cls="conflict-mine").text
    diff = conflict.find("div", cls="diff")
    assert diff.find_all("del") and diff.find_all("ins")
    again = form_data(response)
    assert lf(again["body"]) == anas_body, "the analyst's own text stays in the form"
    assert again["summary"] == "Revenue mix"
    assert again["base_revision"] == str(current_revision)
    assert lf(reload(nvidia).body) == bobs_body, "nothing of the refused edit was saved"

    resubmitted = submit(ana, url, again, follow=True)

    assert resubmitted.redirect_chain == [("/companies/nvidia/", 302)]
    assert lf(reload(nvidia).body) == anas_body
    assert messages_of(resubmitted) == ["Saved company “Nvidia”."]


def test_saving_again_after_a_conflict_keeps_the_other_edits_changes_that_did_not_clash(analyst, other_analyst, world):
    # Regression (issue 3 review): the conflict form used to hold only the analyst's own POST,
    # so saving it again silently undid the other editor's other changes.
    claim = world.revenue
    url = PAGE_KINDS["claim"].url("edit", claim.pk)
    ana, bob = logged_in(analyst), logged_in(other_analyst)
    ana_form, bob_form = form_data(ana.get(url)), form_data(bob.get(url))
    bob_data = add_citation_row(
        {**bob_form, "statement": "Bob's statement.", "credibility": "2"},
        source=str(world.keynote.pk),
        quote="Bob's added quote.",
    )
    assert submit(bob, url, bob_data).status_code == 302

    conflict = submit(ana, url, {**ana_form, "statement": "Ana's statement."})
    assert conflict.status_code == 409
    again = form_data(conflict)
    assert again["statement"] == "Ana's statement."
    assert again["credibility"] == "2", "Bob's credibility change is in the form"
    resaved = submit(ana, url, again)

    assert resaved.status_code == 302
    claim = reload(claim)
    assert (claim.statement, claim.credibility) == ("Ana's statement.", 2)
    assert "Bob's added quote." in list(claim.citations.values_list("quote", flat=True))


def test_a_form_opened_before_a_citation_was_removed_still_saves(analyst, other_analyst, world):
    # Regression (issue 3 review): the removed citation's id made the older form unsavable.
    claim = world.revenue
    url = PAGE_KINDS["claim"].url("edit", claim.pk)
    ana, bob = logged_in(analyst), logged_in(other_analyst)
    ana_form, bob_form = form_data(ana.get(url)), form_data(bob.get(url))
    assert submit(bob, url, {**bob_form, "citations-0-DELETE": "on"}).status_code == 302
    remaining = set(claim.citations.values_list("pk", flat=True))

    response = submit(ana, url, {**ana_form, "statement": "Reworded by ana."}, follow=True)

    assert response.redirect_chain == [(claim.get_absolute_url(), 302)]
    claim = reload(claim)
    assert claim.statement == "Reworded by ana."
    assert set(claim.citations.values_list("pk", flat=True)) == remaining, "bob's removal stands"


@pytest.mark.parametrize(
    "field, value",
    [("base_revision", "9" * 25), ("companies", "9" * 25), ("companies", "²"), ("citations-0-source", "9" * 25)],
)
def test_impossible_ids_in_a_form_are_refused_not_crashed(analyst, world, field, value):
    client = logged_in(analyst)
    url = PAGE_KINDS["claim"].url("edit", world.revenue.pk)
    response = submit(client, url, {**form_data(client.get(url)), field: value})
    assert response.status_code == 400


def test_reverting_to_a_huge_revision_number_is_a_404(analyst, world):
    client = logged_in(analyst)
    url = PAGE_KINDS["claim"].url("revert", world.revenue.pk, revision_id=int("9" * 25))
    assert client.post(url).status_code == 404


def test_a_claims_citations_are_edited_through_the_formset(analyst, world):
    client = logged_in(analyst)
    url = PAGE_KINDS["claim"].url("edit", world.revenue.pk)
    form = form_data(client.get(url))
    assert form["citations-TOTAL_FORMS"] == "3" and form["citations-INITIAL_FORMS"] == "2"
    data = {**form, "citations-1-quote": "Revenue was 115.2 billion US dollars.", "citations-0-DELETE": "on"}

    response = submit(client, url, data)

    assert response.status_code == 302
    assert list(world.revenue.citations.values_list("quote", flat=True)) == ["Revenue was 115.2 billion US dollars."]


def test_a_citation_both_analysts_reworded_is_shown_side_by_side_in_the_conflict(analyst, other_analyst, world):
    url = PAGE_KINDS["claim"].url("edit", world.revenue.pk)
    ana, bob = logged_in(analyst), logged_in(other_analyst)
    ana_form, bob_form = form_data(ana.get(url)), form_data(bob.get(url))
    assert submit(bob, url, {**bob_form, "citations-0-quote": "Bob's wording of the quote."}).status_code == 302

    response = submit(ana, url, {**ana_form, "citations-0-quote": "Ana's wording of the quote."})

    assert response.status_code == 409
    conflict = parse(response).find("section", cls="conflict")
    assert "Bob's wording of the quote." in conflict.find("div", cls="conflict-current").text
    assert "Ana's wording of the quote." in conflict.find("div", cls="conflict-mine").text
    assert form_data(response)["citations-0-quote"] == "Ana's wording of the quote."
