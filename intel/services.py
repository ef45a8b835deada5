"""Writes of the evidence app: sources, people, claims, citations and their moderation.

The only way these objects are written: browser views, the API, the admin and
``load_demo`` call these functions, so permissions, validation and revisions are the
same whichever door a change comes through.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from intel import anchoring
from intel.choices import Reliability, SnapshotOrigin, VerificationState
from intel.editing import (
    ANY_REVISION,
    latest_revision_id,
    page_create,
    page_update,
    record_change,
    relation_delete,
    relation_save,
)
from intel.extraction import ExtractedText, extract_upload
from intel.models import Citation, Claim, ClaimRelation, Person, Snapshot, Source
from intel.moderation import note_new_snapshot, note_source_saved
from intel.pages import PAGE_KINDS, citation_rows
from intel.revisions import require_editor, revision
from intel.roles import can_moderate

MODERATOR_ONLY_FIELDS = {"moderation_state", "moderated_by", "moderated_at", "moderation_note", "submitted_by"}


@transaction.atomic
def source_create(*, author, summary: str = "Created source", **fields) -> Source:
    """A new source always starts pending: moderators decide whether it counts, and only
    they rate its reliability. Its author is its submitter in the moderation queue."""
    fields = {name: value for name, value in fields.items() if name not in MODERATOR_ONLY_FIELDS}
    if not can_moderate(author):
        fields.pop("reliability", None)
    source = page_create(kind=PAGE_KINDS["source"], author=author, values=fields, summary=summary)
    Source.objects.filter(pk=source.pk).update(submitted_by=author)
    source.submitted_by = author
    note_source_saved(source=source, author=author, reliability_before=Reliability.F)  # a moderator's first rating
    return source


# ---------------------------------------------------------------------------
# Snapshots and quote anchoring

ANCHOR_FIELDS = [
    "snapshot",
    "anchor_exact",
    "anchor_prefix",
    "anchor_suffix",
    "anchor_start",
    "anchor_end",
    "anchor_similarity",
    "anchor_note",
    "verification",
]


def snapshot_add(
    *,
    source: Source,
    author,
    extracted: ExtractedText,
    original: bytes,
    origin: str = SnapshotOrigin.UPLOAD,
    content_type: str = "",
) -> Snapshot:
    """Archive a new copy of the source's text and re-anchor every citation of the source in it.

    The source's page gets a revision ("Archived a snapshot"), so history says who
    archived what and when. The same bytes as the current snapshot are refused: nothing
    would change. An approved source given a new copy by someone who is not a moderator
    goes back to pending: the approval was for the text it had.
    """
    require_editor(author)
    with transaction.atomic():
        locked = Source.objects.select_for_update().get(pk=source.pk)
        current = Snapshot.objects.filter(pk=locked.snapshot_id).values_list("sha256", flat=True).first()
        if current == extracted.sha256:
            raise ValidationError(
                f"This is the source's current snapshot already (sha256 {current[:12]}…): nothing to archive.",
                code="duplicate",
            )
        snapshot = Snapshot(
            source=locked,
            created_by=author,
            origin=origin,
            filename=extracted.filename[:255],
            content_type=content_type[:100],
            format=extracted.format,
            encoding=extracted.encoding,
            encoding_detected=extracted.encoding_detected,
            size=extracted.size,
            sha256=extracted.sha256,
            original=original,
            text=extracted.text,
        )
        snapshot.full_clean(exclude=["source", "created_by"])
        snapshot.save()
        locked.snapshot = snapshot
        if locked.retrieved_at is None:
            locked.retrieved_at = timezone.now()
        was = locked.moderation_state
        note_new_snapshot(source=locked, author=author)
        summary = f"Archived a snapshot ({extracted.size:,} bytes, {extracted.format}, sha256 {extracted.sha256[:12]}…)"
        if locked.moderation_state != was:
            summary += "; back to pending moderation"
        with revision(author=author, summary=summary):
            locked.save(
                update_fields=[
                    "snapshot",
                    "retrieved_at",
                    "moderation_state",
                    "moderated_by",
                    "moderated_at",
                    "moderation_note",
                    "updated",
                ]
            )
            record_change(page=locked)
        snapshot.anchor_counts = citations_anchor(source=locked, snapshot=snapshot)
    return snapshot


@dataclass
class SourceImport:
    """What an import did: the source (found or created), the snapshot, and how the citations anchored."""

    source: Source
    created: bool
    snapshot: Snapshot | None
    anchors: dict[str, int]


def source_import(
    *,
    author,
    data: bytes,
    filename: str = "",
    encoding: str = "",
    source: Source | None = None,
    fields: dict | None = None,
) -> SourceImport:
    """Archive a file as a source's snapshot, creating the source when none matches.

    The source is ``source`` if given, else the one with the same URL, else the one
    with the same title; otherwise a new, pending source is made from ``fields`` (its
    title defaults to the HTML title or the file name). Importing the bytes of the
    current snapshot again changes nothing. One transaction: a bad file leaves no
    half-made source behind.
    """
    extracted = extract_upload(data, filename=filename, encoding=encoding, max_bytes=settings.INTEL_SNAPSHOT_MAX_BYTES)
    fields = {name: value for name, value in (fields or {}).items() if value not in (None, "")}
    with transaction.atomic():
        created = False
        if source is None and fields.get("url"):
            source = Source.objects.filter(url=fields["url"]).first()
        if source is None and fields.get("title"):
            source = Source.objects.filter(title=fields["title"]).order_by("pk").first()
        if source is None:
            fields.setdefault("title", extracted.title or Path(filename).stem or "Untitled source")
            source = source_create(author=author, summary="Imported source", **fields)
            created = True
        current = Snapshot.objects.filter(pk=source.snapshot_id).values_list("sha256", flat=True).first()
        if current == extracted.sha256:
            return SourceImport(source=source, created=created, snapshot=None, anchors={})
        snapshot = snapshot_add(
            source=source, author=author, extracted=extracted, original=data, origin=SnapshotOrigin.IMPORT
        )
    return SourceImport(source=source, created=created, snapshot=snapshot, anchors=snapshot.anchor_counts)


def citations_anchor(*, source: Source, snapshot: Snapshot | None) -> dict[str, int]:
    """Look up every citation of the source in ``snapshot`` again; returns how many ended in each state.

    Anchors are derived data, so this is not a revision of the claims: the history of a
    claim records what the analyst wrote, and the anchor follows the archived text. The
    previous anchor's prefix and suffix settle a quote the new text holds twice.
    """
    # Locked: a claim edit changing a quote meanwhile must not get an anchor computed for the old one.
    citations = list(source.citations.select_for_update().only("pk", "quote", *ANCHOR_FIELDS).order_by("pk"))
    counts: dict[str, int] = {}
    for citation in citations:
        citation_anchor(citation, snapshot=snapshot, prefix=citation.anchor_prefix, suffix=citation.anchor_suffix)
        counts[citation.verification] = counts.get(citation.verification, 0) + 1
    Citation.objects.bulk_update(citations, ANCHOR_FIELDS, batch_size=500)
    return counts


def citation_anchor(citation: Citation, *, snapshot: Snapshot | None, prefix: str = "", suffix: str = "") -> None:
    """Set the citation's anchor fields (unsaved) from looking its quote up in ``snapshot``."""
    anchor = anchoring.anchor_quote(snapshot.text if snapshot else None, citation.quote, prefix=prefix, suffix=suffix)
    citation.snapshot = snapshot
    citation.verification = anchor.state
    citation.anchor_start = anchor.start
    citation.anchor_end = anchor.end
    citation.anchor_exact = anchor.exact
    citation.anchor_prefix = anchor.prefix if anchor.start is not None else prefix[-64:]
    citation.anchor_suffix = anchor.suffix if anchor.start is not None else suffix[:64]
    citation.anchor_similarity = anchor.similarity if anchor.state == VerificationState.APPROXIMATE else None
    citation.anchor_note = anchor.message[:300]


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
