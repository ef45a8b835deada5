"""Where the query is in a page's text: marked titles and short snippets around the first match.

Matching runs on the normalised text quotes are anchored in (intel.anchoring), so 英偉達 in a
source is marked for a query 英伟达, and the marks are mapped back to the text as written.
English words are marked from their stem ("socket" marks "socketed", "inference" is marked for
"inferring").
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from intel.anchoring import normalise
from intel.markdown import render_markdown

# Characters of context a snippet shows, and how many of them come before the first match.
SNIPPET_CHARS = 200
BEFORE_MATCH = 60
ELLIPSIS = "…"


@dataclass(frozen=True)
class Marked:
    """A text with the spans (start, end) that matched the query."""

    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def html(self) -> SafeString:
        parts, done = [], 0
        for start, end in self.spans:
            parts.append(escape(self.text[done:start]))
            parts.append(f"<mark>{escape(self.text[start:end])}</mark>")
            done = end
        parts.append(escape(self.text[done:]))
        return mark_safe("".join(parts))


@dataclass(frozen=True)
class Snippet(Marked):
    field: str = ""  # what the text is: statement, quote, body, archived copy…


def pattern_for(words: list[tuple[str, bool]]) -> re.Pattern[str] | None:
    """A pattern finding the query's words (word starts for English, anywhere for Chinese), longest first."""
    alternatives = []
    for word, is_cjk in sorted(set(words), key=lambda item: -len(item[0])):
        if is_cjk:
            alternatives.append(re.escape(word))
        elif len(word) < 3:  # too short to stand for the words it starts: "a" marks "a", not "and"
            alternatives.append(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])")
        else:
            alternatives.append(rf"(?<![^\W_]){re.escape(word)}[^\W_]*")
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE)


def spans(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    """Where ``pattern`` matches ``text`` once normalised, as spans of ``text`` itself."""
    if not text or pattern is None:
        return []
    normalised = normalise(text)
    found = []
    for match in pattern.finditer(normalised.text):
        if match.end() > match.start():
            start, end = normalised.original_span(match.start(), match.end())
            if end > start and (not found or start >= found[-1][1]):
                found.append((start, end))
    return found


def plain_text(markdown: str) -> str:
    """A markdown body as the text a reader sees (links as their labels, no markup)."""
    return html.unescape(strip_tags(render_markdown(markdown))).strip()


def mark(text: str, pattern: re.Pattern[str] | None) -> Marked:
    return Marked(text, spans(text, pattern))


def snippet(fields: list[tuple[str, str]], pattern: re.Pattern[str] | None) -> Snippet | None:
    """The first field (in the order given) that contains the query, cut around the first match.

    With no field containing it (a page found by a typo in its name), the first non-empty
    field, unmarked.
    """
    for name, text in fields:
        found = spans(text, pattern)
        if found:
            return _cut(name, text, found)
    for name, text in fields:
        if text.strip():
            return _cut(name, text, [])
    return None


def _cut(name: str, text: str, found: list[tuple[int, int]]) -> Snippet:
    first = found[0][0] if found else 0
    start = max(0, first - BEFORE_MATCH)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", end - 20, end)
        end = space if space > start else end
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    shift = len(prefix) - start
    inside = [(max(s, start) + shift, min(e, end) + shift) for s, e in found if s < end and e > start]
    return Snippet(text=prefix + text[start:end] + suffix, spans=inside, field=name)
