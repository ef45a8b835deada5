"""Slips: every target a milestone was given, computed from its revision history.

A milestone's target is an ordinary field; its revisions keep every value it had.
Each save that changes the target (or the citation that states it) adds one
:class:`~products.models.MilestoneTarget` row to the same revision, saying how the new
target stands to the one before: first dated, slipped, pulled in, narrowed, widened,
restated or withdrawn. The rows can always be rebuilt from the stored revisions
(:func:`targets_rebuild`), so slips are computed, never typed.

How two fuzzy targets compare (each is a period, e.g. Q3 2025 = 1 July … 30 September):

- the same period again is *restated* (a new source confirmed it);
- a period inside the old one is *narrowed* (2025 → Q3 2025), one containing it *widened*;
- otherwise, if the latest possible date moved later it *slipped*, by that many days
  (Q3 → Q4 2025 is a slip of 92 days); if it moved earlier it was *pulled in*.

A revert undoes targets too: when a revert brings back a target recorded earlier, the
rows recorded after it are marked ``reverted`` and no longer count as slips (a vandal's
"2030" does not stay a slip).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import cached_property

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from intel.choices import ChangeAction
from intel.fuzzydates import FuzzyDate, fuzzy_date_of
from products.choices import TargetChange
from products.models import Milestone, MilestoneTarget

# ---------------------------------------------------------------------------
# Comparing targets


def target_change(previous: FuzzyDate | None, new: FuzzyDate | None, *, first: bool) -> tuple[TargetChange, int]:
    """How ``new`` stands to ``previous``, and by how many days it slipped (0 unless it slipped)."""
    if new is None:
        return TargetChange.UNDATED, 0
    if first or previous is None:
        return TargetChange.DATED, 0  # the first date a milestone is given
    if (new.start, new.end) == (previous.start, previous.end):
        return TargetChange.RESTATED, 0
    if new.start >= previous.start and new.end <= previous.end:
        return TargetChange.NARROWED, 0
    if new.start <= previous.start and new.end >= previous.end:
        return TargetChange.WIDENED, 0
    if new.end > previous.end:
        return TargetChange.SLIPPED, (new.end - previous.end).days
    return TargetChange.PULLED_IN, 0


@dataclass
class TargetRow:
    """One recorded target: a MilestoneTarget row, saved or about to be."""

    revision_id: int | None
    target: FuzzyDate | None
    citation_id: int | None
    change: TargetChange = TargetChange.DATED
    slip_days: int = 0
    reverted: bool = False
    pk: int | None = None

    @property
    def stated(self) -> tuple:
        return (self.target, self.citation_id)

    @classmethod
    def of(cls, row: MilestoneTarget) -> TargetRow:
        return cls(row.revision_id, row.target, row.citation_id, row.change, row.slip_days, row.reverted, row.pk)


def target_apply(
    rows: list[TargetRow], *, revision_id: int | None, target, citation_id, revert: bool = False
) -> tuple[TargetRow | None, list[TargetRow]]:
    """What one saved state adds to a milestone's rows: a new row (or None) and the rows a revert undoes.

    A revert that brings back a target recorded earlier undoes the targets recorded
    after it instead of adding one.
    """
    counted = [row for row in rows if not row.reverted]
    last = counted[-1] if counted else None
    if (last is None and target is None) or (last is not None and last.stated == (target, citation_id)):
        return None, []
    if last is not None and target is not None and target == last.target and citation_id is None:
        return None, []  # the same target, its quote dropped: nothing new was stated
    if revert:
        for index in range(len(counted) - 1, -1, -1):
            if counted[index].stated == (target, citation_id):
                return None, counted[index + 1 :]
    # Compared with the last firm date: a date withdrawn and given again, or a period widened and then
    # narrowed to a later one, slips by how far it moved from there (2025-Q3 → 2025 → 2025-Q4: 92 days).
    firm = next(
        (row.target for row in reversed(counted) if row.target is not None and row.change != TargetChange.WIDENED),
        None,
    )
    change, days = target_change(firm, target, first=firm is None)
    return TargetRow(revision_id, target, citation_id, change, days), []


# ---------------------------------------------------------------------------
# Recording, as part of every save of a milestone


def milestone_note_target(*, page: Milestone, action: str) -> None:
    """Add the milestone's new target to the revision being recorded, if it changed.

    Called by the wiki's editing machinery for every change of a milestone page
    (create, edit, revert, undelete, admin save), inside the revision.
    """
    if action == ChangeAction.DELETE:
        return  # the rows go with the milestone; an undelete rebuilds them from the revisions
    if action == ChangeAction.UNDELETE or (
        action != ChangeAction.CREATE and not page.targets.exists() and page.target is not None
    ):
        # Back from a deletion, or rows missing (data loaded in bulk): rebuild from the revisions first.
        targets_rebuild(milestone_ids=[page.pk])
    rows = [TargetRow.of(row) for row in page.targets.order_by("revision_id")]
    new, undone = target_apply(
        rows,
        revision_id=None,
        target=page.target,
        citation_id=page.target_citation_id,
        revert=action == ChangeAction.REVERT,
    )
    if undone:
        MilestoneTarget.objects.filter(pk__in=[row.pk for row in undone]).update(reverted=True)
    if new is not None:
        reversion.add_meta(
            MilestoneTarget,
            milestone=page,
            target=new.target,
            citation_id=new.citation_id,
            change=new.change,
            slip_days=new.slip_days,
        )


# ---------------------------------------------------------------------------
# Rebuilding from the stored revisions


def _state_of(serialized: str) -> tuple[FuzzyDate | None, int | None]:
    fields = json.loads(serialized)[0]["fields"]
    date, precision = fields.get("target_date"), fields.get("target_precision") or ""
    target = FuzzyDate(datetime.date.fromisoformat(date), precision) if date and precision else None
    return target, fields.get("target_citation")


def targets_replay(versions, *, revert_keys: set, live_ids: set) -> list[dict]:
    """The MilestoneTarget rows (as field dicts) that stored milestone versions make, replayed oldest first.

    ``versions`` yields (object_id, revision_id, serialized_data) ordered by revision; a
    revision in ``revert_keys`` (object_id, revision_id) is replayed as a revert. Plain data
    in and out, so the data migration runs the very same code as ``rebuild_roadmap_history``.
    """
    histories: dict[int, list[TargetRow]] = {}
    for object_id, revision_id, serialized in versions:
        milestone_id = int(object_id)
        if milestone_id not in live_ids:
            continue
        rows = histories.setdefault(milestone_id, [])
        target, citation_id = _state_of(serialized)
        new, undone = target_apply(
            rows,
            revision_id=revision_id,
            target=target,
            citation_id=citation_id,
            revert=(str(object_id), revision_id) in revert_keys,
        )
        for row in undone:
            row.reverted = True
        if new is not None:
            rows.append(new)
    return [
        {
            "milestone_id": milestone_id,
            "revision_id": row.revision_id,
            "target_date": row.target.date if row.target else None,
            "target_precision": row.target.precision.value if row.target else "",
            "citation_id": row.citation_id,
            "change": str(row.change),
            "slip_days": row.slip_days,
            "reverted": row.reverted,
        }
        for milestone_id, rows in histories.items()
        for row in rows
    ]


def targets_rebuild(*, milestone_ids=None) -> int:
    """Recompute the target rows of the given milestones (all when None) from their revisions; returns rows made.

    A revision whose Change line says it was a revert is replayed as one, so the
    rebuilt history discounts what reverts undid, as the live one does.
    """
    from reversion.models import Version

    from intel.models import Change

    content_type = ContentType.objects.get_for_model(Milestone)
    versions = Version.objects.filter(content_type=content_type, format="json").order_by("revision_id")
    existing = MilestoneTarget.objects.all()
    reverts = Change.objects.filter(content_type=content_type, action=ChangeAction.REVERT)
    live = Milestone.objects.all()
    if milestone_ids is not None:
        ids = [str(pk) for pk in milestone_ids]
        versions, reverts = versions.filter(object_id__in=ids), reverts.filter(object_id__in=ids)
        existing, live = existing.filter(milestone_id__in=milestone_ids), live.filter(pk__in=milestone_ids)
    with transaction.atomic():
        existing.delete()
        rows = targets_replay(
            versions.values_list("object_id", "revision_id", "serialized_data").iterator(),
            revert_keys=set(reverts.values_list("object_id", "revision_id")),
            live_ids=set(live.values_list("pk", flat=True)),
        )
        MilestoneTarget.objects.bulk_create([MilestoneTarget(**row) for row in rows], batch_size=1000)
    return len(rows)


# ---------------------------------------------------------------------------
# Reading


@dataclass
class TargetEntry:
    """One target in a milestone's history, as the slips table and the API show it."""

    row: MilestoneTarget

    @property
    def target(self) -> FuzzyDate | None:
        return self.row.target

    @property
    def change(self) -> str:
        return self.row.change

    @property
    def counted(self) -> bool:
        return not self.row.reverted

    @property
    def slip_days(self) -> int:
        return self.row.slip_days if self.counted else 0

    @property
    def recorded(self) -> datetime.datetime:
        return self.row.revision.date_created

    @property
    def citation(self):
        return self.row.citation

    @property
    def stated(self) -> datetime.date:
        """When the target was stated: the cited source's publication date, else the day it was recorded."""
        source = self.row.citation.source if self.row.citation_id and self.row.citation else None
        if source is not None and source.published_date:
            return source.published_date
        return self.recorded.date()


class MilestoneHistory:
    """A milestone's targets, oldest first, and what they add up to (each computed once)."""

    def __init__(self, milestone: Milestone, entries: list[TargetEntry] | None = None):
        self.milestone = milestone
        self.entries = entries or []

    @cached_property
    def counted(self) -> list[TargetEntry]:
        return [entry for entry in self.entries if entry.counted]

    @cached_property
    def slips(self) -> list[TargetEntry]:
        return [entry for entry in self.counted if entry.change == TargetChange.SLIPPED]

    @property
    def slip_count(self) -> int:
        return len(self.slips)

    @cached_property
    def days_slipped(self) -> int:
        return sum(entry.slip_days for entry in self.slips)

    @cached_property
    def first_target(self) -> FuzzyDate | None:
        return next((entry.target for entry in self.counted if entry.target is not None), None)

    @cached_property
    def late_days(self) -> int:
        """Days between the end of the last target and the start of the actual date, when it came later."""
        target, actual = self.milestone.target, self.milestone.actual
        if target is None or actual is None or actual.start <= target.end:
            return 0
        return (actual.start - target.end).days


def targets_prefetch() -> Prefetch:
    """Prefetch a milestone's target rows with what the history shows (one query, whatever the count)."""
    return Prefetch(
        "targets",
        queryset=MilestoneTarget.objects.select_related("revision__user", "citation__source").order_by("revision_id"),
    )


def milestone_histories(milestones) -> list[MilestoneHistory]:
    """Histories of milestones fetched with :func:`targets_prefetch`."""
    return [
        MilestoneHistory(milestone, [TargetEntry(row) for row in milestone.targets.all()]) for milestone in milestones
    ]


def milestone_history(milestone: Milestone) -> MilestoneHistory:
    rows = milestone.targets.select_related("revision__user", "citation__source").order_by("revision_id")
    return MilestoneHistory(milestone, [TargetEntry(row) for row in rows])


def slipped_filter() -> Q:
    """Milestones that slipped at least once (a Q usable in any milestone queryset)."""
    return Q(
        Exists(MilestoneTarget.objects.filter(milestone=OuterRef("pk"), change=TargetChange.SLIPPED, reverted=False))
    )


def roadmap_milestones(queryset: QuerySet[Milestone] | None = None) -> QuerySet[Milestone]:
    """Milestones with what a roadmap draws and its slips table shows, without their bodies (one query)."""
    queryset = queryset if queryset is not None else Milestone.objects.all()
    return queryset.select_related("company", "product").only(
        "title", "kind", "status", "target_date", "target_precision", "actual_date", "actual_precision",
        "company", "company__name", "company__slug", "product", "product__name", "product__slug",
    )  # fmt: skip


def roadmap_histories(milestones: list[Milestone], *, queryset: QuerySet[Milestone]) -> list[MilestoneHistory]:
    """The histories of ``milestones`` (those of ``queryset``) in one more query, as plain rows.

    Only what slips are computed from: a roadmap of a thousand milestones reads four
    thousand rows, and plain tuples cost a fraction of model instances. The milestone page
    and the API read the full rows, with revisions and quotes (:func:`targets_prefetch`).
    """
    rows: dict[int, list[TargetEntry]] = {}
    targets = (
        MilestoneTarget.objects.filter(milestone__in=queryset.order_by().values("pk"))
        .order_by("revision_id")
        .values_list(
            "milestone_id", "revision_id", "target_date", "target_precision", "change", "slip_days", "reverted"
        )
    )
    for milestone_id, revision_id, date, precision, change, slip_days, reverted in targets:
        target = fuzzy_date_of(date, precision) if date is not None else None
        row = TargetRow(revision_id, target, None, change, slip_days, reverted)
        rows.setdefault(milestone_id, []).append(TargetEntry(row))
    return [MilestoneHistory(milestone, rows.get(milestone.pk, [])) for milestone in milestones]


# ---------------------------------------------------------------------------
# The citation that states a target


def milestone_check_edit(*, page: Milestone, before: dict, after: dict) -> None:
    """The citation stating a milestone's target must state *this* target of *this* milestone.

    - When the target changes, the citation that stated the old one no longer states it: the
      analyst (or API client) picks the citation of the new target, or clears the field;
      otherwise the history would credit the new date to a source that never gave it.
    - A citation newly picked is a quote of a claim about the milestone (linked to it), as
      the edit form offers. Checked only when it changes, so unlinking a claim later never
      blocks unrelated edits (or an undelete) of the milestone.

    States are page states (intel.pages): targets as canonical text, the citation as an id;
    ``before`` is empty for a new milestone.
    """
    citation_id = after.get("target_citation")
    if citation_id is None:
        return
    if citation_id == before.get("target_citation"):
        if after["target"] != before.get("target"):
            new = FuzzyDate.parse(after["target"]).label if after["target"] else "no date"
            raise ValidationError(
                {
                    "target_citation": f"The target changed to {new}, but this citation states the old one: pick "
                    "the citation that states the new target, or clear the field."
                }
            )
        return
    from intel.models import Claim

    about = page.pk is not None and (
        Claim.milestones.through.objects.filter(milestone_id=page.pk, claim__citations=citation_id).exists()
    )
    if not about:
        raise ValidationError(
            {
                "target_citation": "Cite a quote from a claim about this milestone: link the claim to the milestone "
                "first (a new milestone gets its target citation once a claim about it exists)."
            }
        )
