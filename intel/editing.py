"""The one path through which wiki pages are created, edited, reverted, deleted and undeleted.

Browser views, the API, the admin and ``load_demo`` all write pages through these
functions, so every write checks the author's role, validates before anything is
written, runs in one transaction and records one revision (django-reversion) plus
one :class:`~intel.models.Change` line for recent changes.

Concurrent edits never overwrite each other. An edit names the revision it started
from (``base_revision``). Under a row lock the page's latest revision is read again;
if somebody saved in between, the two edits are merged three-way (fields only one
side changed, paragraphs only one side touched, citations added on both sides) and
the merge is noted in the history. When both changed the same thing differently the
save is refused with :class:`EditConflict`, which carries everything the analyst
needs to merge by hand: nothing typed is lost.
"""

from __future__ import annotations

import copy
from contextlib import contextmanager
from dataclasses import dataclass

import reversion
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from reversion.models import Version

from intel.choices import SETTLED_CLAIM_STATUSES, ChangeAction, ClaimStatus
from intel.fuzzydates import FuzzyDateField
from intel.merging import FieldConflict, merge_rows, merge_values
from intel.models import Change, Citation, Snapshot, Watch
from intel.pages import (
    CITATION_FIELDS,
    PageKind,
    content_type_of,
    kind_for_model,
    page_size,
    page_state,
    page_state_at,
    plain_value,
)
from intel.revisions import require_editor, revision
from intel.roles import can_moderate
from intel.wikilinks import remove_page_links, update_page_links


class EditConflict(Exception):
    """The page changed since the edit began and the two edits overlap."""

    def __init__(
        self, *, conflicts: list[FieldConflict], current_revision: int | None, current_state: dict, proposed_state: dict
    ):
        super().__init__(f"Edit conflict on {', '.join(conflict.name for conflict in conflicts)}")
        self.conflicts = conflicts
        self.current_revision = current_revision
        self.current_state = current_state
        # Everything that did merge, with the editor's own value where it clashed: what the
        # form shows again, so saving it after resolving loses neither side's other changes.
        self.proposed_state = proposed_state


class StaleRevision(Exception):
    """The caller said which revision it expects (the API's ``If-Match``) and the page has moved on.

    Unlike a form edit, which is merged three-way, such a write is refused outright: the
    caller asked for exactly that revision.
    """

    def __init__(self, *, current_revision: int | None):
        super().__init__(f"The object has changed since revision {current_revision}")
        self.current_revision = current_revision


class DeletionBlocked(ValidationError):
    """Other pages still refer to the page: deleting it would break them."""


# ``expected_revision`` when the caller does not care which revision it overwrites.
ANY_REVISION = object()


@dataclass
class SaveResult:
    page: object
    changed: bool = True  # False: the save changed nothing, so no revision was made
    merged: bool = False  # saved by merging with an edit made since the editor's base revision


def latest_revision_id(page) -> int | None:
    """The newest revision that saved this page: what an edit form starts from."""
    return Version.objects.get_for_object(page).values_list("revision_id", flat=True).first()


def page_for_edit(page) -> tuple[object, int | None]:
    """The page as an edit starts from it, and the revision the edit names as its base.

    The revision is read first, then the row. Read the other way round, a save landing
    in between (PostgreSQL reads each statement afresh) pairs an older text with a newer
    base revision, and the edit, saved as if nothing had happened since, silently undoes
    that save. This way round the text can only be newer than its base, which the merge
    on save takes as both sides having made the same change.
    """
    base_revision = latest_revision_id(page)
    return type(page).objects.get(pk=page.pk), base_revision


# ---------------------------------------------------------------------------
# Create and edit


def page_create(
    *, kind: PageKind, author, values: dict, summary: str = "", citations: list[dict] | None = None
) -> object:
    """Create a page from form or API values (field name → value; many-to-many as lists or querysets)."""
    require_editor(author)
    page = kind.model()
    scalars, links = _split_values(kind, values, author)
    _assign(page, scalars)
    _validate(kind, page, links, citations)
    if kind.edit_check:
        kind.check_edit(page, {}, page_state(kind, page))
    if kind.key == "claim" and page.status != ClaimStatus.UNVERIFIED:
        raise ValidationError(
            {
                "status": "A new claim starts unverified: save it, then change its status once its sources are "
                "approved or the claim it contradicts is linked."
            }
        )
    with _unique_race_refused(page), revision(author=author, summary=summary or f"Created {kind.label}"):
        _save(kind, page, links, citations, author=author)
        update_page_links(kind, page)
        state = page_state(kind, page)
        _note_change(kind, page, ChangeAction.CREATE, state=state, previous_size=0)
        watch(user=author, page=page)
    return page


def page_update(
    *,
    kind: PageKind,
    page,
    author,
    values: dict,
    base_revision: int | None,
    summary: str = "",
    citations: list[dict] | None = None,
    strict: bool = False,
    status_reason: str | None = None,
) -> SaveResult:
    """Save an edit that started from ``base_revision``; merge with anything saved since, or refuse.

    ``values`` holds the submitted value of every field the form edits; ``citations``
    (claims only) the submitted rows, each with the ``id`` of an existing citation or
    None for a new one. With ``strict`` (the API's ``If-Match``) a page that moved on
    since ``base_revision`` is not merged but refused with StaleRevision. Raises
    EditConflict, StaleRevision, ValidationError or PermissionDenied.
    """
    require_editor(author)
    with transaction.atomic():
        current = kind.model.objects.select_for_update().get(pk=page.pk)
        current_revision = latest_revision_id(current)
        if strict and current_revision != base_revision:
            raise StaleRevision(current_revision=current_revision)
        theirs = page_state(kind, current)
        mine = _submitted_state(kind, current, values, citations, author)
        merged_with = None
        if current_revision is None or base_revision == current_revision:
            target = mine
        else:
            # A missing base is as unknown as a wrong one: never "last save wins".
            target, base = _merge(kind, current, base_revision, mine, theirs, current_revision)
            merged_with = current_revision if base != theirs else None
        if kind.key == "claim" and target["status"] != theirs["status"]:
            _check_status_change(current, target["status"], author=author, reason=status_reason, summary=summary)
        kind.check_edit(current, theirs, target)
        return _save_state(
            kind,
            current,
            target,
            author=author,
            summary=summary or f"Edited {kind.label}",
            action=ChangeAction.EDIT,
            previous_state=theirs,
            merged_with=merged_with,
        )


def _submitted_state(kind: PageKind, current, values: dict, citations: list[dict] | None, author) -> dict:
    """The page as the editor wants it: their values over the current row (fields the form lacks stay as they are)."""
    scalars, links = _split_values(kind, values, author)
    draft = copy.copy(current)
    _assign(draft, scalars)
    state = {}
    for name in kind.fields:
        if name in links:
            state[name] = plain_value(list(links[name]))
        elif name in kind.m2m_fields:
            state[name] = sorted(getattr(current, name).values_list("pk", flat=True))
        elif kind.field_type(name) == "fk":
            state[name] = getattr(draft, f"{name}_id")
        else:
            state[name] = plain_value(getattr(draft, name))
    if kind.has_citations:
        if citations is None:
            state["citations"] = page_state(kind, current)["citations"]
        else:
            rows = [_plain_row(row) for row in citations]
            # Existing rows in id order, then new ones, as the stored state lists them.
            state["citations"] = sorted(rows, key=lambda row: (row["id"] is None, row["id"] or 0))
    return state


def _plain_row(row: dict) -> dict:
    """A citation row with ids for its source and speaker, as states hold it."""
    plain = {"id": row.get("id")}
    for name in CITATION_FIELDS:
        value = _normalised(row.get(name))
        plain[name] = plain_value(value) if value is not None else (None if name in ("source", "speaker") else "")
    if row.get("new_source"):
        plain["new_source"] = row["new_source"]
    return plain


def _check_status_change(claim, status: str, *, author, reason: str | None, summary: str) -> None:
    """A claim's status moves only as the workflow's rules allow (intel.workflow); the reason (given,
    or the edit summary) is kept with the claim."""
    from intel.workflow import status_refusal

    if reason is None:  # an edit form or API write: its summary says why
        reason = summary
        if refusal := status_refusal(claim, status, author=author, reason=reason):
            raise ValidationError({"status": refusal})
    claim.status_note = reason


def _merge(
    kind: PageKind, current, base_revision: int | None, mine: dict, theirs: dict, current_revision: int
) -> tuple[dict, dict]:
    """The three-way merge of ``mine`` and ``theirs`` from the base revision: (target, base), or EditConflict."""
    base_version = (
        Version.objects.get_for_object(current).filter(revision_id=base_revision).first() if base_revision else None
    )
    if base_version is None:
        # An unknown base (tampered form, pruned history): every difference counts as a conflict.
        conflicts = [
            FieldConflict(name=name, base=None, mine=mine[name], theirs=theirs.get(name))
            for name in mine
            if mine[name] != theirs.get(name)
        ]
        raise EditConflict(
            conflicts=conflicts, current_revision=current_revision, current_state=theirs, proposed_state=mine
        )
    base = page_state_at(kind, base_version)
    merged = merge_values(
        {name: base.get(name) for name in kind.fields},
        {name: mine[name] for name in kind.fields},
        {name: theirs.get(name) for name in kind.fields},
        text_fields=kind.text_fields,
        set_fields=kind.m2m_fields,
    )
    conflicts = list(merged.conflicts)
    target = dict(merged.values)
    conflicts += _merge_linked(kind, base, mine, theirs, target)
    if kind.has_citations:
        try:
            rows = merge_rows(base["citations"], mine["citations"], theirs["citations"])
        except ValueError:
            # The form sent citations its base revision did not have: do not guess, show the analyst.
            conflicts.append(
                FieldConflict(
                    name="citations", base=base["citations"], mine=mine["citations"], theirs=theirs["citations"]
                )
            )
            target["citations"] = mine["citations"]
        else:
            conflicts += rows.conflicts
            target["citations"] = rows.rows
    if conflicts:
        raise EditConflict(
            conflicts=conflicts, current_revision=current_revision, current_state=theirs, proposed_state=target
        )
    return target, base


def _merge_linked(kind: PageKind, base: dict, mine: dict, theirs: dict, target: dict) -> list[FieldConflict]:
    """Take each group of linked fields whole from the side that changed it; both sides changing it
    differently is a conflict (a quote picked for the old target never lands on a new one)."""
    conflicts = []
    for group in kind.linked_fields:
        mine_changed = any(mine[name] != base.get(name) for name in group)
        theirs_changed = any(theirs.get(name) != base.get(name) for name in group)
        if mine_changed and theirs_changed:
            if any(mine[name] != theirs.get(name) for name in group):
                conflicts += [
                    FieldConflict(name=name, base=base.get(name), mine=mine[name], theirs=theirs.get(name))
                    for name in group
                    if not any(conflict.name == name for conflict in conflicts)
                ]
        elif mine_changed or theirs_changed:
            side = mine if mine_changed else theirs
            target.update({name: side.get(name) for name in group})
    return conflicts


# ---------------------------------------------------------------------------
# Revert, delete, undelete


def page_revert(*, kind: PageKind, page, author, revision_id: int, summary: str = "") -> SaveResult:
    """Make a page look as it did in an earlier revision; the revert is itself a new revision."""
    require_editor(author)
    with transaction.atomic():
        current = kind.model.objects.select_for_update().get(pk=page.pk)
        version = Version.objects.get_for_object(current).filter(revision_id=revision_id).first()
        if version is None:
            raise ValidationError(f"Revision {revision_id} is not a revision of this page.")
        target = page_state_at(kind, version)
        theirs = page_state(kind, current)
        snapshot_back = None
        if kind.key == "claim":
            _check_revert_status(current, target["status"], author=author)
            current.status_note = version.field_dict.get("status_note") or ""  # the reason goes back with the status
        if kind.key == "source":
            if not can_moderate(author):
                target["reliability"] = theirs["reliability"]  # only moderators rate sources, reverts included
            snapshot_back = _snapshot_to_restore(current, version)
        result = _save_state(
            kind,
            current,
            target,
            author=author,
            summary=summary or f"Reverted to revision {revision_id}",
            action=ChangeAction.REVERT,
            previous_state=theirs,
            restore_ids=True,
            force=snapshot_back is not None,
        )
        if snapshot_back is not None:
            from intel.services import citations_anchor

            citations_anchor(source=current, snapshot=snapshot_back)
        return result


def _check_revert_status(claim, status: str, *, author) -> None:
    """A revert restores a status that was valid when saved, except that only a moderator reopens a
    retracted or superseded claim (the workflow's rule; a revert is no way around it)."""
    if claim.status in SETTLED_CLAIM_STATUSES and status != claim.status and not can_moderate(author):
        raise ValidationError(
            f"Only a moderator can reopen a {ClaimStatus(claim.status).label.lower()} claim, by a revert too."
        )


def _snapshot_to_restore(source, version):
    """The archived copy a source had in ``version``, when it differs from its current one: a revert
    (a rollback of a vandal's upload) points the source back at it. None when nothing changes."""
    stored = version.field_dict.get("snapshot_id")
    if stored is None or stored == source.snapshot_id:
        return None
    snapshot = Snapshot.objects.filter(pk=stored, source_id=source.pk).only("pk", "text").first()
    if snapshot is not None:
        source.snapshot = snapshot
    return snapshot


def _referrers(model, pks) -> list[tuple[str, int, object]]:
    """Who outside the wiki's machinery points at rows ``pks`` of ``model``: (field's verbose name, count,
    related model) for each visible reverse relation — pages linking to a page, a milestone citing a quote."""
    found = []
    for relation in model._meta.related_objects:
        if relation.hidden or relation.related_model._meta.app_label in ("reversion", "contenttypes", "auth", "admin"):
            continue
        count = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": pks}).count()
        if count:
            found.append((relation.get_accessor_name(), count, relation))
    return found


def _describe(count: int, relation, *, of: str = "") -> str:
    meta = relation.related_model._meta
    name = meta.verbose_name if count == 1 else meta.verbose_name_plural
    return f"{count} {name} ({relation.field.verbose_name}{of})"


def deletion_blockers(kind: PageKind, page) -> list[str]:
    """What still refers to the page or to its parts and would be lost or broken by deleting it, in words.

    A page is deleted only when nothing else points at it; its own parts (a claim's
    citations and relations) are kept in the deletion's revision instead, so what points at
    those parts (a milestone citing one of the claim's quotes for its target) blocks it too.
    """
    skip = {*kind.owned_relations, *kind.derived_relations}
    blockers = [
        _describe(count, relation)
        for accessor, count, relation in _referrers(type(page), [page.pk])
        if accessor not in skip
    ]
    for accessor in kind.owned_relations:
        parts = getattr(page, accessor)
        blockers += [
            _describe(count, relation, of=f" one of its {parts.model._meta.verbose_name_plural}")
            for _, count, relation in _referrers(parts.model, parts.values("pk"))
        ]
    return blockers


def page_delete(*, kind: PageKind, page, author, summary: str = "", expected_revision=ANY_REVISION) -> Change:
    """Delete a page; its last state is kept in a revision, so the page can be undeleted.

    With ``expected_revision`` (the API's ``If-Match``), a page saved since is not
    deleted: StaleRevision.
    """
    require_editor(author)
    with transaction.atomic():
        current = kind.model.objects.select_for_update().get(pk=page.pk)
        _check_expected_revision(current, expected_revision)
        blockers = deletion_blockers(kind, current)
        if blockers:
            raise DeletionBlocked(
                f"This {kind.label} cannot be deleted while other pages refer to it: {'; '.join(blockers)}."
            )
        state = page_state(kind, current)
        with revision(author=author, summary=summary or f"Deleted {kind.label}"):
            reversion.add_to_revision(current)
            for accessor in kind.owned_relations:
                for part in getattr(current, accessor).all():
                    reversion.add_to_revision(part)
                    if not isinstance(part, Citation):
                        # A claim relation goes with the claim: the change feed shows its tombstone too.
                        note_relation_change(part, ChangeAction.DELETE)
            change = _note_change(kind, current, ChangeAction.DELETE, state=state, previous_size=page_size(kind, state))
        # reversion saves only versions of objects that still exist when its block ends,
        # so the page is deleted after its last state is recorded, in the same transaction.
        remove_page_links(kind, current)
        current.delete()
        return change


def page_undelete(*, kind: PageKind, change: Change, author, summary: str = "") -> object:
    """Bring back a deleted page as it was when deleted, with its citations and relations, under its old id."""
    require_editor(author)
    if change.action != ChangeAction.DELETE:
        raise ValidationError("Only a deletion can be undone this way.")
    if kind.model.objects.filter(pk=change.object_id).exists():
        raise ValidationError(f"This {kind.label} exists again; nothing to undelete.")
    versions = list(change.revision.version_set.all())
    own = next(
        (v for v in versions if v.content_type_id == change.content_type_id and v.object_id == change.object_id), None
    )
    if own is None:
        raise ValidationError("The deletion's revision does not hold the page; it cannot be undeleted.")
    with transaction.atomic(), revision(author=author, summary=summary or f"Undeleted {kind.label}"):
        page = own._object_version.object
        _drop_missing_optional_links(page)
        try:
            page.full_clean(validate_unique=True)
        except ValidationError as error:
            raise ValidationError(f"The {kind.label} cannot be undeleted: {'; '.join(error.messages)}") from None
        page.save(force_insert=True)
        for name in kind.m2m_fields:
            getattr(page, name).set(_existing_ids(page._meta.get_field(name).related_model, own.field_dict.get(name)))
        for part in versions:
            if part is own:
                continue
            part_object = part._object_version.object
            if isinstance(part_object, Citation):
                _check_citation_can_return(part_object)
            elif not _references_exist(part_object):
                # A relation to a claim that is itself gone: left out rather than failing the undelete.
                continue
            part_object.save(force_insert=True)
            reversion.add_to_revision(part_object)
            if not isinstance(part_object, Citation):
                note_relation_change(part_object, ChangeAction.UNDELETE)
        reversion.add_to_revision(page)
        update_page_links(kind, page)
        state = page_state(kind, page)
        _note_change(kind, page, ChangeAction.UNDELETE, state=state, previous_size=0)
    return page


def record_change(*, page, created: bool = False) -> None:
    """Add a page's Change line to the revision being recorded by someone else's code path:
    django-reversion's VersionAdmin, or a moderation decision."""
    kind = kind_for_model(type(page))
    previous = (
        Change.objects.filter(content_type=content_type_of(kind), object_id=str(page.pk))
        .values_list("size", flat=True)
        .first()
    )
    action = ChangeAction.CREATE if created else ChangeAction.EDIT
    update_page_links(kind, page)
    _note_change(kind, page, action, state=page_state(kind, page), previous_size=previous or 0)


# ---------------------------------------------------------------------------
# Relations: company relations and claim relations are not pages, but their saves and
# deletions are revisions with a Change line too, so the API's change feed lists them.


def relation_save(*, relation, author, summary: str, m2m: dict | None = None, expected_revision=ANY_REVISION) -> object:
    """Validate and save a relation (new or changed) and its many-to-many links as one revision."""
    require_editor(author)
    created = relation.pk is None
    with transaction.atomic():
        if not created:
            locked = type(relation).objects.select_for_update().get(pk=relation.pk)
            _check_expected_revision(locked, expected_revision)
            if _same_relation(locked, relation, m2m or {}):
                return locked  # nothing changes: no revision, and the ETag stays
        relation.full_clean(exclude=list(m2m or ()))
        with _unique_race_refused(relation), revision(author=author, summary=summary):
            relation.save()
            for name, values in (m2m or {}).items():
                getattr(relation, name).set(values)
            note_relation_change(relation, ChangeAction.CREATE if created else ChangeAction.EDIT)
    return relation


def _same_relation(stored, edited, m2m: dict) -> bool:
    fields = [field.attname for field in stored._meta.concrete_fields if field.name not in ("created", "updated")]
    if any(getattr(stored, name) != getattr(edited, name) for name in fields):
        return False
    return all(
        sorted(getattr(stored, name).values_list("pk", flat=True)) == sorted(plain_value(list(values)))
        for name, values in m2m.items()
    )


def relation_delete(*, relation, author, summary: str, expected_revision=ANY_REVISION) -> None:
    """Delete a relation; its last state stays in the deletion's revision."""
    require_editor(author)
    with transaction.atomic():
        locked = type(relation).objects.select_for_update().get(pk=relation.pk)
        _check_expected_revision(locked, expected_revision)
        with revision(author=author, summary=summary):
            reversion.add_to_revision(locked)
            note_relation_change(locked, ChangeAction.DELETE)
        locked.delete()


def note_relation_change(relation, action: ChangeAction, *, pk=None) -> None:
    """The Change line of a relation's save or deletion, in the revision being recorded
    (``pk``: the id a deleted relation had)."""
    pk = pk if pk is not None else relation.pk
    reversion.add_meta(
        Change,
        content_type=ContentType.objects.get_for_model(relation),
        object_id=str(pk),
        object_key=str(pk),
        object_repr=str(relation)[:300],
        action=action,
    )


def _check_expected_revision(obj, expected_revision) -> None:
    if expected_revision is not ANY_REVISION:
        current_revision = latest_revision_id(obj)
        if current_revision != expected_revision:
            raise StaleRevision(current_revision=current_revision)


# ---------------------------------------------------------------------------
# Watchlist


def watch(*, user, page) -> None:
    """Put a page on the user's watchlist (editing a page watches it, as on MediaWiki)."""
    if user is None or not user.is_authenticated:
        return
    kind = kind_for_model(type(page))
    Watch.objects.get_or_create(user=user, content_type=content_type_of(kind), object_id=str(page.pk))


def unwatch(*, user, page) -> None:
    kind = kind_for_model(type(page))
    Watch.objects.filter(user=user, content_type=content_type_of(kind), object_id=str(page.pk)).delete()


# ---------------------------------------------------------------------------
# Pieces


def _split_values(kind: PageKind, values: dict, author=None) -> tuple[dict, dict]:
    """Plain fields and many-to-many links apart; names that are not fields of the page are a programming error."""
    if kind.key == "source" and not can_moderate(author):
        # Only moderators rate a source; an analyst's form or API call keeps the current rating.
        values = {name: value for name, value in values.items() if name != "reliability"}
    model = kind.model
    for name in values:
        is_fuzzy = isinstance(getattr(model, name, None), FuzzyDateField)
        if not (name in kind.fields or is_fuzzy or _is_field(model, name)):
            raise TypeError(f"{model.__name__} has no field {name!r}")
    scalars = {name: _normalised(value) for name, value in values.items() if name not in kind.m2m_fields}
    links = {name: value for name, value in values.items() if name in kind.m2m_fields}
    return scalars, links


def _normalised(value):
    """Text with Unix line ends: browsers send CRLF, and an unchanged page must compare equal to itself."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def _is_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return name.endswith("_id") and _is_field(model, name.removesuffix("_id"))
    return True


def _assign(page, scalars: dict) -> None:
    for name, value in scalars.items():
        setattr(page, name, value)


def too_long(texts: dict[str, str]) -> dict[str, list[str]]:
    """Texts over INTEL_MAX_BODY_BYTES, as field errors: checked here so every door (form, API, admin) refuses them."""
    limit = settings.INTEL_MAX_BODY_BYTES
    return {
        name: [f"This text is {len(text.encode()):,} bytes; the limit is {limit:,}. Shorten it or split the page."]
        for name, text in texts.items()
        if isinstance(text, str) and len(text.encode()) > limit
    }


def _validate(kind: PageKind, page, links: dict, citations: list[dict] | None) -> None:
    errors = too_long({name: getattr(page, name) for name in kind.text_fields})
    try:
        page.full_clean(exclude=[*kind.m2m_fields, *errors])
    except ValidationError as error:
        errors.update(error.message_dict)
    if kind.has_citations:
        if not citations:
            errors["citations"] = ["A claim needs at least one citation to a source."]
        for index, row in enumerate(citations or []):
            row = _plain_row(row)
            if not row["source"] and not row.get("new_source"):
                errors[f"citations-{index}"] = ["Pick a source or describe a new one."]
                continue
            if long_texts := too_long({"quote": row["quote"], "translation": row["translation"]}):
                errors[f"citations-{index}"] = [message for messages in long_texts.values() for message in messages]
                continue
            citation = Citation(source_id=row["source"], speaker_id=row["speaker"], quote=row["quote"])
            citation.translation, citation.locator = row["translation"], row["locator"]
            try:
                citation.full_clean(exclude=["claim", "source"])
            except ValidationError as error:
                errors[f"citations-{index}"] = error.messages
    if errors:
        raise ValidationError(errors)


def _check_citation_can_return(citation: Citation) -> None:
    """A citation comes back with its claim only if its source is still there (a speaker may be forgotten)."""
    from intel.models import Person, Source

    if not Source.objects.filter(pk=citation.source_id).exists():
        raise ValidationError(
            f"The claim cites source #{citation.source_id}, which has been deleted since: "
            "undelete that source first, then this claim."
        )
    if citation.speaker_id and not Person.objects.filter(pk=citation.speaker_id).exists():
        citation.speaker_id = None


def _existing_ids(model, ids) -> list:
    """The ids that still exist: a revert or undelete links to what is left, never to a deleted page."""
    return list(model.objects.filter(pk__in=ids or []).values_list("pk", flat=True))


def _drop_missing_optional_links(obj) -> None:
    """An optional link to a page deleted since comes back empty (a required one fails the full_clean after)."""
    for model_field in obj._meta.concrete_fields:
        if model_field.many_to_one and model_field.null and (value := getattr(obj, model_field.attname)) is not None:
            if not model_field.related_model._base_manager.filter(pk=value).exists():
                setattr(obj, model_field.attname, None)


def _references_exist(obj) -> bool:
    """Whether every object ``obj`` points at still exists (foreign keys are checked only at commit)."""
    for model_field in obj._meta.concrete_fields:
        if model_field.many_to_one and (value := getattr(obj, model_field.attname)) is not None:
            if not model_field.related_model._base_manager.filter(pk=value).exists():
                return False
    return True


@contextmanager
def _unique_race_refused(obj):
    """Validation found a slug (or a relation) free, but a save committed meanwhile took it: the
    database's unique constraint refuses the write, and the editor hears what validation would
    have said, on any door, instead of a server error."""
    try:
        yield
    except IntegrityError:
        # Read again, now seeing the other save: each raises ValidationError on what clashes.
        obj.validate_unique()
        obj.validate_constraints()
        raise


def _save(kind: PageKind, page, links: dict, citations: list[dict] | None, *, author) -> None:
    page.save()
    for name, value in links.items():
        getattr(page, name).set(value)
    if kind.has_citations:
        _sync_citations(page, [_plain_row(row) for row in citations or []], author=author)


def _save_state(
    kind: PageKind,
    page,
    target: dict,
    *,
    author,
    summary: str,
    action: ChangeAction,
    previous_state: dict,
    merged_with: int | None = None,
    restore_ids: bool = False,
    force: bool = False,
) -> SaveResult:
    """Write ``target`` (a state) onto the locked ``page`` as one revision; nothing when it is the page as it
    is, unless ``force`` (something outside the page's fields changes, e.g. a source's archived copy)."""
    if target == previous_state and not force:
        return SaveResult(page=page, changed=False)
    for name in kind.fields:
        if name in kind.m2m_fields:
            continue
        value = target[name]
        match kind.field_type(name):
            case "fk":
                model_field = page._meta.get_field(name)
                if value is not None and model_field.null and value != previous_state.get(name):
                    # Like a many-to-many link, an optional link to what has been deleted since is dropped.
                    value = next(iter(_existing_ids(model_field.related_model, [value])), None)
                setattr(page, f"{name}_id", value)
            case "fuzzy":
                setattr(page, name, value)
            case _:
                model_field = page._meta.get_field(name)
                setattr(page, name, model_field.to_python(value) if value is not None else value)
    errors = too_long({name: getattr(page, name) for name in kind.text_fields})
    for row in target.get("citations", []):
        for messages in too_long({"quote": row["quote"], "translation": row["translation"]}).values():
            errors.setdefault("citations", []).extend(messages)
    try:
        page.full_clean(exclude=[*kind.m2m_fields, *errors])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if merged_with:
        summary = f"{summary} (merged with revision {merged_with})"
    with _unique_race_refused(page), revision(author=author, summary=summary):
        page.save()
        for name in kind.m2m_fields:
            getattr(page, name).set(_existing_ids(page._meta.get_field(name).related_model, target[name]))
        if kind.has_citations:
            _sync_citations(page, target["citations"], author=author, restore_ids=restore_ids)
        update_page_links(kind, page)
        state = page_state(kind, page)
        _note_change(
            kind, page, action, state=state, previous_size=page_size(kind, previous_state), merged=bool(merged_with)
        )
        if kind.key == "source":
            from intel.moderation import note_source_saved

            note_source_saved(source=page, author=author, reliability_before=previous_state.get("reliability"))
        watch(user=author, page=page)
    return SaveResult(page=page, changed=True, merged=bool(merged_with))


def _sync_citations(claim, rows: list[dict], *, author, restore_ids: bool = False) -> None:
    """Make the claim's citations exactly ``rows``: update by id, create new ones, delete the rest."""
    from intel.services import citation_anchor, source_create

    # With their sources: each citation's revision is labelled with its source's title (Citation.__str__).
    existing = {citation.pk: citation for citation in claim.citations.select_related("source")}
    snapshots: dict[int, Snapshot | None] = {}
    keep = set()
    for row in rows:
        source_id = row.get("source")
        if not source_id and row.get("new_source"):
            try:
                source_id = source_create(author=author, summary="Created source from a claim", **row["new_source"]).pk
            except ValidationError as error:
                title = row["new_source"].get("title", "")
                messages = [f"New source “{title}”: {message}" for message in error.messages]
                raise ValidationError({"citations": messages}) from None
        citation = existing.get(row.get("id")) if row.get("id") else None
        if citation is None:
            citation = Citation(claim=claim)
            if restore_ids and row.get("id") and not Citation.objects.filter(pk=row["id"]).exists():
                citation.pk = row["id"]
        anchored_quote = citation.quote if citation.source_id == source_id else None
        citation.source_id = source_id
        citation.speaker_id = row.get("speaker")
        citation.quote = row.get("quote") or ""
        citation.translation = row.get("translation") or ""
        citation.locator = row.get("locator") or ""
        try:
            citation.full_clean(exclude=["claim"])
        except ValidationError as error:
            raise ValidationError({"citations": error.messages}) from None
        if source_id not in snapshots:
            snapshots[source_id] = current_snapshot(source_id)
        snapshot = snapshots[source_id]
        if anchored_quote != citation.quote or citation.snapshot_id != (snapshot.pk if snapshot else None):
            # A quote the analyst did not touch keeps its anchor; its old prefix and suffix
            # settle which place is meant when the quote occurs more than once.
            same = anchored_quote == citation.quote
            hints = (citation.anchor_prefix, citation.anchor_suffix) if same else ("", "")
            citation_anchor(citation, snapshot=snapshot, prefix=hints[0], suffix=hints[1])
        citation.save()
        keep.add(citation.pk)
    dropped = [pk for pk in existing if pk not in keep]
    _check_citations_can_go(dropped)
    for pk in dropped:
        existing[pk].delete()
    if not keep:
        raise ValidationError({"citations": "A claim needs at least one citation to a source."})


def _check_citations_can_go(citation_ids: list[int]) -> None:
    """A quote another page points at (a milestone citing it for its target) stays until that page points
    elsewhere: removing it would take the evidence from under it silently."""
    if referrers := _referrers(Citation, citation_ids):
        raise ValidationError(
            {
                "citations": f"A quote you removed is cited by {_describe(referrers[0][1], referrers[0][2])}: "
                "change that first (e.g. the milestone's target citation), or keep the quote."
            }
        )


def current_snapshot(source_id) -> Snapshot | None:
    """The source's newest snapshot with its text (the original bytes are not needed to anchor).

    The source row is locked first, as ``snapshot_add`` locks it: a copy archived meanwhile is
    either seen here or re-anchors this citation after this save commits.
    """
    from intel.models import Source

    snapshot_id = Source.objects.select_for_update().filter(pk=source_id).values_list("snapshot_id", flat=True)
    snapshot_id = snapshot_id.first()
    return Snapshot.objects.filter(pk=snapshot_id).only("pk", "text").first() if snapshot_id else None


def _note_change(
    kind: PageKind, page, action: ChangeAction, *, state: dict, previous_size: int, merged: bool = False
) -> Change:
    """Record the Change line of the current revision (saved with it by reversion's add_meta)."""
    size = page_size(kind, state) if action != ChangeAction.DELETE else 0
    values = {
        "content_type": content_type_of(kind),
        "object_id": str(page.pk),
        "object_key": kind.key_of(page),
        "object_repr": kind.title_of(page)[:300],
        "action": action,
        "merged": merged,
        "size": size,
        "size_delta": size - previous_size,
    }
    reversion.add_meta(Change, **values)
    kind.note_change(page, action)
    if action != ChangeAction.CREATE:
        # A renamed page: its older lines follow, so their links (history, diff) keep working.
        Change.objects.filter(content_type=values["content_type"], object_id=values["object_id"]).exclude(
            object_key=values["object_key"]
        ).update(object_key=values["object_key"])
    return Change(**values)
