"""How a page's fields read to people: the infobox, and the field-by-field diff between revisions.

Both work from a page *state* (see :mod:`intel.pages`): ids are turned back into
names with one query per related model, choices into their labels, fuzzy dates into
"Q3 2025".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString

from intel.diffing import diff_html
from intel.fuzzydates import FuzzyDate
from intel.models import Person, Source
from intel.pages import PageKind


@dataclass
class FieldRow:
    name: str
    label: str
    before: str | SafeString
    after: str | SafeString
    diff: SafeString | None = None  # word-level diff of prose fields

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _related_names(kind: PageKind, states: list[dict]) -> dict[str, dict]:
    """For each link field, id → the linked page (one query per field)."""
    names = {}
    for name in kind.fields:
        field_type = kind.field_type(name)
        if field_type not in ("fk", "m2m"):
            continue
        ids = set()
        for state in states:
            value = state.get(name)
            ids |= set(value or []) if field_type == "m2m" else ({value} if value is not None else set())
        model = kind.model._meta.get_field(name).related_model
        names[name] = model.objects.in_bulk(ids) if ids else {}
    return names


def _link(obj, missing_id) -> SafeString | str:
    if obj is None:
        return f"#{missing_id} (deleted)"
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    return format_html('<a href="{}">{}</a>', url, obj) if url else str(obj)


def display_value(kind: PageKind, name: str, value, related: dict) -> str | SafeString:
    """One field's value as the page shows it."""
    if value in (None, "", []):
        return ""
    field_type = kind.field_type(name)
    if field_type == "fk":
        return _link(related[name].get(value), value)
    if field_type == "m2m":
        return format_html(", ".join(["{}"] * len(value)), *[_link(related[name].get(pk), pk) for pk in value])
    if field_type == "fuzzy":
        try:
            return FuzzyDate.parse(value).label
        except ValueError:
            return str(value)
    model_field = kind.model._meta.get_field(name)
    if isinstance(model_field, models.URLField) and str(value).lower().startswith(("http://", "https://")):
        return format_html('<a href="{}" rel="noopener noreferrer nofollow">{}</a>', value, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def state_rows(kind: PageKind, before: dict | None, after: dict) -> list[FieldRow]:
    """Every page field, before and after, with a word diff for the prose fields that changed."""
    before = before or {}
    related = _related_names(kind, [before, after])
    rows = []
    for name in kind.fields:
        old, new = before.get(name), after.get(name)
        row = FieldRow(
            name=name,
            label=kind.field_label(name),
            before=display_value(kind, name, old, related),
            after=display_value(kind, name, new, related),
        )
        if name in kind.text_fields and old != new:
            row.diff = diff_html(old or "", new or "")
        rows.append(row)
    return rows


@dataclass
class CitationRow:
    id: int | None
    status: str  # "added", "removed", "changed" or "same"
    source: str | SafeString
    speaker: str
    quote: SafeString | str
    translation: SafeString | str
    locator: str


def citation_rows_diff(before: list[dict], after: list[dict]) -> list[CitationRow]:
    """A claim's citations compared row by row (by citation id), quotes diffed word by word."""
    sources = Source.objects.in_bulk({row["source"] for row in before + after if row.get("source")})
    speakers = Person.objects.in_bulk({row["speaker"] for row in before + after if row.get("speaker")})
    old_rows = {row["id"]: row for row in before}
    new_ids = {row["id"] for row in after}
    rows = []

    def before_after(old_value, new_value):
        """An unchanged value, or the old one struck out before the new one."""
        if old_value == new_value:
            return new_value
        return format_html("<del>{}</del> <ins>{}</ins>", old_value or "—", new_value or "—")

    def describe(row, status, old=None):
        old = old or row
        changed = status == "changed"
        source = _link(sources.get(row["source"]), row["source"])
        speaker = str(speakers.get(row["speaker"]) or "")
        if changed:
            source = before_after(_link(sources.get(old["source"]), old["source"]), source)
            speaker = before_after(str(speakers.get(old["speaker"]) or ""), speaker)
        return CitationRow(
            id=row["id"],
            status=status,
            source=source,
            speaker=speaker,
            quote=diff_html(old["quote"], row["quote"]) if changed else row["quote"],
            translation=diff_html(old["translation"], row["translation"]) if changed else row["translation"],
            locator=before_after(old["locator"], row["locator"]) if changed else row["locator"],
        )

    for row in after:
        old = old_rows.get(row["id"])
        if old is None:
            rows.append(describe(row, "added"))
        else:
            rows.append(describe(row, "same" if old == row else "changed", old))
    rows += [describe(row, "removed") for row in before if row["id"] not in new_ids]
    return rows


def infobox_rows(kind: PageKind, state: dict) -> list[FieldRow]:
    """The infobox: every non-empty field but the title and the body."""
    rows = state_rows(kind, None, state)
    return [row for row in rows if row.after not in ("", None) and row.name not in (kind.title_field, "body")]


def citation_texts(rows: list[dict | None]) -> list[str]:
    """Each citation row as one line of text ("Source — speaker: “quote” (translation) locator"), for conflicts."""
    present = [row for row in rows if row]
    sources = Source.objects.in_bulk({row["source"] for row in present if row.get("source")})
    speakers = Person.objects.in_bulk({row["speaker"] for row in present if row.get("speaker")})
    texts = []
    for row in rows:
        if not row:
            texts.append("(removed)")
            continue
        source = sources.get(row.get("source")) or (row.get("new_source") or {}).get("title", "a new source")
        speaker = f" — {speakers[row['speaker']]}" if row.get("speaker") in speakers else ""
        translation = f" (“{row['translation']}”)" if row.get("translation") else ""
        locator = f" [{row['locator']}]" if row.get("locator") else ""
        texts.append(f"{source}{speaker}: “{row.get('quote', '')}”{translation}{locator}")
    return texts
