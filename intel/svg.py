"""Server-rendered SVG charts: a small builder and the scales the charts share.

Roadmap timelines, metric charts and the company-relations diagram are drawn on the
server as inline SVG, so they need no JavaScript, print like text and can be read by
a screen reader (a ``<title>``, a ``<desc>`` and real ``<text>`` labels). Every label
is escaped here, once; the builder returns a ``SafeString`` for the template.

Built as strings rather than with a template: a roadmap of a thousand milestones is
tens of thousands of elements, and a template loop costs several times more per
element than an f-string (see docs/performance.md).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# Every chart's type: the page's own sans-serif, so charts read as part of the page (and print so).
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

# An average glyph is about 0.62 em wide in the sans-serif fonts we use (measured in Chromium); CJK glyphs a full em.
_AVERAGE_EM = 0.62


def text_width(text: str, size: float) -> float:
    """Roughly how wide ``text`` is at ``size`` px, for layout (no font metrics on the server)."""
    wide = 0 if text.isascii() else sum(1 for char in text if ord(char) >= 0x2E80)
    return size * (_AVERAGE_EM * (len(text) - wide) + wide)


def clip(text: str, width: float, size: float) -> str:
    """``text`` cut with an ellipsis so that it fits ``width`` px."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""


_ATTRIBUTE_NAMES: dict[str, str] = {}


def _attributes(attributes: dict) -> str:
    """Keyword arguments as SVG attributes: ``stroke_width`` → ``stroke-width``, ``class_`` → ``class``;
    numbers written as they are, everything else escaped."""
    parts = []
    for name, value in attributes.items():
        if value is None or value is False:
            continue
        attribute = _ATTRIBUTE_NAMES.get(name)
        if attribute is None:
            attribute = _ATTRIBUTE_NAMES[name] = name.rstrip("_").replace("_", "-")
        kind = type(value)
        if kind is float:
            parts.append(f' {attribute}="{value:.1f}"')
        elif kind is int:
            parts.append(f' {attribute}="{value}"')
        else:
            parts.append(f' {attribute}="{escape(str(value), quote=True)}"')
    return "".join(parts)


class Svg:
    """An SVG document built element by element; ``markup()`` gives the finished, escaped string.

    ``title`` and ``description`` become the ``<title>`` and ``<desc>`` a screen reader
    announces; ``html_id`` makes their ids unique when a page holds several charts.
    """

    def __init__(self, *, width: float, height: float, title: str, description: str, html_id: str, **attributes):
        self.width, self.height, self.html_id = width, height, html_id
        self.parts: list[str] = [
            f'<svg xmlns="{SVG_NAMESPACE}"'
            + _attributes(
                {
                    "id": html_id,
                    "viewBox": f"0 0 {math.ceil(width)} {math.ceil(height)}",
                    "width": math.ceil(width),
                    "height": math.ceil(height),
                    "role": "img",
                    "aria-labelledby": f"{html_id}-title {html_id}-desc",
                    "font_family": FONT_FAMILY,
                    **attributes,
                }
            )
            + ">",
            f'<title id="{escape(html_id)}-title">{escape(title)}</title>',
            f'<desc id="{escape(html_id)}-desc">{escape(description)}</desc>',
        ]

    def element(self, tag: str, text: str | None = None, /, **attributes) -> None:
        """One element; ``text`` is its escaped content."""
        inner = escape(text) if text is not None else ""
        if inner:
            self.parts.append(f"<{tag}{_attributes(attributes)}>{inner}</{tag}>")
        else:
            self.parts.append(f"<{tag}{_attributes(attributes)}/>")

    def text(self, x: float, y: float, text: str, **attributes) -> None:
        self.element("text", text, x=x, y=y, **attributes)

    def open(self, tag: str, **attributes) -> None:
        self.parts.append(f"<{tag}{_attributes(attributes)}>")

    def close(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def link(self, href: str, **attributes) -> None:
        """Open an ``<a>``: the element drawn next is a link (closed with ``close("a")``)."""
        self.open("a", href=href, **attributes)

    def raw(self, markup: str) -> None:
        """Markup built by this module (e.g. ``<defs>``), never user text."""
        self.parts.append(markup)

    def markup(self) -> SafeString:
        return mark_safe("".join([*self.parts, "</svg>"]))  # noqa: S308 — every text and attribute is escaped above


# ---------------------------------------------------------------------------
# Scales


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    major: bool = True


@dataclass(frozen=True)
class TimeScale:
    """Maps dates onto ``x0``…``x1``; ticks on years, or on quarters for a short span."""

    start: datetime.date
    end: datetime.date
    x0: float
    x1: float

    @classmethod
    def around(cls, dates: list[datetime.date], *, x0: float, x1: float) -> TimeScale:
        """A scale over whole years that covers every date given (at least one year)."""
        first, last = min(dates), max(dates)
        end = datetime.date(last.year + 1, 1, 1) if last.year < datetime.MAXYEAR else datetime.date.max
        return cls(datetime.date(first.year, 1, 1), end, x0, x1)

    def x(self, date: datetime.date) -> float:
        span = (self.end - self.start).days or 1
        return self.x0 + (self.x1 - self.x0) * (date - self.start).days / span

    def ticks(self, *, min_spacing: float = 56) -> list[Tick]:
        """Years, every 2, 5, 10… years when that many labels would not fit ``min_spacing`` px apart;
        quarters between them over three years or less."""
        span = self.end.year - self.start.year
        fits = max(2, int((self.x1 - self.x0) // min_spacing))
        step = 1 if span <= fits else int(nice_ticks(0, span, count=fits)[1])
        ticks = []
        quarters = span <= 3
        for year in range(self.start.year - self.start.year % step, self.end.year + 1, step):
            if year < datetime.MINYEAR:
                continue
            date = datetime.date(year, 1, 1)
            if self.start <= date <= self.end:
                ticks.append(Tick(self.x(date), str(year)))
            if quarters:
                for month in (4, 7, 10):
                    date = datetime.date(year, month, 1)
                    if self.start < date < self.end:
                        ticks.append(Tick(self.x(date), f"Q{month // 3 + 1}", major=False))
        return ticks


def nice_ticks(low: float, high: float, *, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 × a power of ten) that cover ``low``…``high``."""
    if high == low:
        high, low = (high + abs(high) * 0.5 + 1, low - abs(low) * 0.5) if low else (1.0, 0.0)
    raw_step = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw_step)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


@dataclass(frozen=True)
class LinearScale:
    """Maps values ``low``…``high`` onto ``y0`` (bottom) … ``y1`` (top)."""

    low: float
    high: float
    y0: float
    y1: float

    def y(self, value: float) -> float:
        span = (self.high - self.low) or 1
        return self.y0 + (self.y1 - self.y0) * (value - self.low) / span


def number_label(value: float) -> str:
    """A short label for an axis or a point: 3600 → "3,600", 2.5 → "2.5", 0.125 → "0.125"."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")
