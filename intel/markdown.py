"""Markdown to safe HTML: CommonMark with footnotes (markdown-it-py), then sanitised by nh3.

Sanitising happens after rendering, on the HTML itself, so nothing a body contains
(raw HTML, odd URL schemes, entity tricks) reaches the page unless the allowlist
below lets it through.
"""

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).use(footnote_plugin).enable("table")

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "ol", "p", "pre", "section", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "id"}, "li": {"id"}, "sup": {"id", "class"}, "section": {"class"},
                      "ol": {"start"}, "th": {"align"}, "td": {"align"}}  # fmt: skip
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    """Render markdown to HTML that is safe to mark as safe."""
    html = _renderer.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
