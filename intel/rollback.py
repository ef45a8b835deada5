"""Rollback: a moderator undoes every edit one user made in a time window, in one action (vandalism).

For each page the user touched in the window, the page goes back to the revision
just before the user's first edit there: pages they edited are reverted, pages they
deleted are undeleted, pages they created are deleted (a source they created that has
archived text is rejected instead: archived copies are kept for good), relations they
made are removed and relations they changed or removed are restored; a source whose
archived copy they replaced points at the earlier copy again. A page someone else
saved after the user is left alone and reported, so a rollback never undoes an
innocent edit.

Everything happens in one transaction and is one revision (summary "Rolled back
edits of <user>…"), except the deletion of what the user created: django-reversion
keeps the state of a deleted object only in a revision that ends while it still
exists, so each such deletion is a revision of its own, with the same summary.
:func:`rollback_plan` says beforehand what would happen.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from reversion.models import Version

from intel.choices import ChangeAction, ModerationAction, ModerationState
from intel.editing import (
    DeletionBlocked,
    note_relation_change,
    page_delete,
    page_revert,
    page_undelete,
    relation_delete,
)
from intel.models import Change, ModerationDecision, Snapshot, Source
from intel.moderation import source_moderate
from intel.pages import kind_for_content_type_id
from intel.revisions import revision
from intel.roles import can_moderate

REVERT, DELETE, UNDELETE, REJECT, REMOVE_RELATION, RESTORE_RELATION, SKIP = (
    "revert",
    "delete",
    "undelete",
    "reject",
    "remove_relation",
    "restore_relation",
    "skip",
)


@dataclass
class RollbackStep:
    """What the rollback does (or did) to one page or relation."""

    title: str
    url: str
    action: str  # one of the constants above
    detail: str  # in words, for the moderator
    content_type_id: int
    object_id: str
    revision_id: int | None = None  # the revision to go back to
    change: Change | None = None  # the user's deletion, for an undelete


def rollback_plan(*, user, since, until=None) -> list[RollbackStep]:
    """What rolling back ``user``'s edits between ``since`` and ``until`` would do; writes nothing."""
    theirs = Change.objects.filter(revision__user=user, revision__date_created__gte=since)
    if until is not None:
        theirs = theirs.filter(revision__date_created__lte=until)
    touched: dict[tuple[int, str], list[Change]] = {}
    for change in theirs.select_related("revision").order_by("revision_id", "id"):
        touched.setdefault((change.content_type_id, change.object_id), []).append(change)
    # Every touched page's whole history in one query (a superset, grouped here).
    histories: dict[tuple[int, str], list[Change]] = {key: [] for key in touched}
    everything = (
        Change.objects.filter(
            content_type_id__in={key[0] for key in touched}, object_id__in={key[1] for key in touched}
        )
        .select_related("revision__user")
        .order_by("revision_id", "id")
    )
    for change in everything:
        if (key := (change.content_type_id, change.object_id)) in histories:
            histories[key].append(change)
    steps = []
    for (content_type_id, object_id), own in touched.items():
        history = histories[(content_type_id, object_id)]
        first, last = own[0].revision_id, own[-1].revision_id
        # Anyone's save after the user's last one in the window, or someone else's in between:
        # going back to before the user's first edit would undo it.
        later = [
            change
            for change in history
            if change.revision_id > last or (change.revision_id > first and change.revision.user_id != user.pk)
        ]
        before = [change for change in history if change.revision_id < first]
        steps.append(_step(content_type_id, object_id, own, later, before[-1] if before else None))
    return steps


def _step(content_type_id: int, object_id: str, own: list[Change], later: list[Change], prior) -> RollbackStep:
    latest = own[-1]
    kind = kind_for_content_type_id(content_type_id)
    title = latest.object_repr
    url = kind.url("history", latest.object_key) if kind else ""
    step = RollbackStep(
        title=title, url=url, action=SKIP, detail="", content_type_id=content_type_id, object_id=object_id
    )
    if later:
        who = later[-1].revision.user.get_username() if later[-1].revision.user_id else "someone"
        step.detail = f"Saved since by {who}: left as it is; revert by hand if needed."
        return step
    created = own[0].action == ChangeAction.CREATE or prior is None
    gone = latest.action == ChangeAction.DELETE
    if kind is None:  # a company or claim relation
        if created and gone:
            step.detail = "Made and removed again by the user: nothing to undo."
        elif created:
            step.action, step.detail = REMOVE_RELATION, "Made by the user: removed."
        else:
            step.action, step.revision_id = RESTORE_RELATION, prior.revision_id
            step.detail = f"Restored as it was in revision {prior.revision_id}."
        return step
    if created and gone:
        step.detail = "Created and deleted again by the user: nothing to undo."
    elif created and kind.key == "source" and _kept_as_record(object_id):
        # An archived copy or a moderation decision keeps a source for good: it is rejected instead.
        if Source.objects.filter(pk=object_id, moderation_state=ModerationState.REJECTED).exists():
            step.detail = "Created by the user, kept as a record, rejected already."
        else:
            step.action, step.detail = REJECT, "Created by the user and kept as a record (archived text): rejected."
    elif created:
        step.action, step.detail = DELETE, "Created by the user: deleted (it can be undeleted from its history)."
    elif gone:
        step.action, step.change = UNDELETE, latest
        step.detail = "Deleted by the user: undeleted as it was when deleted."
        if len(own) > 1:
            step.detail += " Check its text: the user's earlier edits in the window are in it."
    else:
        step.action, step.revision_id = REVERT, prior.revision_id
        step.detail = f"Reverted to revision {prior.revision_id}, the last before the user's edits."
    return step


def user_rollback(*, moderator, user, since, until=None, summary: str = "") -> list[RollbackStep]:
    """Undo ``user``'s edits in the window (see the module docstring); returns the steps taken."""
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators roll back another user's edits.")
    steps = rollback_plan(user=user, since=since, until=until)
    if not any(step.action != SKIP for step in steps):
        raise ValidationError("Nothing to roll back: the user saved nothing in that time, or it was all edited since.")
    summary = summary.strip() or f"Rolled back edits of {user.get_username()} since {since:%Y-%m-%d %H:%M}"
    with transaction.atomic():
        with revision(author=moderator, summary=summary):
            for step in steps:
                _apply(step, moderator=moderator, summary=summary, deletions=False)
        # Each deletion its own revision, so the deleted page can be undeleted; newest first, so
        # a claim goes before the source it was created with.
        for step in reversed(steps):
            _apply(step, moderator=moderator, summary=summary, deletions=True)
    return steps


def _apply(step: RollbackStep, *, moderator, summary: str, deletions: bool) -> None:
    kind = kind_for_content_type_id(step.content_type_id)
    if deletions != (step.action in (DELETE, REMOVE_RELATION)):
        return
    match step.action:
        case "revert":
            page = kind.model.objects.get(pk=step.object_id)
            page_revert(kind=kind, page=page, author=moderator, revision_id=step.revision_id, summary=summary)
        case "undelete":
            page_undelete(kind=kind, change=step.change, author=moderator, summary=summary)
        case "reject":
            source_moderate(
                source=Source.objects.get(pk=step.object_id),
                moderator=moderator,
                action=ModerationAction.REJECT,
                note=summary,
            )
        case "delete":
            page = kind.model.objects.get(pk=step.object_id)
            try:
                page_delete(kind=kind, page=page, author=moderator, summary=summary)
            except DeletionBlocked as error:
                raise ValidationError(f"“{step.title}” cannot be deleted: {' '.join(error.messages)}") from None
        case "remove_relation":
            relation = _relation_model(step).objects.filter(pk=step.object_id).first()
            if relation is not None:
                relation_delete(relation=relation, author=moderator, summary=summary)
        case "restore_relation":
            model = _relation_model(step)
            version = Version.objects.get_for_object_reference(model, step.object_id).filter(
                revision_id=step.revision_id
            )
            version = version.first()
            if version is not None:
                version.revert()
                note_relation_change(model.objects.get(pk=step.object_id), ChangeAction.REVERT)


def _kept_as_record(source_id: str) -> bool:
    return (
        Snapshot.objects.filter(source_id=source_id).exists()
        or ModerationDecision.objects.filter(source_id=source_id).exists()
    )


def _relation_model(step: RollbackStep):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_id(step.content_type_id).model_class()
