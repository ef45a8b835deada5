"""A claim's support and its status workflow.

Support is computed, never typed: how many approved sources cite the claim, the best
reliability among them, how many of its quotes were not found in their sources'
archived text. A claim none of whose sources is approved is *unsupported*.

Status follows rules (the claim page's status form, the edit form and the API all ask
:func:`status_refusal`; the admin shows the status read-only):

- ``corroborated`` needs at least two approved sources from different publishers,
  or a moderator's override with a reason;
- ``disputed`` needs a claim that contradicts it (a *contradicts* link, either way),
  or a moderator saying so with a reason;
- ``superseded`` needs a claim that supersedes it, or a moderator with a reason;
- ``retracted`` needs a reason;
- back to ``unverified`` from corroborated or disputed is anyone's; from retracted or
  superseded it is a moderator's.

The reason is kept on the claim (``status_note``) and in the revision's summary.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from intel.choices import ClaimRelationKind, ClaimStatus, ModerationState, VerificationState
from intel.models import Citation, Claim, ClaimRelation
from intel.revisions import require_editor
from intel.roles import can_moderate

RELIABILITY_ORDER = "ABCDEF"  # A is the best


@dataclass(frozen=True)
class Support:
    """What backs a claim, from its citations' sources and anchors."""

    citations: int
    approved_sources: int
    approved_publishers: int
    best_reliability: str | None  # among the approved sources
    quotes_not_found: int

    @property
    def unsupported(self) -> bool:
        return self.approved_sources == 0

    @property
    def corroborates(self) -> bool:
        """Enough for "corroborated" without an override: two approved sources, two publishers."""
        return self.approved_sources >= 2 and self.approved_publishers >= 2

    def as_dict(self) -> dict:
        return {
            "approved_sources": self.approved_sources,
            "approved_publishers": self.approved_publishers,
            "best_reliability": self.best_reliability,
            "quotes_not_found": self.quotes_not_found,
            "unsupported": self.unsupported,
        }


def support_of(citations) -> Support:
    """Support from citation rows: dicts as the API builds them (``source`` a dict) or Citation objects."""
    approved: dict[int, tuple[str, str]] = {}
    not_found = 0
    count = 0
    for citation in citations:
        count += 1
        if isinstance(citation, dict):
            source = citation["source"]
            source_id, state = source["id"], source["moderation_state"]
            reliability, publisher = source["reliability"], source.get("publisher") or ""
            verification = citation["verification"]
        else:
            source_id, state = citation.source_id, citation.source.moderation_state
            reliability, publisher = citation.source.reliability, citation.source.publisher
            verification = citation.verification
        if verification == VerificationState.NOT_FOUND:
            not_found += 1
        if state == ModerationState.APPROVED:
            approved[source_id] = (reliability, publisher)
    # Sources without a publisher count as one publisher each: nothing says they are the same.
    publishers = {(publisher.strip().casefold() or f"#{pk}") for pk, (_, publisher) in approved.items()}
    ratings = sorted((reliability for reliability, _ in approved.values()), key=RELIABILITY_ORDER.find)
    return Support(
        citations=count,
        approved_sources=len(approved),
        approved_publishers=len(publishers),
        best_reliability=ratings[0] if ratings else None,
        quotes_not_found=not_found,
    )


def claim_support(claim: Claim) -> Support:
    citations = (
        Citation.objects.filter(claim=claim)
        .select_related("source")
        .only("source_id", "verification", "source__moderation_state", "source__reliability", "source__publisher")
    )
    return support_of(citations)


def contradicting_claims(claim: Claim):
    """Claims linked to this one by "contradicts", in either direction."""
    links = ClaimRelation.objects.filter(kind=ClaimRelationKind.CONTRADICTS).filter(
        Q(from_claim=claim) | Q(to_claim=claim)
    )
    ids = {pk for pair in links.values_list("from_claim_id", "to_claim_id") for pk in pair} - {claim.pk}
    return Claim.objects.filter(pk__in=ids)


def status_refusal(claim: Claim, status: str, *, author, reason: str = "", override: bool = False) -> str | None:
    """Why ``claim`` may not move to ``status`` now, in words; None when it may.

    ``override``: a moderator sets the status against the evidence rule, with a reason.
    """
    current = claim.status if claim.pk else ClaimStatus.UNVERIFIED
    if status == current:
        return None
    if status not in ClaimStatus.values:
        return f"“{status}” is not a claim status."
    moderator = can_moderate(author)
    if override:
        if not moderator:
            return "Only moderators can override the status rules."
        if not reason.strip():
            return "A moderator's override needs a reason."
        return None
    match status:
        case ClaimStatus.CORROBORATED:
            support = claim_support(claim) if claim.pk else None
            if support is None or not support.corroborates:
                have = support.approved_sources if support else 0
                publishers = support.approved_publishers if support else 0
                return (
                    "Corroborated needs at least two approved sources from different publishers "
                    f"(this claim has {have} approved source{'s' if have != 1 else ''} from "
                    f"{publishers} publisher{'s' if publishers != 1 else ''}); a moderator can override with a reason."
                )
        case ClaimStatus.DISPUTED:
            if not claim.pk or not contradicting_claims(claim).exists():
                return (
                    "Disputed needs a claim that contradicts this one: link it first (contradicts), "
                    "or ask a moderator to mark it disputed with a reason."
                )
        case ClaimStatus.SUPERSEDED:
            newer = claim.pk and ClaimRelation.objects.filter(kind=ClaimRelationKind.SUPERSEDES, to_claim=claim)
            if not newer or not newer.exists():
                return "Superseded needs the claim that supersedes this one: link it first (supersedes)."
        case ClaimStatus.RETRACTED:
            if not reason.strip():
                return "Say why the claim is retracted."
        case ClaimStatus.UNVERIFIED:
            if current in (ClaimStatus.RETRACTED, ClaimStatus.SUPERSEDED) and not moderator:
                return f"Only a moderator can reopen a {ClaimStatus(current).label.lower()} claim."
    return None


def claim_set_status(*, claim: Claim, author, status: str, reason: str = "", override: bool = False) -> Claim:
    """Move a claim to ``status`` under the rules (see the module docstring): one revision of the claim."""
    from intel.editing import latest_revision_id, page_update  # editing asks this module, so import late
    from intel.pages import PAGE_KINDS

    require_editor(author)
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        if locked.status == status:
            raise ValidationError({"status": f"The claim is {ClaimStatus(status).label.lower()} already."})
        if refusal := status_refusal(locked, status, author=author, reason=reason, override=override):
            if override and not can_moderate(author):
                raise PermissionDenied(refusal)
            raise ValidationError({"status": refusal})
        label = ClaimStatus(status).label
        summary = (
            f"Marked {label.lower()}"
            + (" (moderator override)" if override else "")
            + (f": {reason.strip()}" if reason.strip() else "")
        )
        page_update(
            kind=PAGE_KINDS["claim"],
            page=locked,
            author=author,
            values={"status": status},
            base_revision=latest_revision_id(locked),
            summary=summary,
            status_reason=reason.strip(),
        )
        locked.refresh_from_db()
    return locked
