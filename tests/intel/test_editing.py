"""Editing pages through the one write path: revisions, concurrent edits merged or refused,
revert, delete and undelete. Nothing an analyst saves or types is lost."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from reversion.models import Version

from companies.models import Company
from companies.services import company_create
from intel import editing
from intel.choices import ChangeAction, Role
from intel.models import Change, Citation, Claim, PageLink, Watch
from intel.pages import PAGE_KINDS, page_state
from intel.services import claim_create
from intel.wikilinks import LINKS_HERE_SHOWN, what_links_here
from tests.factories import SourceFactory, UserFactory
from tests.intel.pagekit import parse

pytestmark = pytest.mark.django_db

COMPANY, CLAIM = PAGE_KINDS["company"], PAGE_KINDS["claim"]


@pytest.fixture
def ana(analyst):
    """Two analysts, ana and bob (tests/intel/pagekit.py), named as the stories call them."""
    return analyst


@pytest.fixture
def bob(other_analyst):
    return other_analyst


@pytest.fixture
def nvidia(ana):
    return company_create(
        author=ana,
        name="Nvidia",
        slug="nvidia",
        country="US",
        body="Nvidia designs GPUs.\n\nIts data-center business grew fastest.\n\nIt buys HBM from SK Hynix.",
    )


def company_values(company, **changes):
    values = {name: getattr(company, name) for name in COMPANY.fields}
    values.update(changes)
    return values


def edit_company(company, author, base, **changes):
    fresh = Company.objects.get(pk=company.pk)
    return editing.page_update(
        kind=COMPANY, page=fresh, author=author, values=company_values(fresh, **changes), base_revision=base
    )


def test_an_edit_is_a_revision_with_author_summary_and_a_change_line(nvidia, ana):
    base = editing.latest_revision_id(nvidia)
    result = editing.page_update(
        kind=COMPANY,
        page=nvidia,
        author=ana,
        values=company_values(nvidia, country="TW"),
        base_revision=base,
        summary="Fix the country",
    )
    assert result.changed and not result.merged
    assert Company.objects.get(pk=nvidia.pk).country == "TW"
    change = Change.objects.filter(object_id=str(nvidia.pk)).first()
    assert change.action == ChangeAction.EDIT
    assert change.revision.user == ana
    assert change.revision.comment == "Fix the country"
    assert editing.latest_revision_id(nvidia) == change.revision_id != base


def test_saving_without_changes_makes_no_revision(nvidia, ana):
    base = editing.latest_revision_id(nvidia)
    result = edit_company(nvidia, ana, base)
    assert not result.changed
    assert editing.latest_revision_id(nvidia) == base


def test_a_reader_cannot_edit(nvidia):
    reader = UserFactory(role=Role.READER)
    with pytest.raises(PermissionDenied):
        edit_company(nvidia, reader, editing.latest_revision_id(nvidia), country="CN")
    assert Company.objects.get(pk=nvidia.pk).country == "US"


def test_a_stale_edit_of_another_field_is_merged_and_noted_in_the_history(nvidia, ana, bob):
    base = editing.latest_revision_id(nvidia)
    edit_company(nvidia, ana, base, country="TW")
    result = edit_company(nvidia, bob, base, website="https://www.nvidia.com/")
    assert result.merged
    company = Company.objects.get(pk=nvidia.pk)
    assert (company.country, company.website) == ("TW", "https://www.nvidia.com/")
    change = Change.objects.filter(object_id=str(nvidia.pk)).first()
    assert change.merged and change.revision.user == bob
    assert "merged with revision" in change.revision.comment


def test_edits_to_different_paragraphs_of_the_body_are_merged(nvidia, ana, bob):
    base = editing.latest_revision_id(nvidia)
    edit_company(nvidia, ana, base, body=nvidia.body.replace("designs GPUs", "designs GPUs and CPUs"))
    edit_company(nvidia, bob, base, body=nvidia.body.replace("SK Hynix", "SK Hynix and Micron"))
    body = Company.objects.get(pk=nvidia.pk).body
    assert "designs GPUs and CPUs" in body
    assert "SK Hynix and Micron" in body


def test_the_same_paragraph_edited_twice_is_refused_and_both_texts_are_kept(nvidia, ana, bob):
    base = editing.latest_revision_id(nvidia)
    edit_company(nvidia, ana, base, body=nvidia.body.replace("designs GPUs", "designs accelerators"))
    after_ana = editing.latest_revision_id(nvidia)
    with pytest.raises(editing.EditConflict) as raised:
        edit_company(nvidia, bob, base, body=nvidia.body.replace("designs GPUs", "designs chips"))
    conflict = raised.value
    assert [item.name for item in conflict.conflicts] == ["body"]
    assert "designs chips" in conflict.conflicts[0].mine
    assert "designs accelerators" in conflict.conflicts[0].theirs
    assert conflict.current_revision == after_ana
    # Nothing of Bob's was written; Ana's edit stands.
    assert "designs accelerators" in Company.objects.get(pk=nvidia.pk).body
    # Bob resubmits from the current revision: accepted.
    edit_company(nvidia, bob, conflict.current_revision, body=nvidia.body.replace("designs GPUs", "designs chips"))
    assert "designs chips" in Company.objects.get(pk=nvidia.pk).body


def test_a_tampered_base_revision_is_a_conflict_not_an_overwrite(nvidia, ana, bob):
    edit_company(nvidia, ana, editing.latest_revision_id(nvidia), country="TW")
    with pytest.raises(editing.EditConflict):
        edit_company(nvidia, bob, 999_999, country="CN")
    assert Company.objects.get(pk=nvidia.pk).country == "TW"


def make_claim(author, *quotes):
    source = SourceFactory()
    return claim_create(
        author=author,
        statement="Blackwell shipments start in Q4.",
        citations=[{"source": source, "quote": quote} for quote in quotes],
    )


def claim_values(claim, **changes):
    values = {name: getattr(claim, name) for name in CLAIM.fields if name not in CLAIM.m2m_fields}
    values.update({name: list(getattr(claim, name).all()) for name in CLAIM.m2m_fields})
    values.update(changes)
    return values


def rows_of(claim):
    return [
        {
            "id": c.pk,
            "source": c.source,
            "speaker": c.speaker,
            "quote": c.quote,
            "translation": c.translation,
            "locator": c.locator,
        }
        for c in claim.citations.order_by("pk")
    ]


def test_two_analysts_adding_citations_at_once_keep_both(ana, bob):
    claim = make_claim(ana, "first quote")
    base, base_rows = editing.latest_revision_id(claim), rows_of(claim)
    new_source = SourceFactory()
    for author, quote in ((ana, "ana's quote"), (bob, "bob's quote")):
        fresh = Claim.objects.get(pk=claim.pk)
        editing.page_update(
            kind=CLAIM,
            page=fresh,
            author=author,
            values=claim_values(fresh),
            base_revision=base,
            citations=base_rows + [{"id": None, "source": new_source, "quote": quote}],
        )
    quotes = set(Citation.objects.filter(claim=claim).values_list("quote", flat=True))
    assert quotes == {"first quote", "ana's quote", "bob's quote"}


def test_a_citation_edited_by_one_and_removed_by_the_other_is_a_conflict(ana, bob):
    claim = make_claim(ana, "first quote", "second quote")
    base = editing.latest_revision_id(claim)
    rows = rows_of(claim)
    changed = [dict(rows[0], quote="first quote, corrected"), rows[1]]
    editing.page_update(
        kind=CLAIM, page=claim, author=ana, values=claim_values(claim), base_revision=base, citations=changed
    )
    with pytest.raises(editing.EditConflict):
        editing.page_update(
            kind=CLAIM,
            page=Claim.objects.get(pk=claim.pk),
            author=bob,
            values=claim_values(claim),
            base_revision=base,
            citations=[rows[1]],
        )
    assert Citation.objects.filter(claim=claim).count() == 2


def test_revert_restores_fields_and_citations_as_a_new_revision(ana):
    claim = make_claim(ana, "original quote")
    first = editing.latest_revision_id(claim)
    rows = rows_of(claim)
    editing.page_update(
        kind=CLAIM,
        page=claim,
        author=ana,
        values=claim_values(claim, statement="Blackwell shipments slip to Q1."),
        base_revision=first,
        citations=[dict(rows[0], quote="changed quote")],
    )
    result = editing.page_revert(kind=CLAIM, page=claim, author=ana, revision_id=first)
    claim.refresh_from_db()
    assert result.changed
    assert claim.statement == "Blackwell shipments start in Q4."
    assert list(claim.citations.values_list("quote", flat=True)) == ["original quote"]
    change = Change.objects.filter(object_id=str(claim.pk), content_type__model="claim").first()
    assert change.action == ChangeAction.REVERT
    assert Version.objects.get_for_object(claim).count() == 3


def test_a_deleted_claim_comes_back_with_its_citations_and_its_id(ana):
    claim = make_claim(ana, "quote one", "quote two")
    pk, citation_ids = claim.pk, set(claim.citations.values_list("pk", flat=True))
    editing.page_delete(kind=CLAIM, page=claim, author=ana, summary="Duplicate")
    assert not Claim.objects.filter(pk=pk).exists()
    deletion = Change.objects.filter(object_id=str(pk), content_type__model="claim").first()
    assert deletion.action == ChangeAction.DELETE and deletion.revision.comment == "Duplicate"

    restored = editing.page_undelete(kind=CLAIM, change=deletion, author=ana)
    assert restored.pk == pk
    assert set(restored.citations.values_list("pk", flat=True)) == citation_ids
    assert Change.objects.filter(object_id=str(pk), content_type__model="claim").first().action == "undelete"


def test_a_company_that_claims_are_about_cannot_be_deleted(nvidia, ana):
    claim = make_claim(ana, "a quote")
    claim.companies.add(nvidia)
    with pytest.raises(ValidationError, match="1 claim"):
        editing.page_delete(kind=COMPANY, page=nvidia, author=ana)
    assert Company.objects.filter(pk=nvidia.pk).exists()


def test_a_deleted_page_cannot_be_undeleted_over_a_new_page_with_its_slug(nvidia, ana):
    editing.page_delete(kind=COMPANY, page=nvidia, author=ana)
    company_create(author=ana, name="Nvidia again", slug="nvidia")
    deletion = Change.objects.filter(action=ChangeAction.DELETE).first()
    with pytest.raises(ValidationError, match="Slug already exists"):
        editing.page_undelete(kind=COMPANY, change=deletion, author=ana)


def test_an_analyst_cannot_rate_a_source_but_a_moderator_can(ana):
    from intel.services import source_create

    source = source_create(author=ana, title="A report", reliability="A")
    assert source.reliability == "F"
    moderator = UserFactory(role=Role.MODERATOR)
    state = page_state(PAGE_KINDS["source"], source)
    values = {**{k: v for k, v in state.items()}, "reliability": "B", "published_date": None}
    editing.page_update(
        kind=PAGE_KINDS["source"],
        page=source,
        author=moderator,
        values=values,
        base_revision=editing.latest_revision_id(source),
    )
    source.refresh_from_db()
    assert source.reliability == "B"


def test_wiki_links_in_a_body_show_under_what_links_here(nvidia, ana):
    amd = company_create(author=ana, name="AMD", slug="amd", body="Competes with [[Nvidia]] and [[Intel]].")
    assert set(PageLink.objects.filter(object_id=str(amd.pk)).values_list("target", flat=True)) == {"nvidia", "intel"}
    assert [link["title"] for link in what_links_here(COMPANY, nvidia)] == ["AMD"]


def test_creating_or_editing_a_page_watches_it(nvidia, ana, bob):
    assert Watch.objects.filter(user=ana, object_id=str(nvidia.pk)).exists()
    edit_company(nvidia, bob, editing.latest_revision_id(nvidia), country="TW")
    assert Watch.objects.filter(user=bob, object_id=str(nvidia.pk)).exists()


def test_a_missing_base_revision_is_a_conflict_not_last_save_wins(nvidia, ana, bob):
    edit_company(nvidia, ana, editing.latest_revision_id(nvidia), country="TW")
    with pytest.raises(editing.EditConflict):
        edit_company(nvidia, bob, None, country="CN")
    assert Company.objects.get(pk=nvidia.pk).country == "TW"


def test_a_conflict_carries_the_merge_of_everything_else(nvidia, ana, bob):
    base = editing.latest_revision_id(nvidia)
    edit_company(nvidia, ana, base, country="TW", body=nvidia.body.replace("designs GPUs", "designs accelerators"))
    with pytest.raises(editing.EditConflict) as raised:
        edit_company(nvidia, bob, base, founded=1993, body=nvidia.body.replace("designs GPUs", "designs chips"))
    proposed = raised.value.proposed_state
    assert proposed["country"] == "TW", "ana's change that did not clash"
    assert proposed["founded"] == 1993, "bob's change that did not clash"
    assert "designs chips" in proposed["body"], "bob's own text where it clashed"


def test_an_analyst_cannot_change_a_sources_rating_by_reverting(ana):
    from intel.services import source_create

    moderator = UserFactory(role=Role.MODERATOR)
    source = source_create(author=ana, title="A report")
    first = editing.latest_revision_id(source)
    state = page_state(PAGE_KINDS["source"], source)
    editing.page_update(
        kind=PAGE_KINDS["source"],
        page=source,
        author=moderator,
        values={**state, "reliability": "A", "published_date": None, "body": "Rated."},
        base_revision=first,
    )
    editing.page_revert(kind=PAGE_KINDS["source"], page=source, author=ana, revision_id=first)
    source.refresh_from_db()
    assert (source.reliability, source.body) == ("A", "")


def test_a_claim_whose_source_was_deleted_meanwhile_is_not_undeleted_without_its_citations(ana):
    claim = make_claim(ana, "the only quote")
    source = claim.citations.get().source
    editing.page_delete(kind=CLAIM, page=claim, author=ana)
    editing.page_delete(kind=PAGE_KINDS["source"], page=source, author=ana)
    deletion = Change.objects.filter(content_type__model="claim", action=ChangeAction.DELETE).first()
    with pytest.raises(ValidationError, match="undelete that source first"):
        editing.page_undelete(kind=CLAIM, change=deletion, author=ana)
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_a_body_over_the_limit_is_refused_by_the_service_too(nvidia, ana, settings):
    settings.INTEL_MAX_BODY_BYTES = 100
    with pytest.raises(ValidationError, match="the limit is 100"):
        edit_company(nvidia, ana, editing.latest_revision_id(nvidia), body="x" * 101)


def test_a_page_linked_from_many_lists_the_first_fifty_by_title(client, nvidia, ana):
    for number in range(LINKS_HERE_SHOWN + 5):
        company_create(author=ana, name=f"Linker {number:03d}", slug=f"linker-{number}", body="Buys from [[Nvidia]].")
    response = client.get("/companies/nvidia/")
    section = parse(response).find("section", cls="links-here")
    titles = [item.find("a").text for item in section.find("ul").find_all("li")]
    assert titles == [f"Linker {number:03d}" for number in range(LINKS_HERE_SHOWN)]
    assert section.find("p", cls="links-here-more").text == f"The first {LINKS_HERE_SHOWN}, by title."
