"""The results page, /api/search/, ?search= on the lists, and an index that follows every edit."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from companies.models import Company
from intel import editing
from intel.models import Change, Claim
from intel.pages import PAGE_KINDS
from intel.services import citation_add
from search.models import SearchEntry
from tests.factories import ClaimFactory, CompanyFactory
from tests.intel.pagekit import assert_no_active_content, parse, service_edit

pytestmark = pytest.mark.django_db


def result_titles(response, kind: str) -> list[str]:
    section = parse(response).find("section", **{"data-kind": kind})
    return [link.text for link in section.find_all("a", cls="search-title")]


def api_search(**params):
    return APIClient().get("/api/search/", params, HTTP_HOST="localhost")


# ---------------------------------------------------------------------------
# The results page


def test_the_results_page_groups_ranks_and_marks(client, corpus):
    response = client.get("/search/", {"q": "英伟达"})
    assert response.status_code == 200
    doc = parse(response)
    sections = [section.get("data-kind") for section in doc.find_all("section", cls="search-group")]
    assert sections[0] == "company"  # the kind of the best result comes first
    assert result_titles(response, "company") == ["Nvidia"]
    marks = [mark.text for mark in doc.find("section", **{"data-kind": "company"}).find_all("mark")]
    assert marks == ["英偉達"]  # the alias, in the spelling the page has
    assert doc.find("a", cls="search-title").get("href") == "/companies/nvidia/"


def test_kind_filters_show_counts_and_keep_the_query(client, corpus):
    doc = parse(client.get("/search/", {"q": "nvidia"}))
    filters = {link.get("data-kind"): link.text for link in doc.find("nav", cls="search-kinds").find_all("a")}
    assert filters["company"] == "Companies (2)"
    assert filters["claim"] == "Claims (3)"
    only_claims = client.get("/search/", {"q": "nvidia", "kind": "claim"})
    sections = parse(only_claims).find_all("section", cls="search-group")
    assert [section.get("data-kind") for section in sections] == ["claim"]
    assert len(result_titles(only_claims, "claim")) == 3
    # The other kinds stay offered, with their counts.
    assert "Companies (2)" in parse(only_claims).find("nav", cls="search-kinds").text


def test_one_kind_pages_through_its_results(client, corpus, settings):
    from search import views

    views.PER_PAGE, saved = 2, views.PER_PAGE
    try:
        first = client.get("/search/", {"q": "nvidia", "kind": "claim"})
        second = client.get("/search/", {"q": "nvidia", "kind": "claim", "page": 2})
    finally:
        views.PER_PAGE = saved
    assert len(result_titles(first, "claim")) == 2
    assert parse(first).find("a", rel="next")
    assert len(result_titles(second, "claim")) == 1
    assert not parse(second).find_all("a", rel="next")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "!!!"}, "punctuation alone"),
        ({"q": "n" * 10_000}, "at most 200 characters"),
        ({"q": "nvidia", "kind": "nonsense"}, "no kind of page called"),
        ({"q": "nvidia", "kind": "claim", "page": "0"}, "Page numbers go from 1"),
        ({"q": "nvidia", "kind": "claim", "page": "x"}, "Page numbers go from 1"),
    ],
)
def test_bad_searches_get_a_clear_message_and_a_400(client, corpus, params, message):
    response = client.get("/search/", params)
    assert response.status_code == 400
    assert message in parse(response).find("ul", id="search-errors").text
    assert_no_active_content(response)


def test_an_empty_search_shows_a_hint_and_a_miss_offers_a_new_page(client, corpus):
    assert "Type a name" in client.get("/search/").text
    miss = client.get("/search/", {"q": "Cerebras"})
    assert miss.status_code == 200 and "Create a page called “Cerebras”" in miss.text


def test_the_search_box_is_on_every_page(client, corpus):
    for url in ["/", "/companies/nvidia/", f"/claims/{corpus.inference.pk}/", "/roadmap/"]:
        box = parse(client.get(url)).find("form", cls="search-box")
        assert box.get("action") == "/search/" and box.find("input").get("name") == "q"


def test_the_results_page_costs_the_same_queries_for_many_matches(client, corpus, django_assert_max_num_queries):
    ClaimFactory.create_batch(30, statement="Nvidia ships another rack.")
    with django_assert_max_num_queries(14):
        response = client.get("/search/", {"q": "nvidia"})
    assert "Claims (33)" in response.text


# ---------------------------------------------------------------------------
# The API


def test_the_api_returns_groups_with_marked_titles_and_snippets(corpus):
    response = api_search(q="推理")
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "推理"
    top = body["groups"][0]
    assert (top["kind"], top["total"]) == ("claim", 1)
    result = top["results"][0]
    assert result["title"]["text"] == "Nvidia lacks a comparable edge in inference."
    snippet = result["snippet"]
    assert snippet["field"] == "quote or translation"
    assert [snippet["text"][start:end] for start, end in snippet["highlights"]] == ["推理"]
    assert result["url"] == f"http://localhost/claims/{corpus.inference.pk}/"
    detail = APIClient().get(result["api_url"], HTTP_HOST="localhost")
    assert detail.status_code == 200 and detail.json()["statement"] == result["title"]["text"]


def test_the_api_filters_by_kind_and_pages(corpus):
    body = api_search(q="nvidia", kind="claim,company", limit=1).json()
    assert [group["kind"] for group in body["groups"]] == ["company", "claim"]
    assert [len(group["results"]) for group in body["groups"]] == [1, 1]
    repeated = APIClient().get("/api/search/?q=nvidia&kind=claim&kind=company&limit=1", HTTP_HOST="localhost")
    assert [group["kind"] for group in repeated.json()["groups"]] == ["company", "claim"]
    second = api_search(q="nvidia", kind="claim", limit=1, offset=1).json()
    first = api_search(q="nvidia", kind="claim", limit=1).json()
    assert second["groups"][0]["results"][0]["id"] != first["groups"][0]["results"][0]["id"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({}, "q", "required"),
        ({"q": ""}, "q", "blank"),
        ({"q": "!!!"}, "q", "punctuation alone"),
        ({"q": "x" * 10_000}, "q", "200 characters"),
        ({"q": "nvidia", "kind": "nonsense"}, "kind", "Unknown kind"),
        ({"q": "nvidia", "limit": "0"}, "limit", "greater than or equal to 1"),
        ({"q": "nvidia", "limit": "1000"}, "limit", "less than or equal to 50"),
        ({"q": "nvidia", "offset": "-1"}, "offset", "greater than or equal to 0"),
    ],
)
def test_bad_api_searches_are_a_400_naming_the_parameter(corpus, params, field, message):
    response = api_search(**params)
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])


@pytest.mark.parametrize(
    ("resource", "search", "expected"),
    [
        ("companies", "英伟达", ["Nvidia"]),  # the alias is in traditional characters
        ("companies", "nvdia", ["Nvidia"]),  # a typo
        ("claims", "推理", ["Nvidia lacks a comparable edge in inference."]),  # inside a quote
        ("milestones", "socket", ["First socketed Blackwell Ultra boards expected"]),
        ("sources", "推理", ["英偉達「激進」的產品路線圖"]),  # in the archived copy
    ],
)
def test_every_list_searches_through_the_index(corpus, resource, search, expected):
    response = APIClient().get(f"/api/{resource}/", {"search": search}, HTTP_HOST="localhost")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row.get("name") or row.get("statement") or row.get("title") for row in rows] == expected


def test_lists_without_pages_of_their_own_match_both_chinese_scripts(corpus):
    response = APIClient().get("/api/citations/", {"search": "英伟达"}, HTTP_HOST="localhost")
    assert [row["quote"] for row in response.json()["results"]] == ["AI推理英偉達就沒有如此明顯的優勢"]


def test_a_bad_list_search_is_a_400(corpus):
    response = APIClient().get("/api/companies/", {"search": "%%%"}, HTTP_HOST="localhost")
    assert response.status_code == 400
    assert "punctuation alone" in response.json()["errors"]["search"][0]


# ---------------------------------------------------------------------------
# The index follows every edit


def found(text: str, kind: str) -> list[str]:
    body = api_search(q=text, kind=kind).json()
    return [result["title"]["text"] for group in body["groups"] for result in group["results"]]


def test_a_renamed_company_is_found_by_its_new_name_only(corpus, analyst):
    service_edit(corpus.amd, analyst, name="Advanced Micro Devices", aliases=["AMD"])
    assert found("advanced micro", "company") == ["Advanced Micro Devices"]
    service_edit(Company.objects.get(pk=corpus.amd.pk), analyst, name="Team Red", aliases=[])
    assert found("advanced micro", "company") == []
    assert found("team red", "company") == ["Team Red"]


def test_renaming_a_vendor_reindexes_the_pages_that_show_its_name(corpus, analyst):
    service_edit(corpus.nvidia, analyst, name="Nvidia Corporation", aliases=[])
    assert found("nvidia corporation", "product") == ["Blackwell Ultra"]


def test_a_new_citation_makes_its_claim_findable_by_the_quote(corpus, analyst):
    assert found("HBM3E", "claim") == []
    citation_add(author=analyst, claim=corpus.body_only, source=corpus.article, quote="采用HBM3E内存")
    assert found("HBM3E", "claim") == ["A hyperscaler plans its own accelerator."]
    assert found("內存", "claim") == ["A hyperscaler plans its own accelerator."]  # traditional finds simplified


def test_deleted_pages_leave_the_index_and_come_back_when_undeleted(corpus, analyst):
    kind = PAGE_KINDS["person"]
    pk = corpus.xu.pk
    editing.page_delete(kind=kind, page=corpus.xu, author=analyst, summary="Duplicate")
    change = Change.objects.filter(object_id=str(pk), content_type__model="person").first()
    assert found("Xu Lingjie", "person") == []
    assert not SearchEntry.objects.filter(kind="person", object_id=pk).exists()
    editing.page_undelete(kind=kind, change=change, author=analyst, summary="Not a duplicate")
    assert found("Xu Lingjie", "person") == ["Xu Lingjie"]


def test_a_revert_is_searched_as_reverted(corpus, analyst):
    kind = PAGE_KINDS["company"]
    before = editing.latest_revision_id(corpus.amd)
    service_edit(corpus.amd, analyst, body="Vandalised with gibberish zzyzx.")
    assert found("zzyzx", "company") == ["AMD"]
    editing.page_revert(kind=kind, page=Company.objects.get(pk=corpus.amd.pk), author=analyst, revision_id=before)
    assert found("zzyzx", "company") == []
    assert found("ZT Systems", "company") == ["AMD"]


def test_a_rolled_back_edit_leaves_the_index_as_it_was(corpus, analyst):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        service_edit(corpus.amd, analyst, name="Never Saved")
        raise RuntimeError("the request failed after the save")
    assert found("never saved", "company") == []
    assert found("amd", "company") == ["AMD"]


def test_rebuild_search_recreates_the_index_from_the_pages(corpus):
    CompanyFactory(name="Cerebras", slug="cerebras")
    SearchEntry.objects.all().delete()
    assert found("cerebras", "company") == []
    out = io.StringIO()
    call_command("rebuild_search", stdout=out)
    assert found("cerebras", "company") == ["Cerebras"]
    assert "company: 3 pages" in out.getvalue()
    assert first_result("英伟达") == ("company", "Nvidia")
    call_command("rebuild_search", "--kind", "claim", stdout=io.StringIO())
    assert SearchEntry.objects.filter(kind="company").count() == 3


def first_result(text: str) -> tuple[str, str]:
    top = api_search(q=text).json()["groups"][0]
    return top["kind"], top["results"][0]["title"]["text"]


def test_a_private_wiki_searches_only_for_signed_in_users(corpus, settings, analyst):
    settings.INTEL_PUBLIC_READ = False
    assert api_search(q="nvidia").status_code in (401, 403)
    client = APIClient()
    client.force_authenticate(analyst)
    assert client.get("/api/search/", {"q": "nvidia"}, HTTP_HOST="localhost").status_code == 200


def test_a_page_number_that_is_not_ascii_digits_is_a_400(client, corpus):
    response = client.get("/search/", {"q": "nvidia", "page": "²"})
    assert response.status_code == 400 and "Page numbers go from 1" in response.text


def test_list_search_and_the_ranked_search_agree_on_typos(corpus):
    for typo in ["blackwzzz", "blakwell", "nvdia"]:
        listed = {row["name"] for row in APIClient().get("/api/products/", {"search": typo}).json()["results"]}
        ranked = set(found(typo, "product"))
        assert listed == ranked, typo


def test_one_edit_that_replaces_a_claims_quotes_is_found_by_the_new_ones_only(corpus, analyst):
    # The claim and its citations are saved in one edit, and the index takes the claim once, at its end:
    # what it holds is the edit's outcome, not a state half-way through the citations.
    claim = corpus.body_only
    citation_add(author=analyst, claim=claim, source=corpus.article, quote="An obsolete wording of the plan.")
    assert found("obsolete", "claim") == ["A hyperscaler plans its own accelerator."]
    fresh = Claim.objects.get(pk=claim.pk)

    editing.page_update(
        kind=PAGE_KINDS["claim"],
        page=fresh,
        author=analyst,
        values={},
        base_revision=editing.latest_revision_id(fresh),
        summary="Better quotes",
        citations=[
            {"source": corpus.article.pk, "quote": "A replacement wording of the plan."},
            {"source": corpus.article.pk, "quote": "自研加速器"},
        ],
    )

    assert found("obsolete", "claim") == []
    assert found("replacement", "claim") == ["A hyperscaler plans its own accelerator."]
    assert found("加速器", "claim") == ["A hyperscaler plans its own accelerator."]
