"""Roadmap timelines: milestones on a time axis, one lane per product, drawn as SVG on the server.

A fuzzy target is drawn as the period it names (a quarter is a short bar, a year a long
one); the first target, when the milestone has slipped since, as a dashed outline
behind it ("planned against actual"); the actual date as a diamond. Colour follows
the status, and every label says the status in words too, so the chart reads in black
and white and to a screen reader. Milestones without any date are not drawn: the
caller lists them under the chart.

The layout is computed here, in one pass over the milestones; the drawing uses
:mod:`intel.svg`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.safestring import SafeString

from intel.fragments import cached_url
from intel.fuzzydates import day_after
from intel.svg import Svg, TimeScale, clip, text_width
from products.choices import MilestoneStatus
from products.roadmap import MilestoneHistory

WIDTH = 960
LANE_LABEL_WIDTH = 200
PLOT_LEFT = LANE_LABEL_WIDTH + 10
PLOT_RIGHT = WIDTH - 20
AXIS_HEIGHT = 30
ROW_HEIGHT = 24
LANE_GAP = 8
LABEL_SIZE = 11
LABEL_MAX_WIDTH = 300
LEGEND_HEIGHT = 46

# Status colours: distinct in hue and in lightness, so they survive grey-scale printing.
STATUS_COLOURS = {
    MilestoneStatus.PLANNED: "#4f6fa8",
    MilestoneStatus.ON_TRACK: "#2e7d32",
    MilestoneStatus.AT_RISK: "#c77800",
    MilestoneStatus.DELAYED: "#c62828",
    MilestoneStatus.DONE: "#263238",
    MilestoneStatus.CANCELLED: "#9e9e9e",
}


@dataclass
class Lane:
    key: tuple
    label: str
    url: str
    rows: list[list[tuple[float, float]]] = field(default_factory=list)  # occupied x-extents per row
    # (row, milestone, its label, whether the label goes left of the bars)
    items: list[tuple[int, MilestoneHistory, str, bool]] = field(default_factory=list)


@dataclass
class Timeline:
    """A drawn roadmap: the SVG (None when nothing has a date) and the milestones it could not place."""

    svg: SafeString | None
    drawn: int
    undated: list = field(default_factory=list)


def _dates(history: MilestoneHistory) -> list[datetime.date]:
    milestone = history.milestone
    dates = []
    for fuzzy in (milestone.target, milestone.actual, history.first_target):
        if fuzzy is not None:
            dates += [fuzzy.start, fuzzy.end]
    return dates


def _lane_of(milestone, *, across_companies: bool) -> tuple[tuple, str]:
    company, product = milestone.company, milestone.product
    if product is None:
        return (company.name.casefold(), company.pk, "", 0), f"{company.name}{COMPANY_WIDE}"
    key = (company.name.casefold(), company.pk, product.name.casefold(), product.pk)
    return key, f"{company.name} · {product.name}" if across_companies else product.name


def _lane_url(milestone) -> str:
    if milestone.product is None:
        return cached_url("companies:company_detail", "slug", milestone.company.slug)
    return cached_url("products:product_detail", "slug", milestone.product.slug)


def status_words(history: MilestoneHistory) -> str:
    """ "delayed, slipped 2× (+184 days)": the status and the slips, in words."""
    milestone = history.milestone
    words = milestone.get_status_display().lower()
    if history.slip_count:
        times = "once" if history.slip_count == 1 else f"{history.slip_count}×"
        words += f", slipped {times} (+{history.days_slipped} days)"
    return words


def _tooltip(history: MilestoneHistory) -> str:
    milestone = history.milestone
    parts = [milestone.title, f"target {milestone.target.label}" if milestone.target else "no target date"]
    first = history.first_target
    if first is not None and milestone.target is not None and first != milestone.target:
        parts.append(f"first target {first.label}")
    if milestone.actual:
        parts.append(f"happened {milestone.actual.label}")
    parts.append(status_words(history))
    return " · ".join(parts)


def roadmap_timeline(
    histories: list[MilestoneHistory], *, html_id: str, title: str, today: datetime.date | None = None
) -> Timeline:
    """Lay out and draw ``histories`` (see :func:`products.roadmap.roadmap_histories`)."""
    today = today or timezone.localdate()
    dates_of = {id(history): _dates(history) for history in histories}
    dated = [history for history in histories if dates_of[id(history)]]
    undated = [history.milestone for history in histories if not dates_of[id(history)]]
    if not dated:
        return Timeline(svg=None, drawn=0, undated=undated)
    across_companies = len({history.milestone.company_id for history in dated}) > 1
    scale = TimeScale.around(
        [date for history in dated for date in dates_of[id(history)]] + [today], x0=PLOT_LEFT, x1=PLOT_RIGHT
    )

    lanes: dict[tuple, Lane] = {}
    for history in sorted(dated, key=lambda h: (min(dates_of[id(h)]), h.milestone.title, h.milestone.pk)):
        key, lane_label = _lane_of(history.milestone, across_companies=across_companies)
        lane = lanes.get(key) or lanes.setdefault(key, Lane(key, lane_label, _lane_url(history.milestone)))
        dates = dates_of[id(history)]
        left, right = scale.x(min(dates)) - 6, scale.x(day_after(max(dates))) + 6
        room_right, room_left = WIDTH - 8 - right - 6, left - 6 - PLOT_LEFT
        label = _label(history, room=max(room_right, room_left))
        label_width = text_width(label, LABEL_SIZE)
        label_left = label_width > room_right and room_left > room_right
        extent = (left - label_width - 6, right) if label_left else (left, right + label_width + 6)
        index = next((i for i, row in enumerate(lane.rows) if row[-1][1] + 4 < extent[0]), None)
        if index is None:
            index = len(lane.rows)
            lane.rows.append([])
        lane.rows[index].append(extent)
        lane.items.append((index, history, label, label_left))

    ordered = [lanes[key] for key in sorted(lanes)]
    height = AXIS_HEIGHT + sum(len(lane.rows) * ROW_HEIGHT + LANE_GAP for lane in ordered) + LEGEND_HEIGHT
    slipped = sum(1 for history in dated if history.slip_count)
    every_date = [date for history in dated for date in dates_of[id(history)]]
    first_year, last_year = min(every_date).year, max(every_date).year
    description = (
        f"{_count(len(dated), 'milestone')} in {_count(len(ordered), 'lane')}, "
        f"from {first_year} to {last_year}; "
        f"{slipped} of them slipped at least once. Today is {today:%d %B %Y}."
        + (f" {len(undated)} more have no date yet and are listed below." if undated else "")
    )
    svg = Svg(
        width=WIDTH,
        height=height,
        title=title,
        description=description,
        html_id=html_id,
        role="group",
        class_="timeline",
    )
    svg.raw(
        "<defs>"
        f'<pattern id="{html_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="2" height="6" fill="#fff" fill-opacity="0.55"/></pattern>'
        "</defs>"
    )
    plot_bottom = height - LEGEND_HEIGHT
    _draw_axis(svg, scale, top=AXIS_HEIGHT, bottom=plot_bottom)

    y = AXIS_HEIGHT
    for number, lane in enumerate(ordered):
        lane_height = len(lane.rows) * ROW_HEIGHT
        if number % 2 == 0:
            svg.element("rect", x=0, y=y, width=WIDTH, height=lane_height + LANE_GAP, fill="#f4f6f8", class_="lane")
        svg.link(lane.url, aria_label=lane.label)
        svg.element("title", lane.label)  # the whole label on hover, when the column cuts it
        svg.text(
            8,
            y + ROW_HEIGHT / 2 + 4,
            _lane_text(lane.label),
            font_size=12,
            font_weight="600",
            fill="#1a2330",
            class_="lane-label",
        )
        svg.close("a")
        for row_index, history, label, label_left in lane.items:
            _draw_milestone(
                svg,
                scale,
                history,
                y=y + row_index * ROW_HEIGHT + LANE_GAP / 2,
                html_id=html_id,
                label=label,
                label_left=label_left,
            )
        y += lane_height + LANE_GAP

    x_today = scale.x(today)
    svg.element(
        "line",
        x1=x_today,
        y1=AXIS_HEIGHT - 6,
        x2=x_today,
        y2=plot_bottom,
        stroke="#c62828",
        stroke_width=1.5,
        stroke_dasharray="4 3",
        class_="today",
    )
    svg.text(x_today + 3, plot_bottom - 3, "today", font_size=10, fill="#c62828", class_="today-label")
    _draw_legend(svg, dated, y=plot_bottom + 14)
    return Timeline(svg=svg.markup(), drawn=len(dated), undated=undated)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


COMPANY_WIDE = " (company-wide)"


def _lane_text(label: str) -> str:
    """A lane's label cut to its column; a company-wide lane keeps its "(company-wide)" and cuts the name."""
    room = LANE_LABEL_WIDTH - 12
    if label.endswith(COMPANY_WIDE):
        return clip(label.removesuffix(COMPANY_WIDE), room - text_width(COMPANY_WIDE, 12), 12) + COMPANY_WIDE
    return clip(label, room, 12)


def _label(history: MilestoneHistory, *, room: float) -> str:
    """The milestone's title, cut to fit ``room`` px (and at most LABEL_MAX_WIDTH), then its status in words,
    which are never cut."""
    status = f" — {status_words(history)}"
    title_room = max(min(LABEL_MAX_WIDTH, room - text_width(status, LABEL_SIZE)), 60)
    return clip(history.milestone.title, title_room, LABEL_SIZE) + status


def _draw_axis(svg: Svg, scale: TimeScale, *, top: float, bottom: float) -> None:
    for tick in scale.ticks():
        if tick.position >= scale.x1 - 1:
            continue  # the end of the axis: its year has no room, and no milestone in it
        svg.element(
            "line",
            x1=tick.position,
            y1=top - 4,
            x2=tick.position,
            y2=bottom,
            stroke="#b0bac5" if tick.major else "#dde3e9",
            stroke_width=1,
            class_="grid",
        )
        svg.text(
            tick.position + 3,
            top - 10,
            tick.label,
            font_size=11 if tick.major else 9,
            fill="#3b4754" if tick.major else "#6b7785",
            class_="tick",
        )


def _period(svg: Svg, scale: TimeScale, start, end, *, y: float, height: float, **attributes) -> None:
    x0, x1 = scale.x(start), scale.x(day_after(end))
    svg.element("rect", x=x0, y=y, width=max(x1 - x0, 3), height=height, rx=2, **attributes)


def _diamond(svg: Svg, x: float, y: float, size: float, **attributes) -> None:
    svg.element("path", d=f"M{x:.1f} {y - size:.1f}l{size} {size}l{-size} {size}l{-size} {-size}z", **attributes)


def _draw_milestone(
    svg: Svg,
    scale: TimeScale,
    history: MilestoneHistory,
    *,
    y: float,
    html_id: str,
    label: str,
    label_left: bool,
) -> None:
    milestone = history.milestone
    colour = STATUS_COLOURS.get(milestone.status, "#4f6fa8")
    svg.link(
        cached_url("products:milestone_detail", "pk", milestone.pk), class_=f"milestone milestone-{milestone.status}"
    )
    svg.open("g")
    svg.element("title", _tooltip(history))
    middle = y + ROW_HEIGHT / 2 - 2
    first, target, actual = history.first_target, milestone.target, milestone.actual
    if history.slip_count and first is not None and target is not None and first != target:
        _period(
            svg,
            scale,
            first.start,
            first.end,
            y=middle - 7,
            height=14,
            fill="none",
            stroke=colour,
            stroke_width=1.2,
            stroke_dasharray="3 2",
            class_="planned",
        )
    left, right = float(WIDTH), 0.0
    if history.slip_count and first is not None and target is not None and first.end < target.start:
        # The slip itself: an arrow from where the milestone was first expected to where it is now.
        x0, x1 = scale.x(day_after(first.end)) + 2, scale.x(target.start) - 2
        if x1 - x0 > 6:
            svg.element(
                "line",
                x1=x0,
                y1=middle,
                x2=x1 - 4,
                y2=middle,
                stroke=colour,
                stroke_width=1.2,
                stroke_dasharray="2 2",
                class_="slip",
            )
            svg.element("path", d=f"M{x1:.1f} {middle:.1f}l-5 -3.5v7z", fill=colour, class_="slip")
    if target is not None:
        left = scale.x(target.start)
        hatch = milestone.status in (MilestoneStatus.AT_RISK, MilestoneStatus.DELAYED)
        _period(svg, scale, target.start, target.end, y=middle - 5, height=10, fill=colour, class_="target")
        if hatch:
            _period(svg, scale, target.start, target.end, y=middle - 5, height=10, fill=f"url(#{html_id}-hatch)")
        right = scale.x(day_after(target.end))
    if actual is not None:
        x = scale.x(actual.start + (actual.end - actual.start) / 2)
        _diamond(svg, x, middle, 6, fill="#111", stroke="#fff", stroke_width=1, class_="actual")
        left, right = min(left, x - 6), max(right, x + 6)
    if first is not None:
        left, right = min(left, scale.x(first.start)), max(right, scale.x(day_after(first.end)))
    opacity = 0.6 if milestone.status == MilestoneStatus.CANCELLED else None
    svg.text(
        left - 6 if label_left else right + 6,
        middle + 4,
        label,
        font_size=LABEL_SIZE,
        text_anchor="end" if label_left else None,
        fill="#1a2330",
        opacity=opacity,
        class_="milestone-label",
        text_decoration="line-through" if milestone.status == MilestoneStatus.CANCELLED else None,
    )
    svg.close("g")
    svg.close("a")


def _draw_legend(svg: Svg, histories: list[MilestoneHistory], *, y: float) -> None:
    present = [status for status in MilestoneStatus if any(h.milestone.status == status for h in histories)]
    svg.open("g", class_="legend")
    x = 8.0
    for status in present:
        svg.element("rect", x=x, y=y - 9, width=14, height=10, rx=2, fill=STATUS_COLOURS[status])
        label = status.label
        svg.text(x + 18, y, label, font_size=11, fill="#1a2330")
        x += 28 + text_width(label, 11)
    svg.element("rect", x=x, y=y - 10, width=22, height=12, fill="none", stroke="#4f6fa8", stroke_dasharray="3 2")
    svg.text(x + 27, y, "first target (before slips)", font_size=11, fill="#1a2330")
    x += 40 + text_width("first target (before slips)", 11)
    _diamond(svg, x + 6, y - 4, 6, fill="#111")
    svg.text(x + 16, y, "actual", font_size=11, fill="#1a2330")
    x += 30 + text_width("actual", 11)
    svg.element("line", x1=x, y1=y - 10, x2=x, y2=y + 2, stroke="#c62828", stroke_dasharray="4 3", stroke_width=1.5)
    svg.text(x + 6, y, "today", font_size=11, fill="#1a2330")
    svg.close("g")
