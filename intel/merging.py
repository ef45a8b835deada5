"""Three-way merges, so two analysts editing the same page do not lose each other's work.

The second analyst to save started from an older revision, the *base*. What they
submitted is *mine*; what the database holds now is *theirs*. A field only one side
changed takes that side's value; a text both changed merges paragraph by paragraph
(lines, with merge3) when they touched different paragraphs; many-to-many links merge
as sets; anything else both changed differently is a conflict for the analyst to settle.
Rows edited as a list (a claim's citations) merge row by row with :func:`merge_rows`.

These are pure functions on plain values; the services read the three versions and
decide what to save.
"""

from collections.abc import Collection, Hashable
from dataclasses import dataclass, field
from typing import Any

import merge3


def merge_text(base: str, mine: str, theirs: str) -> str | None:
    """Both edits of a text in one, with ``\\n`` line ends; None when they touch the same or neighbouring lines.

    The same change made on both sides is not a conflict. A text missing its final line
    end is merged as if it had one, so a paragraph added at the end does not count as a
    change to the last line; the result ends like the side that changed how the text ends.
    """
    base, mine, theirs = (_normalised_newlines(text) for text in (base, mine, theirs))
    if mine == theirs or theirs == base:
        return mine
    if mine == base:
        return theirs

    # merge3 keeps difflib's autojunk: on texts of 200 lines or more, lines as common as
    # the blank ones between paragraphs only extend matches, which keeps a merge of long
    # texts fast (without it, difflib slows to seconds on a thousand rewritten paragraphs).
    merger = merge3.Merge3(_lines(base), _lines(mine), _lines(theirs))
    merged_lines = []
    for group in merger.merge_groups():
        if group[0] == "conflict":
            return None
        merged_lines.extend(group[1])
    merged = "".join(merged_lines)

    side_that_sets_the_ending = mine if mine.endswith("\n") != base.endswith("\n") else theirs
    if not side_that_sets_the_ending.endswith("\n"):
        merged = merged.removesuffix("\n")
    return merged


@dataclass
class FieldConflict:
    """A field (or a row) both sides changed in ways that do not combine, with the three versions to show."""

    name: str
    base: Any
    mine: Any
    theirs: Any


@dataclass
class MergeResult:
    """The merged value of every field of mine; when there are conflicts, those fields hold mine's value."""

    values: dict[str, Any]
    conflicts: list[FieldConflict] = field(default_factory=list)
    # Fields whose merged value is not mine: both sides' changes combined, or theirs kept over a stale mine.
    merged_fields: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_values(
    base: dict,
    mine: dict,
    theirs: dict,
    *,
    text_fields: Collection[str] = (),
    set_fields: Collection[str] = (),
) -> MergeResult:
    """Merge each field of ``mine`` (a field missing from base or theirs counts as None).

    Unchanged in mine: theirs. Unchanged in theirs, or the same change on both sides:
    mine. Changed on both sides differently: a text field merges with :func:`merge_text`;
    a set field (a list of hashable ids, such as many-to-many links) becomes base plus
    what either side added minus what either side removed, as a sorted list, and never
    conflicts; any other field is a conflict.
    """
    result = MergeResult(values={})
    for name, mine_value in mine.items():
        base_value = base.get(name)
        theirs_value = theirs.get(name)

        if name in set_fields and all(_is_id_set(value) for value in (base_value, mine_value, theirs_value)):
            merged_ids = _merge_sets(base_value, mine_value, theirs_value)
            result.values[name] = merged_ids
            if set(merged_ids) != set(mine_value or ()):
                result.merged_fields.append(name)
            continue

        if mine_value == base_value:
            result.values[name] = theirs_value
            if theirs_value != base_value:
                result.merged_fields.append(name)
            continue
        if theirs_value == base_value or mine_value == theirs_value:
            result.values[name] = mine_value
            continue

        merged_text = None
        if (
            name in text_fields
            and isinstance(mine_value, str)
            and isinstance(theirs_value, str)
            and isinstance(base_value, str | None)
        ):
            merged_text = merge_text(base_value or "", mine_value, theirs_value)
        if merged_text is None:
            result.values[name] = mine_value
            result.conflicts.append(FieldConflict(name, base=base_value, mine=mine_value, theirs=theirs_value))
        else:
            result.values[name] = merged_text
            result.merged_fields.append(name)
    return result


@dataclass
class RowsMergeResult:
    """Merged rows: existing rows keep their id, rows mine added have id None.

    A conflicting row is kept as mine has it (left out if mine deleted it).
    """

    rows: list[dict]
    conflicts: list[FieldConflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_rows(
    base: list[dict], mine: list[dict], theirs: list[dict], *, key: str = "id", label: str = "citation"
) -> RowsMergeResult:
    """Merge the rows of a list edited on both sides, each existing row as a whole (three-way, like a field).

    A row missing from a side was deleted there. Unchanged on one side: the other side's
    row, or its deletion. Deleted on one side and changed on the other, or changed
    differently on both: a conflict named "<label> <id>", with the three rows (None where
    deleted). Rows theirs added (ids not in base) and rows mine added (id None) are kept.
    Order: theirs' order for existing rows, then conflicting rows only mine still has, then
    rows theirs added, then rows mine added. Raises ValueError when mine has an id that is
    not in base, or a side has two rows with one id: the caller checks what a form sends.
    """
    base_by_id = _rows_by_id(base, key, "base")
    mine_by_id = _rows_by_id([row for row in mine if row.get(key) is not None], key, "mine")
    theirs_by_id = _rows_by_id(theirs, key, "theirs")
    unknown_ids = mine_by_id.keys() - base_by_id.keys()
    if unknown_ids:
        raise ValueError(f"mine has rows that are not in base: {sorted(unknown_ids, key=repr)}")

    merged_by_id: dict[Any, dict | None] = {}
    conflicts = []
    for row_id, base_row in base_by_id.items():
        mine_row = mine_by_id.get(row_id)
        theirs_row = theirs_by_id.get(row_id)
        if mine_row == base_row:
            merged_by_id[row_id] = theirs_row
        elif theirs_row == base_row or mine_row == theirs_row:
            merged_by_id[row_id] = mine_row
        else:
            merged_by_id[row_id] = mine_row
            conflicts.append(FieldConflict(f"{label} {row_id}", base=base_row, mine=mine_row, theirs=theirs_row))

    existing_in_theirs_order = [row_id for row_id in theirs_by_id if row_id in base_by_id]
    existing_only_mine_has = [row_id for row_id in mine_by_id if row_id not in theirs_by_id]
    rows = [
        merged_by_id[row_id]
        for row_id in existing_in_theirs_order + existing_only_mine_has
        if merged_by_id[row_id] is not None
    ]
    rows += [row for row_id, row in theirs_by_id.items() if row_id not in base_by_id]
    rows += [row for row in mine if row.get(key) is None]
    return RowsMergeResult(rows=rows, conflicts=conflicts)


def _normalised_newlines(text: str) -> str:
    return text.replace("\r\n", "\n")


def _lines(text: str) -> list[str]:
    """The lines of a text, each ending in a line end, the last one too (see merge_text)."""
    if text and not text.endswith("\n"):
        text += "\n"
    return text.splitlines(keepends=True)


def _is_id_set(value: Any) -> bool:
    """A list of hashable items (None, a field absent on one side, counts as empty)."""
    return value is None or (
        isinstance(value, list | tuple | set | frozenset) and all(isinstance(item, Hashable) for item in value)
    )


def _merge_sets(base: Collection | None, mine: Collection | None, theirs: Collection | None) -> list:
    base_set, mine_set, theirs_set = set(base or ()), set(mine or ()), set(theirs or ())
    added = (mine_set - base_set) | (theirs_set - base_set)
    removed = (base_set - mine_set) | (base_set - theirs_set)
    merged = (base_set | added) - removed
    try:
        return sorted(merged)
    except TypeError:  # ids of mixed types, which do not compare
        return sorted(merged, key=repr)


def _rows_by_id(rows: list[dict], key: str, side: str) -> dict[Any, dict]:
    rows_by_id = {}
    for row in rows:
        row_id = row.get(key)
        if row_id in rows_by_id:
            raise ValueError(f"{side} has two rows with {key}={row_id!r}")
        rows_by_id[row_id] = row
    return rows_by_id
