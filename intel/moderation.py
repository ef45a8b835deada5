"""Moderation: which sources count, and the log of every decision.

Moderators approve a source, reject it with a reason, or send it back with what to
fix; the analyst resubmits it once fixed. Moderators also rate its reliability
(Admiralty A–F). Every decision is one revision of the source (so it shows in its
history and in recent changes) and one :class:`~intel.models.ModerationDecision` in
its log, written in the same transaction. The moderation queue, the admin and the
API all call these functions.

Two moderators deciding at once are serialised by a row lock; a decision made on a
stale view (``expected_state``: what the moderator saw) is refused rather than
silently overriding the other moderator's.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from intel.choices import ModerationAction, ModerationState, Reliability
from intel.editing import record_change
from intel.models import ModerationDecision, Source
from intel.revisions import require_editor, revision
from intel.roles import can_moderate

# Which states each decision may start from.
ALLOWED_FROM = {
    ModerationAction.APPROVE: {ModerationState.PENDING, ModerationState.SENT_BACK, ModerationState.REJECTED},
    ModerationAction.REJECT: {ModerationState.PENDING, ModerationState.SENT_BACK, ModerationState.APPROVED},
    ModerationAction.SEND_BACK: {ModerationState.PENDING, ModerationState.APPROVED},
    ModerationAction.RESUBMIT: {ModerationState.SENT_BACK},
    ModerationAction.RATE: set(ModerationState),
}
RESULT = {
    ModerationAction.APPROVE: ModerationState.APPROVED,
    ModerationAction.REJECT: ModerationState.REJECTED,
    ModerationAction.SEND_BACK: ModerationState.SENT_BACK,
    ModerationAction.RESUBMIT: ModerationState.PENDING,
}
# The decisions a moderation form or API call may ask for (rating has its own field), as buttons say them.
DECISIONS = [ModerationAction.APPROVE, ModerationAction.REJECT, ModerationAction.SEND_BACK, ModerationAction.RESUBMIT]
VERBS = {
    ModerationAction.APPROVE: "Approve",
    ModerationAction.REJECT: "Reject",
    ModerationAction.SEND_BACK: "Send back",
    ModerationAction.RESUBMIT: "Resubmit",
}


def moderator_choices(state: str) -> list[tuple[str, str]]:
    """(action, verb) of the decisions a moderator can make about a source in ``state``."""
    return [
        (action.value, VERBS[action])
        for action in DECISIONS
        if action != ModerationAction.RESUBMIT and state in ALLOWED_FROM[action]
    ]


def source_moderate(
    *,
    source: Source,
    moderator,
    action: str,
    note: str = "",
    reliability: str | None = None,
    expected_state: str | None = None,
) -> Source:
    """Make one decision about a source; see the module docstring. Returns the source as saved."""
    action = _action(action)
    note = (note or "").strip()
    if action == ModerationAction.RESUBMIT:
        require_editor(moderator)
    elif not can_moderate(moderator):
        raise PermissionDenied("Only moderators decide about sources.")
    if reliability in ("", None):
        reliability = None
    elif reliability not in Reliability.values:
        raise ValidationError({"reliability": f"“{reliability}” is not a reliability; use A to F."})
    elif not can_moderate(moderator):
        raise PermissionDenied("Only moderators rate a source's reliability.")
    if action == ModerationAction.REJECT and not note:
        raise ValidationError({"note": "Say why the source is rejected."})
    if action == ModerationAction.SEND_BACK and not note:
        raise ValidationError({"note": "Say what the submitter should fix before the source is looked at again."})
    if action == ModerationAction.RATE and reliability is None:
        raise ValidationError({"reliability": "Choose a reliability, A to F."})

    with transaction.atomic():
        locked = Source.objects.select_for_update().get(pk=source.pk)
        before_state, before_reliability = locked.moderation_state, locked.reliability
        if expected_state and expected_state != before_state:
            raise ValidationError(_decided_meanwhile(locked), code="stale")
        if before_state not in ALLOWED_FROM[action]:
            raise ValidationError(
                f"“{locked}” is {ModerationState(before_state).label.lower()}: it cannot be "
                f"{ModerationAction(action).label.lower()}.",
                code="not_allowed",
            )
        if reliability is not None:
            locked.reliability = reliability
        if action == ModerationAction.RATE and locked.reliability == before_reliability:
            raise ValidationError({"reliability": f"The source is rated {before_reliability} already."})
        if action in RESULT:
            locked.moderation_state = RESULT[action]
            if action == ModerationAction.RESUBMIT:
                locked.moderated_by, locked.moderated_at, locked.moderation_note = None, None, ""
            else:
                locked.moderated_by, locked.moderated_at, locked.moderation_note = moderator, timezone.now(), note
        with revision(author=moderator, summary=_summary(action, locked, before_reliability, note)):
            locked.save(
                update_fields=[
                    "moderation_state",
                    "moderated_by",
                    "moderated_at",
                    "moderation_note",
                    "reliability",
                    "updated",
                ]
            )
            record_change(page=locked)  # the decision shows in the history, recent changes and watchlists
            ModerationDecision.objects.create(
                source=locked,
                moderator=moderator,
                action=action,
                state_before=before_state,
                state_after=locked.moderation_state,
                reliability_before=before_reliability,
                reliability_after=locked.reliability,
                note=note,
            )
    return locked


@transaction.atomic
def sources_moderate(
    *, sources, moderator, action: str, note: str = "", reliability: str | None = None, expected_states=None
) -> list[Source]:
    """The same decision about several sources, all or none: one refused decision saves nothing."""
    expected_states = expected_states or {}
    sources = list(sources)
    if not sources:
        raise ValidationError("Select at least one source.")
    return [
        source_moderate(
            source=source,
            moderator=moderator,
            action=action,
            note=note,
            reliability=reliability,
            expected_state=expected_states.get(source.pk),
        )
        for source in sources
    ]


def source_approve(*, source: Source, moderator, note: str = "", reliability: str | None = None) -> Source:
    return source_moderate(
        source=source, moderator=moderator, action=ModerationAction.APPROVE, note=note, reliability=reliability
    )


def source_reject(*, source: Source, moderator, reason: str) -> Source:
    return source_moderate(source=source, moderator=moderator, action=ModerationAction.REJECT, note=reason)


def source_send_back(*, source: Source, moderator, request: str) -> Source:
    return source_moderate(source=source, moderator=moderator, action=ModerationAction.SEND_BACK, note=request)


def source_resubmit(*, source: Source, author, note: str = "") -> Source:
    return source_moderate(source=source, moderator=author, action=ModerationAction.RESUBMIT, note=note)


def source_rate(*, source: Source, moderator, reliability: str, note: str = "") -> Source:
    return source_moderate(
        source=source, moderator=moderator, action=ModerationAction.RATE, note=note, reliability=reliability
    )


def note_new_snapshot(*, source: Source, author) -> None:
    """A new archived copy of an approved source, from someone who is not a moderator: the text the
    approval was given for has changed, so the source waits for a moderator again (logged).

    Called by ``snapshot_add`` inside its transaction, with the source row locked.
    """
    if can_moderate(author) or source.moderation_state != ModerationState.APPROVED:
        return
    ModerationDecision.objects.create(
        source=source,
        moderator=author,
        action=ModerationAction.RESUBMIT,
        state_before=source.moderation_state,
        state_after=ModerationState.PENDING,
        reliability_before=source.reliability,
        reliability_after=source.reliability,
        note="A new archived copy: the source waits for a moderator again.",
    )
    source.moderation_state = ModerationState.PENDING
    source.moderated_by, source.moderated_at, source.moderation_note = None, None, ""


def note_source_saved(*, source: Source, author, reliability_before: str | None) -> None:
    """An edit of the source page changed its rating (moderators only): log it as a rating decision.

    Called by the editing services inside the edit's revision.
    """
    if reliability_before is None or reliability_before == source.reliability:
        return
    ModerationDecision.objects.create(
        source=source,
        moderator=author,
        action=ModerationAction.RATE,
        state_before=source.moderation_state,
        state_after=source.moderation_state,
        reliability_before=reliability_before,
        reliability_after=source.reliability,
        note="Changed in an edit of the source.",
    )


def _decided_meanwhile(source: Source) -> str:
    """Why a decision on a stale view is refused: who did what since, from the log."""
    last = source.decisions.select_related("moderator").order_by("-created", "-id").first()
    if last is None:
        return f"“{source}” changed meanwhile; nothing was changed. Look at it again."
    who = last.moderator.get_username() if last.moderator_id else "someone"
    return (
        f"“{source}” was {last.get_action_display().lower()} by {who} meanwhile; nothing was changed. Look at it again."
    )


def _action(action: str) -> ModerationAction:
    try:
        return ModerationAction(action)
    except ValueError:
        choices = ", ".join(ModerationAction.values)
        raise ValidationError({"action": f"“{action}” is not a moderation decision; use one of {choices}."}) from None


def _summary(action: ModerationAction, source: Source, reliability_before: str, note: str) -> str:
    changed = source.reliability != reliability_before
    rating = f" (reliability {reliability_before} → {source.reliability})" if changed else ""
    label = {
        ModerationAction.APPROVE: "Approved source",
        ModerationAction.REJECT: "Rejected source",
        ModerationAction.SEND_BACK: "Sent back",
        ModerationAction.RESUBMIT: "Resubmitted source",
        ModerationAction.RATE: "Rated reliability",
    }[action]
    return f"{label}{rating}" + (f": {note}" if note else "")
