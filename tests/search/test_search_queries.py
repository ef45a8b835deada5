"""What an analyst types and what comes first: words, Chinese of any length and script, aliases, typos.

The same assertions pass on SQLite (FTS5) and PostgreSQL (tsvector, pg_trgm): the tokens are
made in Python, so both databases find the same pages and the tiers rank them the same.
"""

from __future__ import annotations

import pytest

from search.selectors import QueryError, search

pytestmark = pytest.mark.django_db


def ranked(text: str, **options) -> list[tuple[str, str]]:
    """(kind, title) of every result, groups in their order."""
    results = search(text=text, **options)
    return [(group.kind.key, result.title.text) for group in results.groups for result in group.results]


def first(text: str) -> tuple[str, str]:
    return ranked(text)[0]


def titles(text: str, kind: str) -> list[str]:
    return [title for found_kind, title in ranked(text, kinds=[kind], limit=20) if found_kind == kind]


# ---------------------------------------------------------------------------
# Latin words and phrases


def test_a_word_finds_its_other_forms_by_stem(corpus):
    # "socket" finds the milestone titled "socketed" and the claim that says "socket".
    assert first("socket") == ("milestone", "First socketed Blackwell Ultra boards expected")
    assert "Nvidia will move GPUs to a pluggable socket design." in titles("socket", "claim")
    assert titles("sockets", "milestone") == ["First socketed Blackwell Ultra boards expected"]


def test_every_word_of_a_query_must_be_on_the_page(corpus):
    assert titles("blackwell ultra", "product") == ["Blackwell Ultra"]
    assert titles("blackwell ultra gpu", "product") == []
    assert titles("socket rival", "claim") == []


def test_case_and_accents_do_not_matter(corpus):
    assert first("NVIDIA") == first("nvidia") == ("company", "Nvidia")
    assert first("Nvídia") == ("company", "Nvidia")


def test_the_last_word_is_also_a_prefix_while_typing(corpus):
    assert first("Blackw")[1] in {"Blackwell", "Blackwell Ultra"}
    assert titles("xu lingj", "person") == ["Xu Lingjie"]


def test_common_english_words_alone_are_still_searched_as_whole_words(corpus):
    assert "Nvidia lacks a comparable edge in inference." in titles("a", "claim")
    assert titles("x", "person") == []  # one letter is a word, not the start of "Xu"


# ---------------------------------------------------------------------------
# Chinese


def test_a_two_character_word_is_found_inside_a_sentence(corpus):
    # 推理 sits inside the quote 「AI推理英偉達就沒有…」: no spaces around it.
    assert first("推理") == ("claim", "Nvidia lacks a comparable edge in inference.")
    assert titles("推理", "source") == ["英偉達「激進」的產品路線圖"]


def test_one_character_finds_the_words_it_starts_or_ends(corpus):
    assert "Nvidia" in titles("達", "company")
    assert "Nvidia" in titles("英", "company")
    assert titles("凰", "company") == []


def test_three_characters_match_as_a_phrase_not_as_separate_pairs(corpus):
    assert first("英伟达") == ("company", "Nvidia")
    assert titles("插槽式", "claim") == ["Nvidia will move GPUs to a pluggable socket design."]
    # 式插 is no pair of 插槽式設計: the characters are all there, not in that order.
    assert titles("式插槽", "claim") == []


def test_simplified_and_traditional_find_the_same_pages(corpus):
    for simplified, traditional in [("英伟达", "英偉達"), ("辉达", "輝達"), ("设计", "設計"), ("推理", "推理")]:
        assert ranked(simplified) == ranked(traditional)
        assert ranked(simplified)


def test_mixed_scripts_in_one_query(corpus):
    assert titles("插槽 socket", "claim") == ["Nvidia will move GPUs to a pluggable socket design."]
    assert titles("英伟达 socket", "claim") == []  # that claim's quote does not name Nvidia
    assert first("Nvidia 推理") == ("claim", "Nvidia lacks a comparable edge in inference.")


# ---------------------------------------------------------------------------
# Names, aliases, typos


def test_an_alias_finds_the_company_first_as_a_name(corpus):
    for alias in ["英偉達", "輝达", "NVIDIA"]:
        results = search(text=alias)
        top = results.groups[0].results[0]
        assert (top.kind.key, top.title.text, top.matched) == ("company", "Nvidia", "name")


@pytest.mark.parametrize(
    ("typo", "meant"),
    [("nvdia", ("company", "Nvidia")), ("Nvidai", ("company", "Nvidia")), ("Blakwell", ("architecture", "Blackwell"))],
)
def test_a_name_with_a_typo_is_found(corpus, typo, meant):
    assert first(typo) == meant
    top = search(text=typo).groups[0].results[0]
    assert top.matched == "similar name"


def test_a_typo_tolerance_that_does_not_invent_matches(corpus):
    assert search(text="zebra").groups == []
    # A typo is measured against names of as many words: "blackwell ultra" is no misspelt "Blackwell".
    assert titles("blackwell ultra", "architecture") == []
    assert titles("blackwel ultra", "product") == ["Blackwell Ultra"]
    assert "AMD" not in titles("and", "company")  # a stop word close to "amd" is no typo of it


# ---------------------------------------------------------------------------
# Ranking


def test_a_name_match_comes_before_a_body_match(corpus):
    # AMD's body mentions Nvidia; the company called Nvidia comes first, then AMD.
    assert titles("nvidia", "company") == ["Nvidia", "AMD"]
    assert titles("amd", "company") == ["AMD"]
    # Among claims, the statements that say Nvidia come before the claim that says it only in its body.
    claims = titles("nvidia", "claim")
    assert claims[-1] == "A hyperscaler plans its own accelerator."
    assert set(claims[:2]) == {
        "Nvidia lacks a comparable edge in inference.",
        "Nvidia will move GPUs to a pluggable socket design.",
    }


def test_groups_come_in_the_order_of_their_best_result(corpus):
    results = search(text="nvidia")
    assert results.groups[0].kind.key == "company"
    best = [group.results[0].score for group in results.groups]
    assert best == sorted(best, reverse=True)
    assert results.groups[0].total == 2


def test_a_kind_filter_and_pages_of_one_kind(corpus):
    every = titles("nvidia", "claim")
    assert [title for _, title in ranked("nvidia", kinds=["claim"], limit=1)] == every[:1]
    assert [title for _, title in ranked("nvidia", kinds=["claim"], limit=1, offset=1)] == every[1:2]
    assert ranked("nvidia", kinds=["claim"], limit=5, offset=len(every)) == []


# ---------------------------------------------------------------------------
# Snippets


def test_snippets_mark_the_match_in_the_text_as_written(corpus):
    results = search(text="推理", kinds=["claim"])
    snippet = results.groups[0].results[0].snippet
    assert snippet.field == "quote or translation"
    assert [snippet.text[start:end] for start, end in snippet.spans] == ["推理"]
    assert "<mark>推理</mark>" in snippet.html

    # Simplified query, traditional text: the traditional characters are marked.
    title = search(text="英伟达", kinds=["source"]).groups[0].results[0].title
    assert [title.text[start:end] for start, end in title.spans] == ["英偉達"]


def test_english_marks_cover_the_whole_word_the_stem_found(corpus):
    title = search(text="socket", kinds=["milestone"]).groups[0].results[0].title
    assert [title.text[start:end] for start, end in title.spans] == ["socketed"]


def test_snippets_escape_the_page_text(corpus, analyst):
    from companies.services import company_create

    company_create(author=analyst, name="Evil <b>Corp</b>", slug="evil", kind="other", body="<script>x</script> evil")
    result = search(text="evil", kinds=["company"]).groups[0].results[0]
    assert "<script>" not in result.snippet.html and "<b>" not in result.title.html
    assert "<mark>Evil</mark>" in result.title.html


# ---------------------------------------------------------------------------
# What cannot be searched


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Type something"),
        ("   ", "Type something"),
        ("!!!", "punctuation alone"),
        ("%_'\"\\", "punctuation alone"),
        ("(.*)+[", "punctuation alone"),
        ("n" * 10_000, "at most 200 characters"),
        (" ".join(["word"] * 40), "at most 16 words"),
    ],
)
def test_unsearchable_queries_say_why(corpus, text, message):
    with pytest.raises(QueryError, match=message):
        search(text=text)


@pytest.mark.parametrize(
    "text",
    ["' OR 1=1 --", "nvidia' ; DROP TABLE search_searchentry; --", "a:* & b", '"socket"*', "{tokens_a}: x", "AND"],
)
def test_query_syntax_of_either_database_is_just_text(corpus, text):
    search(text=text)  # no error: the characters are separators, the words are searched
    assert first("nvidia") == ("company", "Nvidia")


# ---------------------------------------------------------------------------
# Found in review (issue 7)


def test_marks_follow_the_index_accents_word_forms_and_chinese_neighbours(corpus):
    from search.snippets import Highlighter
    from search.text import parse_query

    def marked(query: str, text: str) -> list[str]:
        return [text[start:end] for start, end in Highlighter(parse_query(query)).spans(text)]

    assert marked("cafe", "Le Café de Flore") == ["Café"]
    assert marked("gpu", "英偉達將改变GPU芯片") == ["GPU"]
    assert marked("nvidia", "Nvidia推出了新的芯片") == ["Nvidia"]  # the mark stops where Chinese starts
    assert marked("companies", "A company, two companies") == ["company", "companies"]
    assert marked("a", "a cat ate") == ["a"]
    assert marked("英伟达 gb200", "英偉達(dá)的GB200機櫃") == ["英偉達", "GB200"]


def test_a_name_only_somewhat_like_the_query_adds_nothing_to_the_rank(corpus, analyst):
    from companies.services import company_create

    company_create(author=analyst, name="Rubyn", slug="rubyn", kind="other", body="About rubin.")
    company_create(author=analyst, name="Zed", slug="zed", kind="other", body="About rubin.")
    results = search(text="rubin", kinds=["company"]).groups[0].results
    assert {result.title.text for result in results} == {"Rubyn", "Zed"}
    assert all(result.tier == 0 and result.score < 1 for result in results)  # "rubyn" is 0.33 like "rubin"


def test_a_word_too_long_to_be_one_is_refused_as_such(corpus):
    with pytest.raises(QueryError, match="at most 64 letters"):
        search(text="sha256:" + "a" * 65)


def test_long_names_and_aliases_save_and_are_found(corpus, analyst):
    from companies.services import company_create

    company_create(author=analyst, name="Acme", slug="acme", kind="other", aliases=["acme " + "x" * 400])
    company_create(author=analyst, name="Big " + "㎑" * 148, slug="big", kind="other")  # ㎑ folds to "khz"
    assert titles("acme", "company") == ["Acme"]
    assert titles("big", "company") == ["Big " + "㎑" * 148]


def test_aliases_that_are_not_a_list_of_strings_do_not_break_saving(corpus):
    from companies.models import Company

    Company.objects.create(name="Odd", slug="odd", kind="other", aliases=5)
    Company.objects.create(name="Odder", slug="odder", kind="other", aliases="NVDA")
    assert titles("odd", "company") == ["Odd", "Odder"]  # Odder starts like it
    assert "Odder" not in titles("a", "company")  # the string is not four one-letter aliases


def test_pages_of_results_are_cut_from_one_ranked_set(corpus, analyst, monkeypatch):
    from search import backends
    from tests.factories import MilestoneFactory

    for number in range(6):
        MilestoneFactory(title=f"Report {number}", product=corpus.ultra, company=corpus.nvidia, body="blackwell")
    MilestoneFactory(title="Blackwell ramp", product=corpus.ultra, company=corpus.nvidia)
    monkeypatch.setattr(backends, "CANDIDATES_PER_KIND", 4)
    pages = [titles_page("blackwell", offset) for offset in (0, 2, 4)]
    seen = [title for page in pages for title in page]
    assert len(seen) == len(set(seen)) == 4  # no repeats, and nothing past the bound
    assert pages[2] == []


def titles_page(text: str, offset: int) -> list[str]:
    return [title for _, title in ranked(text, kinds=["milestone"], limit=2, offset=offset)]
