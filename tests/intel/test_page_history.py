"""History, diffs, old revisions, revert, delete and undelete through the browser's door."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from companies.models import Company
from companies.services import company_create
from intel import editing
from intel.choices import ChangeAction, Role
from intel.models import Change
from intel.pages import PAGE_KINDS, page_state
from intel.views.pages import HISTORY_PER_PAGE
from tests.factories import UserFactory
from tests.intel.pagekit import (
    KIND_KEYS,
    Element,
    atom_entries,
    change_rows,
    exists,
    form_data,
    history_rows,
    logged_in,
    make_page,
    messages_of,
    parse,
    reload,
    service_edit,
    submit,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# 6. History, diffs, old revisions, revert, delete and undelete


def test_history_lists_revisions_newest_first_with_author_summary_and_size_change(client, edited_company):
    revisions = list(Change.objects.filter(object_id=str(edited_company.pk)).values_list("revision_id", flat=True))
    response = client.get(PAGE_KINDS["company"].url("history", "groq"))

    rows = history_rows(response)
    assert [row["revision"] for row in rows] == [str(revision) for revision in revisions]
    assert [row["who"] for row in rows] == ["ana", "bob", "ana"]
    assert [row["summary"] for row in rows] == ["Edited Shorter", "Edited Say what for", "Created First version"]
    # Size counts every field's text: name, slug, kind ("other"), country and body.
    assert [row["size"] for row in rows] == ["34 (−13)", "47 (+14)", "33 (+33)"]


def diff_sides(diff: Element) -> tuple[str, str, list[str]]:
    """The old and the new text a word diff was made of, and the pieces it marks as changed."""
    old, new, changed = [], [], []
    for child in diff.children:
        if isinstance(child, str):
            old.append(child)
            new.append(child)
        else:
            (old if child.tag == "del" else new).append(child.text)
            changed.append(child.text)
    return "".join(old), "".join(new), changed


def test_a_diff_shows_the_changed_fields_and_the_body_word_by_word(client, edited_company):
    first, second, _ = sorted(
        Change.objects.filter(object_id=str(edited_company.pk)).values_list("revision_id", flat=True)
    )
    response = client.get(PAGE_KINDS["company"].url("diff", "groq") + f"?from={first}&to={second}")

    assert response.status_code == 200
    table = parse(response).find("table", cls="diff-table")
    rows = {row.find("th").text: row for row in table.find("tbody").find_all("tr")}
    assert set(rows) == {"Country", "Body"}, "only the fields that changed"
    assert [cell.text for cell in rows["Country"].find_all("td")] == ["US", "CA"]
    body = rows["Body"].find("div", cls="diff")
    old, new, changed = diff_sides(body)
    assert (old, new) == ("Groq designs LPUs.", "Groq designs LPUs for inference.")
    assert body.find_all("ins") and "for inference" in " ".join(changed)
    assert not any("Groq" in piece or "designs" in piece for piece in changed), "word by word, not the whole text"

    words = client.get(PAGE_KINDS["company"].url("diff", "groq") + f"?from={second}")
    body = parse(words).find("table", cls="diff-table").find("div", cls="diff")
    old, new, changed = diff_sides(body)
    assert (old, new) == ("Groq designs LPUs for inference.", "Groq designs chips.")
    assert [item.text.strip() for item in body.find_all("ins")] == ["chips"]
    assert "LPUs" in body.find("del").text
    assert not any("Groq" in piece or "designs" in piece for piece in changed)


def test_an_old_revision_shows_the_page_as_it_was(client, edited_company):
    first = Change.objects.filter(object_id=str(edited_company.pk)).last().revision_id
    response = client.get(PAGE_KINDS["company"].url("revision", "groq", revision_id=first))

    assert response.status_code == 200
    doc = parse(response)
    fields = {row.find("th").text: row.find("td").text for row in doc.find("table", cls="infobox").find_all("tr")}
    assert fields["Country"] == "US"
    assert doc.find("div", cls="body").text.strip() == "Groq designs LPUs."


@pytest.mark.parametrize("bad", ["?from=abc", "?to=999999", "?from=1&to=999999"])
def test_a_diff_with_a_revision_of_no_such_page_is_a_404(client, edited_company, bad):
    assert client.get(PAGE_KINDS["company"].url("diff", "groq") + bad).status_code == 404


def test_revert_asks_first_then_restores_the_old_values_as_a_new_revision(analyst, edited_company):
    client = logged_in(analyst)
    first = Change.objects.filter(object_id=str(edited_company.pk)).last().revision_id
    url = PAGE_KINDS["company"].url("revert", "groq", revision_id=first)
    latest = editing.latest_revision_id(edited_company)

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert reload(edited_company).country == "CA", "a GET changes nothing"
    response = client.post(url, form_data(confirm), follow=True)

    assert response.redirect_chain == [("/companies/groq/", 302)]
    assert messages_of(response) == [f"Reverted to revision {first}."]
    groq = reload(edited_company)
    assert (groq.country, groq.body) == ("US", "Groq designs LPUs.")
    assert editing.latest_revision_id(groq) > latest
    change = Change.objects.filter(object_id=str(groq.pk)).first()
    assert change.action == ChangeAction.REVERT and change.revision.comment == f"Reverted to revision {first}"


def test_reverting_a_claim_brings_back_its_old_citations(analyst, world):
    first = editing.latest_revision_id(world.revenue)
    client = logged_in(analyst)
    edit_url = PAGE_KINDS["claim"].url("edit", world.revenue.pk)
    form = form_data(client.get(edit_url))
    response = submit(client, edit_url, {**form, "citations-0-quote": "A misquote.", "citations-1-DELETE": "on"})
    assert response.status_code == 302
    assert list(world.revenue.citations.values_list("quote", flat=True)) == ["A misquote."]

    revert = PAGE_KINDS["claim"].url("revert", world.revenue.pk, revision_id=first)
    assert client.post(revert, {"summary": "Undo misquote"}).status_code == 302

    assert list(world.revenue.citations.order_by("pk").values_list("quote", flat=True)) == [
        "數據中心收入創新高",
        "Revenue was 115.2 billion dollars.",
    ]


@pytest.mark.parametrize("kind_key", KIND_KEYS)
def test_delete_asks_first_and_undelete_brings_the_page_back_under_its_key(analyst, deps, kind_key):
    kind = PAGE_KINDS[kind_key]
    page = make_page(kind_key, author=analyst, deps=deps, name="Short lived")
    key, state = kind.key_of(page), page_state(kind, page)
    client = logged_in(analyst)

    confirm = client.get(kind.url("delete", key))
    assert confirm.status_code == 200 and exists(kind, key)
    deleted = client.post(kind.url("delete", key), form_data(confirm) | {"summary": "Test page"}, follow=True)
    assert deleted.redirect_chain == [("/changes/", 302)]
    assert not exists(kind, key)
    assert change_rows(deleted)[0]["what"].startswith("Deleted")
    history = client.get(kind.url("history", key))
    assert history.status_code == 200 and "was deleted" in history.text

    undeleted = client.post(kind.url("undelete", key), follow=True)

    assert undeleted.redirect_chain == [(kind.url("detail", key), 302)]
    assert messages_of(undeleted) == [f"Undeleted {kind.label} “{page}”."]
    assert page_state(kind, kind.model.objects.get(pk=page.pk)) == state
    assert [row["summary"].split()[0] for row in history_rows(client.get(kind.url("history", key)))] == [
        "Undeleted",
        "Deleted",
        "Created",
    ]


def test_a_page_others_refer_to_cannot_be_deleted_and_says_why(analyst, world):
    client = logged_in(analyst)
    url = PAGE_KINDS["company"].url("delete", "nvidia")
    confirm = parse(client.get(url))
    assert "cannot be deleted while other pages refer to it" in confirm.find("div", cls="error").text
    assert not confirm.find("article").find_all("form")

    response = client.post(url, {"summary": "try anyway"}, follow=True)

    assert response.redirect_chain == [("/companies/nvidia/", 302)]
    assert "cannot be deleted" in messages_of(response)[0]
    assert Company.objects.filter(slug="nvidia").exists()


BIG = "9" * 30  # a number no id column holds


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/companies/groq/diff/?from=²", 404),  # "²".isdigit() is True, but int("²") fails
        ("/companies/groq/diff/?to=" + BIG, 404),
        (f"/companies/groq/revisions/{BIG}/", 404),
        (f"/companies/groq/revert/{BIG}/", 404),
        (f"/claims/{BIG}/", 404),
        (f"/claims/{BIG}/history/", 404),
        ("/changes/?before=²", 200),
        ("/changes/?before=" + BIG, 200),
        ("/users/ana/?before=²", 200),
        ("/search/?q=²", 200),
        ("/search/?q=" + BIG, 200),
        ("/lookup/claim/?q=²", 200),
        ("/lookup/claim/?q=" + BIG, 200),
        ("/claims/new/?milestones=abc", 200),  # a prefill that names no page is ignored
        ("/claims/new/?companies=" + BIG, 200),
        ("/products/new/?vendor=²", 200),
        ("/milestones/new/?product=" + BIG, 200),
    ],
)
def test_odd_numbers_in_urls_are_answered_not_crashed(analyst_client, edited_company, url, status):
    assert analyst_client.get(url).status_code == status


def test_links_in_recent_changes_and_history_still_work_after_a_page_is_renamed(analyst, edited_company):
    client = logged_in(analyst)
    url = PAGE_KINDS["company"].url("edit", "groq")
    response = submit(client, url, {**form_data(client.get(url)), "slug": "groq-inc", "summary": "Rename"})
    assert response.url == "/companies/groq-inc/"

    links = set()
    for listing in ("/changes/", "/users/ana/", "/companies/groq-inc/history/"):
        table = parse(client.get(listing)).find("table")
        links |= {link.get("href") for link in table.find_all("a") if not link.get("href").startswith("/users/")}
    links |= {
        urlsplit(entry["link"]).path + "?" + urlsplit(entry["link"]).query
        for entry in atom_entries(client.get("/changes/feed/"))
    }
    broken = sorted(link for link in links if client.get(link).status_code != 200)
    assert broken == [], "links of older changes still name the old slug"


def test_only_moderators_rate_sources_whatever_the_form_posts(analyst, deps):
    moderator = UserFactory(username="mo", role=Role.MODERATOR)
    url = PAGE_KINDS["source"].url("edit", deps.source.pk)
    client = logged_in(analyst)
    form = form_data(client.get(url))
    assert "reliability" not in form, "the field is disabled for analysts"
    submit(client, url, {**form, "reliability": "A", "body": "Rated by ana?"})
    assert (reload(deps.source).reliability, reload(deps.source).body) == ("F", "Rated by ana?")

    client = logged_in(moderator)
    form = form_data(client.get(url))
    assert submit(client, url, {**form, "reliability": "B"}).status_code == 302
    assert reload(deps.source).reliability == "B"


def test_the_diff_of_a_claim_shows_a_citations_old_and_new_locator(analyst, world):
    client = logged_in(analyst)
    url = PAGE_KINDS["claim"].url("edit", world.revenue.pk)
    before = editing.latest_revision_id(world.revenue)
    assert submit(client, url, {**form_data(client.get(url)), "citations-0-locator": "p. 30"}).status_code == 302

    diff = parse(client.get(PAGE_KINDS["claim"].url("diff", world.revenue.pk) + f"?from={before}"))

    changed = diff.find("ul", cls="citation-diff").find("li", cls="changed")
    assert [node.text for node in changed.find_all("del")] == ["p. 3"]
    assert [node.text for node in changed.find_all("ins")] == ["p. 30"]


def test_a_long_history_is_read_fifty_revisions_at_a_time_back_to_the_first(analyst):
    page = company_create(author=analyst, name="Groq", slug="groq")
    for number in range(HISTORY_PER_PAGE + 10):
        service_edit(page, analyst, body=f"Version {number}.", summary=f"edit {number}")
    expected = list(
        Change.objects.filter(object_id=str(page.pk)).order_by("-revision_id").values_list("revision_id", flat=True)
    )
    assert len(expected) == HISTORY_PER_PAGE + 11  # the creation and the edits

    client = logged_in(analyst)
    first = client.get(PAGE_KINDS["company"].url("history", "groq"))
    assert [row["revision"] for row in history_rows(first)] == [str(r) for r in expected[:HISTORY_PER_PAGE]]
    older = parse(first).find("nav", cls="pager").find("a", rel="next").get("href")
    second = client.get(PAGE_KINDS["company"].url("history", "groq") + older)
    assert [row["revision"] for row in history_rows(second)] == [str(r) for r in expected[HISTORY_PER_PAGE:]]
    assert not parse(second).find("nav", cls="pager").find_all("a", rel="next")  # the first revision is here
    # The newest row of an older page can be compared and reverted to; the very first cannot be compared.
    actions = parse(second).find("table", cls="history").find("tbody").find_all("tr")
    assert "revert to this" in actions[0].text and "diff" in actions[0].text
    assert "diff" not in actions[-1].find("td", cls="actions").text


def test_a_history_page_asked_for_with_a_bad_revision_number_is_not_found(client, analyst):
    company_create(author=analyst, name="Groq", slug="groq")
    assert client.get(PAGE_KINDS["company"].url("history", "groq") + "?before=yesterday").status_code == 404
