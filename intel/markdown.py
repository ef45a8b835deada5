"""Markdown to safe HTML: CommonMark with footnotes, tables and wiki links (markdown-it-py), then sanitised by nh3.

Wiki links are `[[Target]]` or `[[Target|label]]`. The renderer does not know what a
target means (`claim:12`, `cite:34`, `company:nvidia`): it hands every target of a text
to a resolver in one call, so a page costs one lookup however many links it has.

Sanitising happens after rendering, on the HTML itself, so nothing a body or a resolver
contains (raw HTML, odd URL schemes, entity tricks) reaches the page unless the allowlist
below lets it through.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

MAX_TARGET_LENGTH = 200


@dataclass(frozen=True)
class WikiTarget:
    """Where a wiki link goes and how it looks, as decided by whoever knows the pages."""

    url: str
    title: str
    state: str  # "page", "missing" or "citation"
    label: str = ""


LinkResolver = Callable[[set[str]], dict[str, WikiTarget]]


def _wiki_link_rule(state: StateInline, silent: bool) -> bool:
    """Turn `[[target|label]]` into one token, so code spans and code blocks keep it literal for free."""
    # No need to guard against <a> inside <a>: markdown-it refuses a link whose label holds another link-like token.
    if not state.src.startswith("[[", state.pos):
        return False
    end = state.src.find("]]", state.pos + 2)
    if end < 0:
        return False
    content = state.src[state.pos + 2 : end]
    if "\n" in content or "[" in content or "]" in content:
        return False
    target, separator, label = content.partition("|")
    target = target.strip()
    if not target or len(target) > MAX_TARGET_LENGTH:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = {"target": target, "label": label.strip() if separator else ""}
    state.pos = end + 2
    return True


def _render_wiki_link(self, tokens: list[Token], idx: int, options, env: dict) -> str:
    """Render one wiki link from what the resolver said about its target; everything emitted is escaped."""
    target = tokens[idx].meta["target"]
    resolved: WikiTarget | None = env.get("wiki_targets", {}).get(target)
    label = tokens[idx].meta["label"] or (resolved.label if resolved else "") or target
    # A state we do not know is treated like no answer rather than guessed at.
    if resolved is None or resolved.state not in {"page", "missing", "citation"}:
        return f'<span class="wikilink unresolved">{escapeHtml(label)}</span>'
    href, title = escapeHtml(resolved.url), escapeHtml(resolved.title)
    if resolved.state == "citation":
        return f'<sup class="cite-ref"><a href="{href}" title="{title}">[{escapeHtml(label)}]</a></sup>'
    css_class = "wikilink new" if resolved.state == "missing" else "wikilink"
    return f'<a class="{css_class}" href="{href}" title="{title}">{escapeHtml(label)}</a>'


def wiki_link_plugin(md: MarkdownIt) -> None:
    """Add `[[...]]` wiki links, ahead of the link rule so `[[x]]` is never read as a bracketed link."""
    md.inline.ruler.before("link", "wikilink", _wiki_link_rule)
    md.add_render_rule("wikilink", _render_wiki_link)


_renderer = (
    MarkdownIt("commonmark", {"html": False, "linkify": False})
    .use(footnote_plugin)
    .use(wiki_link_plugin)
    .enable("table")
)

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "ol", "p", "pre", "section", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
# No "class" here: nh3 refuses (panics) when a tag has both a "class" attribute and allowed_classes.
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "id"}, "li": {"id"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
# Exactly the classes our own renderers emit (footnote plugin and wiki links); code's language-* is dropped.
ALLOWED_CLASSES = {
    "a": {"wikilink", "new", "footnote-backref"},
    "sup": {"cite-ref", "footnote-ref"},
    "section": {"footnotes"},
    "hr": {"footnotes-sep"},
    "span": {"wikilink", "unresolved"},
    "ol": {"footnotes-list"},
    "li": {"footnote-item"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def _walk(tokens: Iterable[Token]) -> Iterable[Token]:
    """Every token, children included (inline content, footnote bodies)."""
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _targets_in(tokens: list[Token]) -> set[str]:
    return {token.meta["target"] for token in _walk(tokens) if token.type == "wikilink"}


def wiki_link_targets(text: str) -> set[str]:
    """The distinct, stripped targets of every [[...]] link in a markdown text (not those inside code spans or code blocks)."""  # noqa: E501
    return _targets_in(_renderer.parse(text or "", {}))


def render_markdown(text: str, *, resolve_links: LinkResolver | None = None) -> str:
    """Render markdown to HTML that is safe to mark as safe, resolving all wiki links in one resolver call."""
    env: dict = {}
    tokens = _renderer.parse(text or "", env)
    targets = _targets_in(tokens)
    env["wiki_targets"] = resolve_links(targets) if resolve_links and targets else {}
    return _sanitise(_renderer.renderer.render(tokens, _renderer.options, env))


def _sanitise(html: str) -> str:
    """Keep only allowlisted tags, attributes, classes and URL schemes, whatever produced the HTML."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
