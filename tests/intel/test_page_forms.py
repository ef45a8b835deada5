"""Creating pages through their forms: every kind, claims with citations, preview, size limits."""

from __future__ import annotations

import pytest
from reversion.models import Revision

from companies.models import Company
from intel import editing
from intel.choices import ChangeAction, ModerationState
from intel.models import Change, Claim, Source
from intel.pages import PAGE_KINDS, content_type_of, page_state
from products.models import Milestone
from tests.intel.pagekit import (
    KIND_KEYS,
    PREFILLED_BY_LINK,
    add_citation_row,
    expected_state,
    field_errors,
    form_data,
    lf,
    logged_in,
    make_page,
    messages_of,
    parse,
    reload,
    submit,
    typed_values,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# 3. Creating pages


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_an_analyst_creates_each_kind_of_page_through_its_form(analyst_client, analyst, deps, kind_key):
    kind = PAGE_KINDS[kind_key]
    url = kind.create_url()
    prefilled = PREFILLED_BY_LINK.get(kind_key)
    # Pages link to "new" forms with their company filled in (e.g. "Add a product" on a company page).
    form_page = analyst_client.get(url + (f"?{prefilled}={deps.company.slug}" if prefilled else ""))
    assert form_page.status_code == 200
    form = form_data(form_page)
    assert "base_revision" in form and "summary" in form
    if prefilled:
        assert form[prefilled] == str(deps.company.pk)

    response = submit(analyst_client, url, {**form, **typed_values(kind_key, deps), "summary": "New page"})

    assert response.status_code == 302
    title = typed_values(kind_key, deps)[kind.title_field]
    page = kind.model.objects.get(**{kind.title_field: title})
    assert response.url == page.get_absolute_url()
    state = page_state(kind, page)
    expected = expected_state(kind_key, deps)
    assert {name: state[name] for name in expected} == expected
    assert editing.latest_revision_id(page) is not None
    change = Change.objects.get(content_type=content_type_of(kind), object_id=str(page.pk))
    assert change.action == ChangeAction.CREATE
    assert change.revision.user == analyst and change.revision.comment == "New page"

    shown = analyst_client.get(response.url)
    assert messages_of(shown) == [f"Created {kind.label} “{page}”."]
    assert parse(shown).find("div", cls="body").find("strong")


def test_an_empty_name_is_refused_next_to_the_field_and_keeps_what_was_typed(analyst_client, deps):
    url = PAGE_KINDS["company"].create_url()
    form = form_data(analyst_client.get(url))
    typed = {**typed_values("company", deps), "name": ""}
    response = submit(analyst_client, url, {**form, **typed})

    assert response.status_code == 400
    assert field_errors(response, "name") == ["This field is required."]
    assert "Some fields need attention" in parse(response).find("div", cls="form-errors").text
    kept = form_data(response)
    for name in ("slug", "country", "website", "founded", "tracked"):
        assert kept[name] == typed[name]
    assert lf(kept["body"]) == typed["body"] and lf(kept["aliases"]) == typed["aliases"]
    assert not Company.objects.filter(slug="cerebras").exists()


def test_a_fuzzy_date_that_is_not_one_is_refused_next_to_the_field_and_kept(analyst_client, deps):
    url = PAGE_KINDS["milestone"].create_url()
    form = form_data(analyst_client.get(url))
    typed = {**typed_values("milestone", deps), "company": str(deps.company.pk), "target": "Q5 2025"}
    response = submit(analyst_client, url, {**form, **typed})

    assert response.status_code == 400
    [error] = field_errors(response, "target")
    assert "'Q5 2025' is not a fuzzy date" in error and "2025-Q3" in error
    kept = form_data(response)
    assert kept["target"] == "Q5 2025"
    assert kept["title"] == "Rubin ships" and kept["company"] == str(deps.company.pk)
    assert not Milestone.objects.filter(title="Rubin ships").exists()


def test_a_slug_in_use_is_refused_next_to_the_field_and_keeps_what_was_typed(analyst_client, deps):
    url = PAGE_KINDS["company"].create_url()
    form = form_data(analyst_client.get(url))
    typed = {**typed_values("company", deps), "slug": deps.company.slug}
    response = submit(analyst_client, url, {**form, **typed})

    assert response.status_code == 400
    assert field_errors(response, "slug") == ["Company with this Slug already exists."]
    kept = form_data(response)
    assert kept["name"] == "Cerebras" and kept["slug"] == deps.company.slug and kept["country"] == "US"
    assert Company.objects.filter(slug=deps.company.slug).get() == deps.company


@pytest.mark.parametrize(
    ("kind_key", "typed", "field"),
    [
        # A metric needs a value: the database's check, but the analyst must see it at "value".
        ("claim", {"kind": "metric", "metric": "revenue", "unit": "bn USD", "value": ""}, "value"),
        # A milestone that is done happened at some date (the help text of "actual" says so).
        ("milestone", {"status": "done", "actual": ""}, "actual"),
        # A founding year before 1600 is a typo.
        ("company", {"founded": "1066"}, "founded"),
    ],
)
def test_a_value_the_database_would_refuse_is_reported_next_to_its_field(analyst_client, deps, kind_key, typed, field):
    kind = PAGE_KINDS[kind_key]
    url = kind.create_url()
    form = form_data(analyst_client.get(url))
    values = {**typed_values(kind_key, deps), "company": str(deps.company.pk), **typed}
    if kind_key != "milestone":
        del values["company"]
    response = submit(analyst_client, url, {**form, **values})

    assert response.status_code == 400
    kept = form_data(response)
    for name, value in values.items():
        assert lf(kept.get(name, "")) == value, name
    assert not kind.model.objects.filter(**{kind.title_field: values[kind.title_field]}).exists()
    # The analyst must see which field to fix: the message belongs next to it, not only at the top.
    assert field_errors(response, field), parse(response).find("div", cls="form-errors").text


# ---------------------------------------------------------------------------
# 4. Claims and their citations


def test_a_claim_with_two_citations_one_to_a_new_source_leaves_that_source_pending(analyst_client, analyst, deps):
    url = PAGE_KINDS["claim"].create_url()
    form = form_data(analyst_client.get(url))
    data = add_citation_row(
        {**form, **typed_values("claim", deps)},
        new_source_title="TSMC supply-chain note",
        new_source_url="https://example.com/tsmc-note",
        new_source_publisher="DigiTimes",
        quote="CoWoS capacity doubles in 2026.",
        translation="",
        locator="para. 4",
    )
    response = submit(analyst_client, url, data)

    assert response.status_code == 302
    claim = Claim.objects.get()
    new_source = Source.objects.get(title="TSMC supply-chain note")
    assert new_source.moderation_state == ModerationState.PENDING
    assert new_source.url == "https://example.com/tsmc-note" and new_source.publisher == "DigiTimes"
    assert [(c.source, c.quote) for c in claim.citations.order_by("pk")] == [
        (deps.source, "Rubin is on track for Q3."),
        (new_source, "CoWoS capacity doubles in 2026."),
    ]
    assert Change.objects.filter(content_type=content_type_of(PAGE_KINDS["source"]), object_id=str(new_source.pk))
    page = parse(analyst_client.get(claim.get_absolute_url()))
    second = page.find("li", id="ref-2")
    assert "TSMC supply-chain note" in second.text and "Pending" in second.find("span", cls="moderation-pending").text


def test_a_claim_without_citations_is_refused_with_a_clear_message(analyst_client, deps):
    url = PAGE_KINDS["claim"].create_url()
    form = form_data(analyst_client.get(url))
    typed = {name: value for name, value in typed_values("claim", deps).items() if not name.startswith("citations-")}
    response = submit(analyst_client, url, {**form, **typed})

    assert response.status_code == 400
    editor = parse(response).find("section", cls="citations-editor")
    assert "A claim needs at least one citation to a source." in editor.find("ul", cls="errorlist").text
    assert lf(form_data(response)["statement"]) == typed["statement"]
    assert not Claim.objects.exists()


def test_a_citation_row_with_a_quote_but_no_source_is_refused_next_to_the_source(analyst_client, deps):
    url = PAGE_KINDS["claim"].create_url()
    form = form_data(analyst_client.get(url))
    data = {**form, **typed_values("claim", deps), "citations-0-source": ""}
    response = submit(analyst_client, url, data)

    assert response.status_code == 400
    assert field_errors(response, "citations-0-source") == ["Pick a source, or give the title of a new one below."]
    assert form_data(response)["citations-0-quote"] == "Rubin is on track for Q3."
    assert not Claim.objects.exists()


def test_two_new_sources_with_the_same_url_in_one_claim_are_refused_and_nothing_is_saved(analyst_client, deps):
    url = PAGE_KINDS["claim"].create_url()
    form = form_data(analyst_client.get(url))
    new_source = {"new_source_url": "https://example.com/same", "new_source_publisher": "Wire"}
    data = {**form, **typed_values("claim", deps)}
    data = add_citation_row(data, new_source_title="Wire story", quote="First quote.", **new_source)
    data = add_citation_row(data, new_source_title="Same wire story", quote="Second quote.", **new_source)
    sources, revisions = Source.objects.count(), Revision.objects.count()

    response = submit(analyst_client, url, data)

    assert response.status_code == 400
    assert (Source.objects.count(), Revision.objects.count(), Claim.objects.count()) == (sources, revisions, 0)
    assert form_data(response)["citations-1-new_source_url"] == "https://example.com/same"
    # The analyst is told what is wrong in words, not by the name of a database constraint.
    message = parse(response).find("div", cls="form-errors").text
    assert "Constraint “" not in message and "URL" in message, message


def test_removing_every_citation_of_a_claim_is_refused(analyst, world):
    client = logged_in(analyst)
    url = PAGE_KINDS["claim"].url("edit", world.revenue.pk)
    form = form_data(client.get(url))
    response = submit(client, url, {**form, "citations-0-DELETE": "on", "citations-1-DELETE": "on"})

    assert response.status_code == 400
    editor = parse(response).find("section", cls="citations-editor")
    assert "A claim needs at least one citation to a source." in editor.find("ul", cls="errorlist").text
    assert world.revenue.citations.count() == 2


# ---------------------------------------------------------------------------
# 7. Preview


def test_preview_of_a_new_page_renders_the_markdown_and_saves_nothing(analyst_client, deps):
    url = PAGE_KINDS["company"].create_url()
    form = form_data(analyst_client.get(url))
    revisions = Revision.objects.count()
    response = submit(analyst_client, url, {**form, **typed_values("company", deps)}, press="preview")

    assert response.status_code == 200
    preview = parse(response).find("section", cls="preview")
    assert preview.find("strong").text == "chips"
    assert form_data(response)["name"] == "Cerebras"
    assert not Company.objects.filter(slug="cerebras").exists()
    assert Revision.objects.count() == revisions


def test_preview_of_an_edit_renders_the_markdown_and_saves_nothing(analyst, world):
    client = logged_in(analyst)
    url = PAGE_KINDS["claim"].url("edit", world.revenue.pk)
    form = form_data(client.get(url))
    before = page_state(PAGE_KINDS["claim"], world.revenue)
    response = submit(
        client, url, {**form, "statement": "A *new* statement.", "body": "See [[Nvidia]]."}, press="preview"
    )

    assert response.status_code == 200
    preview = parse(response).find("section", cls="preview")
    assert preview.find("em").text == "new"
    assert preview.find("a", cls="wikilink").get("href") == "/companies/nvidia/"
    assert page_state(PAGE_KINDS["claim"], reload(world.revenue)) == before


# ---------------------------------------------------------------------------
# 12. Size limits


@pytest.mark.parametrize(
    ("kind_key", "field", "text"),
    [
        ("company", "body", "x" * 1001),
        ("company", "body", "英" * 334),  # 334 characters, 1,002 bytes: the limit is in bytes
        ("claim", "statement", "y" * 1001),
        ("claim", "body", "z" * 1001),
    ],
)
def test_a_text_over_the_size_limit_is_refused_naming_the_limit(settings, analyst_client, deps, kind_key, field, text):
    settings.INTEL_MAX_BODY_BYTES = 1000
    url = PAGE_KINDS[kind_key].create_url()
    form = form_data(analyst_client.get(url))
    revisions = Revision.objects.count()
    response = submit(analyst_client, url, {**form, **typed_values(kind_key, deps), field: text})

    assert response.status_code == 400
    [error] = field_errors(response, field)
    assert f"This text is {len(text.encode()):,} bytes; the limit is 1,000." in error
    assert Revision.objects.count() == revisions


def test_an_edit_over_the_size_limit_is_refused_and_a_text_at_the_limit_is_saved(settings, analyst, deps):
    settings.INTEL_MAX_BODY_BYTES = 1000
    page = make_page("company", author=analyst, deps=deps)
    client = logged_in(analyst)
    url = PAGE_KINDS["company"].url("edit", page.slug)
    form = form_data(client.get(url))

    refused = submit(client, url, {**form, "body": "b" * 1001})
    assert refused.status_code == 400
    assert "the limit is 1,000" in field_errors(refused, "body")[0]
    assert reload(page).body == "Standalone page."

    assert submit(client, url, {**form, "body": "b" * 1000}).status_code == 302
    assert reload(page).body == "b" * 1000
