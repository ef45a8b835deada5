"""Writes of the evidence app: sources, people, claims, citations and their moderation.

The only way these objects are written: browser views, the API, the admin and
``load_demo`` call these functions, so permissions, validation and revisions are the
same whichever door a change comes through.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from intel.choices import ModerationState
from intel.editing import (
    ANY_REVISION,
    latest_revision_id,
    page_create,
    page_update,
    record_change,
    relation_delete,
    relation_save,
)
from intel.models import Citation, Claim, ClaimRelation, Person, Source
from intel.pages import PAGE_KINDS, citation_rows
from intel.revisions import revision
from intel.roles import can_moderate

MODERATOR_ONLY_FIELDS = {"moderation_state", "moderated_by", "moderated_at", "moderation_note"}


def source_create(*, author, summary: str = "Created source", **fields) -> Source:
    """A new source always starts pending: moderators decide whether it counts, and only
    they rate its reliability."""
    fields = {name: value for name, value in fields.items() if name not in MODERATOR_ONLY_FIELDS}
    if not can_moderate(author):
        fields.pop("reliability", None)
    return page_create(kind=PAGE_KINDS["source"], author=author, values=fields, summary=summary)


@transaction.atomic
def source_approve(*, source: Source, moderator, note: str = "") -> Source:
    """Approve a source; records who decided and when."""
    return _source_decide(source=source, moderator=moderator, state=ModerationState.APPROVED, note=note)


@transaction.atomic
def source_reject(*, source: Source, moderator, reason: str) -> Source:
    """Reject a source; a rejection must say why."""
    if not (reason or "").strip():
        raise ValidationError({"moderation_note": "Say why the source is rejected."})
    return _source_decide(source=source, moderator=moderator, state=ModerationState.REJECTED, note=reason.strip())


def _source_decide(*, source: Source, moderator, state: ModerationState, note: str) -> Source:
    if not can_moderate(moderator):
        raise PermissionDenied("Only moderators can approve or reject sources.")
    # Re-read under a row lock so two moderators deciding at once are serialised.
    locked = Source.objects.select_for_update().get(pk=source.pk)
    locked.moderation_state = state
    locked.moderated_by = moderator
    locked.moderated_at = timezone.now()
    locked.moderation_note = note
    summary = f"{state.label} source" + (f": {note}" if note else "")
    with revision(author=moderator, summary=summary):
        locked.save(update_fields=["moderation_state", "moderated_by", "moderated_at", "moderation_note", "updated"])
        record_change(page=locked)  # the decision shows in recent changes and on watchlists
    return locked


def person_create(*, author, summary: str = "Created person", **fields) -> Person:
    return page_create(kind=PAGE_KINDS["person"], author=author, values=fields, summary=summary)


def claim_create(
    *,
    author,
    statement: str,
    citations: list[dict],
    summary: str = "Created claim",
    companies=(),
    products=(),
    milestones=(),
    **fields,
) -> Claim:
    """Create a claim with its citations as one revision.

    ``citations`` is a list of dicts of Citation fields (source, quote, speaker,
    translation, locator); a claim needs at least one. Everything is validated before
    anything is written.
    """
    values = {"statement": statement, "companies": companies, "products": products, "milestones": milestones, **fields}
    return page_create(kind=PAGE_KINDS["claim"], author=author, values=values, summary=summary, citations=citations)


def citation_add(*, author, claim: Claim, summary: str = "", **fields) -> Citation:
    """Cite one more source for a claim: an edit of the claim, with its other citations as they are."""
    before = set(claim.citations.values_list("pk", flat=True))
    rows = [*citation_rows(claim), {"id": None, **fields}]
    _save_citations(claim, rows, author=author, summary=summary or "Added a citation", expected_revision=ANY_REVISION)
    return claim.citations.exclude(pk__in=before).order_by("-pk").first()


def citation_change(
    *, citation: Citation, author, summary: str = "", expected_revision=ANY_REVISION, **fields
) -> Citation:
    """Change one citation (source, speaker, quote, translation, locator): an edit of its claim."""
    rows = [{**row, **fields} if row["id"] == citation.pk else row for row in citation_rows(citation.claim)]
    _save_citations(
        citation.claim, rows, author=author, summary=summary or "Edited a citation", expected_revision=expected_revision
    )
    citation.refresh_from_db()
    return citation


def citation_remove(*, citation: Citation, author, summary: str = "", expected_revision=ANY_REVISION) -> None:
    """Remove one citation: an edit of its claim, refused when it is the claim's last."""
    rows = [row for row in citation_rows(citation.claim) if row["id"] != citation.pk]
    _save_citations(
        citation.claim,
        rows,
        author=author,
        summary=summary or "Removed a citation",
        expected_revision=expected_revision,
    )


def _save_citations(claim: Claim, rows: list[dict], *, author, summary: str, expected_revision) -> None:
    """Save the claim with these citation rows, as one revision of the claim (strict when a revision is expected)."""
    strict = expected_revision is not ANY_REVISION
    page_update(
        kind=PAGE_KINDS["claim"],
        page=claim,
        author=author,
        values={},
        citations=rows,
        base_revision=expected_revision if strict else latest_revision_id(claim),
        strict=strict,
        summary=summary,
    )


def claim_relation_create(
    *, author, from_claim: Claim, kind: str, to_claim: Claim, note: str = "", summary: str = ""
) -> ClaimRelation:
    relation = ClaimRelation(from_claim=from_claim, kind=kind, to_claim=to_claim, note=note)
    return relation_save(relation=relation, author=author, summary=summary or f"Linked claims: {relation}")


def claim_relation_update(
    *, relation: ClaimRelation, author, summary: str = "", expected_revision=ANY_REVISION, **fields
) -> ClaimRelation:
    for name, value in fields.items():
        setattr(relation, name, value)
    return relation_save(
        relation=relation,
        author=author,
        summary=summary or f"Edited claim link: {relation}",
        expected_revision=expected_revision,
    )


def claim_relation_delete(
    *, relation: ClaimRelation, author, summary: str = "", expected_revision=ANY_REVISION
) -> None:
    relation_delete(
        relation=relation,
        author=author,
        summary=summary or f"Removed claim link: {relation}",
        expected_revision=expected_revision,
    )
