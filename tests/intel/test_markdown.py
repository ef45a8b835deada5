"""Markdown rendering: CommonMark and footnotes, wiki links and citations, and the sanitiser that guards them."""

import re
from html.parser import HTMLParser

import pytest

from intel.markdown import (
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    WikiTarget,
    _sanitise,
    render_markdown,
    wiki_link_targets,
)
from tests.hostile import XSS_PAYLOADS


class _Collector(HTMLParser):
    """Real tags and attributes of a rendered fragment; escaped text like `&lt;script&gt;` is not a tag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def parse_tags(html: str) -> list[tuple[str, dict[str, str]]]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.tags


def resolver_from(targets: dict[str, WikiTarget]):
    """A resolver over a fixed table that records what it was asked, to check it is asked once."""
    calls: list[set[str]] = []

    def resolve(wanted: set[str]) -> dict[str, WikiTarget]:
        calls.append(set(wanted))
        return {target: targets[target] for target in wanted if target in targets}

    resolve.calls = calls
    return resolve


PAGE = WikiTarget(url="/companies/nvidia/", title="NVIDIA", state="page", label="NVIDIA Corp.")
MISSING = WikiTarget(url="/pages/new/?title=Acme", title="Create page Acme", state="missing")
CITATION = WikiTarget(url="/citations/34/", title="Reuters, 2024-03-01", state="citation", label="34")


# CommonMark, tables and footnotes


def test_commonmark_basics_still_render():
    html = render_markdown("# Title\n\nSome *emphasis* and **strong**.\n\n- one\n- two\n\n[site](https://example.com)")
    assert "<h1>Title</h1>" in html
    assert "<em>emphasis</em>" in html
    assert "<strong>strong</strong>" in html
    assert "<li>one</li>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">site</a>' in html


def test_empty_or_missing_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_footnote_reference_and_its_section_render():
    html = render_markdown("Revenue grew.[^1]\n\n[^1]: Annual report, p. 4.")
    assert '<sup class="footnote-ref"><a href="#fn1" id="fnref1"' in html
    assert '<hr class="footnotes-sep">' in html
    assert '<section class="footnotes">' in html
    assert '<ol class="footnotes-list">' in html
    assert '<li id="fn1" class="footnote-item"><p>Annual report, p. 4.' in html
    assert 'href="#fnref1" class="footnote-backref"' in html


def test_tables_render_without_style_attributes():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert "<table>" in html and "<td>1</td>" in html
    assert "style=" not in html


def test_code_block_language_class_is_dropped():
    html = render_markdown("```python\nx = 1\n```")
    assert "<pre><code>x = 1\n</code></pre>" in html


# Wiki links


def test_link_to_existing_page_is_a_wikilink():
    html = render_markdown("See [[company:nvidia]].", resolve_links=resolver_from({"company:nvidia": PAGE}))
    assert (
        '<a class="wikilink" href="/companies/nvidia/" title="NVIDIA" rel="noopener noreferrer nofollow">'
        "NVIDIA Corp.</a>" in html
    )


def test_link_to_missing_page_offers_to_create_it():
    html = render_markdown("See [[Acme]].", resolve_links=resolver_from({"Acme": MISSING}))
    assert '<a class="wikilink new" href="/pages/new/?title=Acme" title="Create page Acme"' in html
    assert ">Acme</a>" in html


def test_citation_target_renders_as_a_superscript_reference():
    html = render_markdown("Shipped in March.[[cite:34]]", resolve_links=resolver_from({"cite:34": CITATION}))
    assert (
        '<sup class="cite-ref"><a href="/citations/34/" title="Reuters, 2024-03-01" '
        'rel="noopener noreferrer nofollow">[34]</a></sup>' in html
    )


def test_explicit_label_wins_over_the_resolver_label():
    html = render_markdown("[[company:nvidia| the GPU maker ]]", resolve_links=resolver_from({"company:nvidia": PAGE}))
    assert ">the GPU maker</a>" in html
    assert "NVIDIA Corp." not in html


def test_raw_target_is_the_label_when_neither_author_nor_resolver_gives_one():
    html = render_markdown("[[Acme]]", resolve_links=resolver_from({"Acme": MISSING}))
    assert ">Acme</a>" in html


def test_label_is_escaped_plain_text_not_markup():
    html = render_markdown("[[x|<b>hi</b> *there*]]", resolve_links=resolver_from({"x": PAGE}))
    assert "&lt;b&gt;hi&lt;/b&gt; *there*</a>" in html
    assert [tag for tag, _ in parse_tags(html)] == ["p", "a"]


def test_url_and_title_from_the_resolver_are_escaped():
    sneaky = WikiTarget(url='/p/?a=1&b="x"', title='"><script>alert(1)</script>', state="page")
    html = render_markdown("[[x]]", resolve_links=resolver_from({"x": sneaky}))
    (_, attributes) = parse_tags(html)[1]
    assert attributes["href"] == '/p/?a=1&b="x"'
    assert attributes["title"] == '"><script>alert(1)</script>'
    assert "<script" not in html


def test_target_the_resolver_did_not_return_renders_as_unresolved_text():
    html = render_markdown("[[Nowhere|<i>gone</i>]]", resolve_links=resolver_from({}))
    assert '<span class="wikilink unresolved">&lt;i&gt;gone&lt;/i&gt;</span>' in html


def test_without_a_resolver_wiki_links_render_as_unresolved_text():
    assert render_markdown("[[Acme]]") == '<p><span class="wikilink unresolved">Acme</span></p>\n'


def test_unknown_state_from_the_resolver_renders_as_unresolved_text():
    odd = WikiTarget(url="/x/", title="x", state="archived")
    html = render_markdown("[[x]]", resolve_links=resolver_from({"x": odd}))
    assert '<span class="wikilink unresolved">x</span>' in html


def test_resolver_is_called_once_with_the_exact_set_of_stripped_targets():
    resolve = resolver_from({"Acme": MISSING})
    render_markdown(
        "[[ Acme ]] and [[Acme|again]] and [[cite:34]].\n\n> [[company:nvidia]]\n\nNote[^1]\n\n[^1]: [[claim:12]]",
        resolve_links=resolve,
    )
    assert resolve.calls == [{"Acme", "cite:34", "company:nvidia", "claim:12"}]


def test_resolver_is_not_called_when_the_text_has_no_wiki_links():
    resolve = resolver_from({})
    render_markdown("Plain text with [a link](https://example.com) and `[[code]]`.", resolve_links=resolve)
    assert resolve.calls == []


def test_wiki_links_inside_inline_code_stay_literal():
    resolve = resolver_from({"x": PAGE})
    html = render_markdown("Write `[[x]]` to link.", resolve_links=resolve)
    assert "<code>[[x]]</code>" in html
    assert resolve.calls == []


def test_wiki_links_inside_fenced_and_indented_code_stay_literal():
    html = render_markdown("```\n[[x]]\n```\n\n    [[y]]\n", resolve_links=resolver_from({"x": PAGE, "y": PAGE}))
    assert "<pre><code>[[x]]\n</code></pre>" in html
    assert "<pre><code>[[y]]\n</code></pre>" in html
    assert "wikilink" not in html


def test_unterminated_wiki_link_stays_literal():
    html = render_markdown("Open [[Acme and\nclosed later]] here.", resolve_links=resolver_from({"Acme": PAGE}))
    assert "[[Acme and\nclosed later]]" in html
    assert "wikilink" not in html


def test_empty_target_stays_literal():
    assert render_markdown("[[ ]] and [[|label]]") == "<p>[[ ]] and [[|label]]</p>\n"


def test_overlong_target_stays_literal_and_the_limit_itself_is_a_link():
    at_limit, over_limit = "a" * 200, "b" * 201
    html = render_markdown(f"[[{at_limit}]] [[{over_limit}]]")
    assert f'<span class="wikilink unresolved">{at_limit}</span>' in html
    assert f"[[{over_limit}]]" in html


def test_target_containing_brackets_is_not_a_link():
    assert "wikilink" not in render_markdown("[[a]b]] and [[a[b]]")


def test_wiki_link_targets_lists_distinct_stripped_targets_outside_code():
    text = "[[ Acme ]] [[Acme|A]] [[cite:3]] `[[inline]]`\n\n```\n[[fenced]]\n```\n\n    [[indented]]\n"
    assert wiki_link_targets(text) == {"Acme", "cite:3"}


def test_wiki_link_targets_of_empty_text_is_empty():
    assert wiki_link_targets("") == set()


def test_resolver_returning_a_javascript_url_produces_no_javascript_href():
    evil = {
        "a": WikiTarget(url="javascript:alert(1)", title="t", state="page"),
        "b": WikiTarget(url=" JaVa\tScRiPt:alert(1)", title="t", state="missing"),
        "c": WikiTarget(url="&#106;avascript:alert(1)", title="t", state="citation"),
    }
    html = render_markdown("[[a]] [[b]] [[c]]", resolve_links=resolver_from(evil))
    hrefs = [attributes.get("href") for tag, attributes in parse_tags(html) if tag == "a"]
    # The entity is escaped, not decoded, so the third stays a harmless relative URL starting with "&".
    assert hrefs == [None, None, "&#106;avascript:alert(1)"]


# Sanitising: the XSS corpus (tests/hostile.py)

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "form", "input", "img", "base", "meta"}
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")


def _dangerous_url(value: str) -> bool:
    """Whether a URL would run code: browsers ignore whitespace and control characters and scheme case."""
    squeezed = re.sub(r"[\x00-\x20\x7f-\x9f]", "", value).lower()
    return squeezed.startswith(DANGEROUS_SCHEMES)


def assert_harmless(html: str) -> None:
    for tag, attributes in parse_tags(html):
        assert tag not in DANGEROUS_TAGS, html
        assert tag in ALLOWED_TAGS, html
        for name, value in attributes.items():
            assert not name.startswith("on"), html
            assert name != "style", html
            if name in {"href", "src", "action", "formaction", "xlink:href"}:
                assert not _dangerous_url(value), html
            if name == "class":
                assert set(value.split()) <= ALLOWED_CLASSES.get(tag, set()), html


def echo_resolver(targets: set[str]) -> dict[str, WikiTarget]:
    """The worst resolver: it puts the author's target straight into the URL, title and label."""
    states = ["page", "missing", "citation"]
    return {
        target: WikiTarget(url=target, title=target, state=states[len(target) % 3], label=target) for target in targets
    }


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_renders_harmless(payload):
    assert_harmless(render_markdown(payload))
    assert_harmless(render_markdown(payload, resolve_links=echo_resolver))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitiser_alone_neutralises_raw_html(payload):
    # markdown-it escapes raw HTML today; this holds even if it ever lets some through.
    assert_harmless(_sanitise(payload))


def test_sanitiser_keeps_only_allowlisted_classes():
    html = _sanitise('<a class="wikilink evil" href="/x">x</a><code class="language-js">y</code><p class="z">p</p>')
    assert html == '<a class="wikilink" href="/x" rel="noopener noreferrer nofollow">x</a><code>y</code><p>p</p>'
