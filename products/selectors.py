"""Reads for roadmaps: timelines and slips tables, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import F, QuerySet
from django.utils import timezone

from products.choices import CLOSED_MILESTONE_STATUSES
from products.fragments import slips_rows
from products.models import Milestone
from products.roadmap import MilestoneHistory, roadmap_histories, roadmap_milestones
from products.timeline import Timeline, roadmap_timeline


@dataclass
class Roadmap:
    """What a roadmap section shows: the timeline, the slips table and the milestones without a date."""

    timeline: Timeline
    histories: list[MilestoneHistory]
    show_company: bool = False  # the slips table names each milestone's company (a roadmap across companies)
    total: int | None = None  # the milestones there are, when only those nearest today are shown

    @property
    def partial(self) -> bool:
        """Only some of the milestones are shown (the rest are on the roadmap page)."""
        return self.total is not None and self.total > len(self.histories)

    @cached_property
    def slipped(self) -> list[MilestoneHistory]:
        """Milestones that slipped, most days first."""
        slipped = [history for history in self.histories if history.slip_count]
        return sorted(slipped, key=lambda h: (-h.days_slipped, -h.slip_count, h.milestone.title))

    @cached_property
    def slips_rows(self):
        """The slips table's rows (HTML built in Python: a roadmap can list hundreds)."""
        return slips_rows(self.slipped, show_company=self.show_company)

    @property
    def never_slipped(self) -> int:
        return len(self.histories) - len(self.slipped)

    @cached_property
    def upcoming(self) -> list[MilestoneHistory]:
        """Milestones not yet done or cancelled, soonest target first (undated last); those whose target
        has passed come first, marked overdue by the template."""
        open_ = [h for h in self.histories if h.milestone.status not in CLOSED_MILESTONE_STATUSES]
        return sorted(open_, key=lambda h: (h.milestone.target_date or datetime.date.max, h.milestone.pk))

    @cached_property
    def overdue(self) -> set[int]:
        """Ids of open milestones whose whole target period is behind us."""
        today = timezone.localdate()
        return {
            h.milestone.pk for h in self.upcoming if h.milestone.target is not None and h.milestone.target.end < today
        }


def nearest_today(
    queryset: QuerySet[Milestone], *, size: int, today: datetime.date | None = None
) -> tuple[list | None, int]:
    """Ids of the ``size`` milestones of ``queryset`` whose targets are nearest today (those without a date
    last), None when there are no more than that, and how many there are in all: one query of two columns."""
    today = today or timezone.localdate()
    rows = list(queryset.order_by().values_list("pk", "target_date"))
    if len(rows) <= size:
        return None, len(rows)
    nearest = sorted(rows, key=lambda row: (row[1] is None, abs((row[1] - today).days) if row[1] else 0, row[0]))
    return [pk for pk, _ in nearest[:size]], len(rows)


def roadmap(
    queryset: QuerySet[Milestone],
    *,
    title: str,
    html_id: str = "roadmap",
    show_company: bool = False,
    nearest: int | None = None,
) -> Roadmap:
    """The roadmap of the milestones in ``queryset``: drawn, and their slips computed from history.

    With ``nearest``, only that many milestones, those whose targets are nearest today: a page that
    shows a company's roadmap among much else stays readable (and fast) however many it has."""
    total = None
    if nearest is not None:
        ids, total = nearest_today(queryset, size=nearest)
        if ids is not None:
            queryset = queryset.filter(pk__in=ids)
    milestones = list(roadmap_milestones(queryset.order_by(F("target_date").asc(nulls_last=True), "title", "pk")))
    histories = roadmap_histories(milestones, queryset=queryset)
    timeline = roadmap_timeline(histories, html_id=html_id, title=title)
    return Roadmap(timeline=timeline, histories=histories, show_company=show_company, total=total)
