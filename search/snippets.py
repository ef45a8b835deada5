"""Where the query is in a page's text: marked titles and short snippets around the first match.

Matching runs on the normalised text quotes are anchored in (intel.anchoring), so 英偉達 in a
source is marked for a query 英伟达, and the marks are mapped back to the text as written.
English words are marked by their stem, as the index matched them ("companies" marks
"company", "socket" marks "socketed").
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from intel.anchoring import normalise
from intel.markdown import render_markdown
from search.text import CJK_CHARS, SearchQuery, latin_marks_table, stem

# Characters of context a snippet shows, and how many of them come before the first match.
SNIPPET_CHARS = 200
BEFORE_MATCH = 60
ELLIPSIS = "…"


@functools.cache
def _one_to_one_latin_marks() -> dict[int, str]:
    """Accented Latin letters to their base letter, where that is one character: offsets stay put."""
    return {code: base for code, base in latin_marks_table().items() if len(base) == 1}


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


class Highlighter:
    """Finds the query's words in a text: English words whose stem is a query word's stem (or that
    start like the word being typed), and Chinese runs as they are, after folding the text as the
    index does (width, simplified characters, Latin accents), so the marks fall where the index matched.
    """

    def __init__(self, query: SearchQuery):
        latin = [term for term in query.terms if not term.cjk]
        self.stems = frozenset(term.tokens[0] for term in latin)
        self.prefixes = tuple(term.prefix for term in latin if term.prefix)
        runs = sorted({term.original for term in query.terms if term.cjk}, key=len, reverse=True)
        self.cjk = re.compile("|".join(map(re.escape, runs))) if runs else None
        # Only words that start like a query word can stem like it: a regular expression finds those,
        # so a long archived copy costs a scan, not a stemming of every word in it.
        starts = sorted({word[:3] for word in (*self.stems, *self.prefixes)}, key=len, reverse=True)
        alternatives = "|".join(map(re.escape, starts))
        word = rf"(?<![^\W_{CJK_CHARS}])(?:{alternatives})[^\W_{CJK_CHARS}]*"
        self.words = re.compile(word, re.IGNORECASE) if starts else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the query's words are in ``text``, as spans of ``text`` itself (sorted, not overlapping)."""
        if not text:
            return []
        normalised = normalise(text)
        folded = normalised.text.translate(_one_to_one_latin_marks())
        found = []
        for match in self.words.finditer(folded) if self.words is not None else ():
            word = match.group().casefold()
            if stem(word) in self.stems or (self.prefixes and word.startswith(self.prefixes)):
                found.append(match.span())
        if self.cjk is not None:
            found.extend(match.span() for match in self.cjk.finditer(folded))
        spans, end = [], -1
        for start, stop in sorted(found):
            original = normalised.original_span(start, stop)
            if start >= end and original[1] > original[0]:
                spans.append(original)
                end = stop
        return spans


def plain_text(markdown: str) -> str:
    """A markdown body as the text a reader sees (links as their labels, no markup)."""
    return html.unescape(strip_tags(render_markdown(markdown))).strip()


def mark(text: str, highlighter: Highlighter) -> Marked:
    return Marked(text, highlighter.spans(text))


def snippet(fields: list[tuple[str, str]], highlighter: Highlighter) -> Snippet | None:
    """The first field (in the order given) that contains the query, cut around the first match.

    With no field containing it (a page found by a typo in its name), the first non-empty
    field, unmarked.
    """
    for name, text in fields:
        found = highlighter.spans(text)
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
