"""Showing an archived snapshot: its text with every cited quote highlighted (the reader view), and its
original bytes as a download (the reader view's link and the API's ``original``).

A snapshot can be a megabyte and its quotes can overlap (two claims citing
overlapping words), so the text is cut at every anchor boundary once and each piece
is escaped and wrapped in as many highlights as cover it. Built in Python with
``html.escape`` for the same reason as :mod:`intel.fragments`: a template would spend
most of its time on a megabyte of escaping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from django.http import HttpResponse
from django.utils.safestring import SafeString, mark_safe

from intel.fragments import cached_url


@dataclass(frozen=True)
class Highlight:
    """One cited quote's place in the text, and the claim it supports."""

    citation_id: int
    claim_id: int
    start: int
    end: int
    state: str
    title: str  # the claim's statement: shown on hover


def highlighted_text(text: str, highlights: list[Highlight]) -> SafeString:
    """The text as HTML, each highlight a <mark> linking to its claim's citation; overlaps nest."""
    valid = [h for h in highlights if 0 <= h.start < h.end <= len(text)]
    cuts = sorted({0, len(text), *(h.start for h in valid), *(h.end for h in valid)})
    first_piece = {}  # citation id → the start of its first piece, which carries the id="quote-N" target
    for highlight in valid:
        first_piece.setdefault(highlight.citation_id, highlight.start)
    by_start = sorted(valid, key=lambda h: (h.start, -h.end, h.citation_id))
    parts = []
    open_index = 0
    active: list[Highlight] = []
    for piece_start, piece_end in zip(cuts, cuts[1:], strict=False):
        while open_index < len(by_start) and by_start[open_index].start <= piece_start:
            active.append(by_start[open_index])
            open_index += 1
        active = [h for h in active if h.end > piece_start]
        piece = escape(text[piece_start:piece_end], quote=False)
        # The innermost (shortest) highlight wraps the text and carries the link; the ones
        # around it are plain marks, since links cannot nest.
        for depth, highlight in enumerate(sorted(active, key=lambda h: (h.end - h.start, h.citation_id))):
            first = first_piece[highlight.citation_id] == piece_start
            piece = _wrap(piece, highlight, first=first, link=depth == 0)
        parts.append(piece)
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


def _wrap(inner: str, highlight: Highlight, *, first: bool, link: bool) -> str:
    target = f' id="quote-{int(highlight.citation_id)}"' if first else ""
    if link:
        href = cached_url("intel:claim_detail", "pk", highlight.claim_id) + f"#citation-{int(highlight.citation_id)}"
        inner = f'<a href="{escape(href)}" title="{escape(highlight.title)}">{inner}</a>'
    return (
        f'<mark class="quote anchor-{escape(highlight.state)}"{target} data-citation="{int(highlight.citation_id)}">'
        f"{inner}</mark>"
    )


def original_download(snapshot) -> HttpResponse:
    """The bytes as they were uploaded, as a download: never rendered by the browser, whatever they hold."""
    response = HttpResponse(bytes(snapshot.original), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{_safe_filename(snapshot)}"'
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = snapshot_etag(snapshot)
    return response


def snapshot_etag(snapshot) -> str:
    """A snapshot never changes, so its content hash is its version."""
    return f'"sha256-{snapshot.sha256}"'


def _safe_filename(snapshot) -> str:
    """The uploaded name without paths or characters a header would choke on."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", (snapshot.filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    name = name.strip("._") or f"snapshot-{snapshot.pk}.{'html' if snapshot.format == 'html' else 'txt'}"
    return name[:120]
