"""A source's archived text: adding a snapshot, reading it with its quotes highlighted, the original file."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from intel import services
from intel.anchoring import describe_counts
from intel.choices import SnapshotOrigin, VerificationState
from intel.forms import SnapshotForm
from intel.models import Citation, Snapshot, Source
from intel.pages import PAGE_KINDS, parse_id
from intel.reader import Highlight, highlighted_text, original_download
from intel.roles import can_edit
from intel.views.pages import editor_required, get_page

SOURCE = PAGE_KINDS["source"]
LOCATED = (VerificationState.VERIFIED, VerificationState.NORMALISED, VerificationState.APPROXIMATE)


@editor_required
def source_snapshot(request, pk: int):
    """Upload or paste a new archived copy; every citation of the source is anchored in it again."""
    source = get_page(SOURCE, pk, queryset=Source.objects.select_related("snapshot").defer("snapshot__original"))
    form = SnapshotForm(request.POST or None, request.FILES or None, max_bytes=settings.INTEL_SNAPSHOT_MAX_BYTES)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            snapshot = services.snapshot_add(
                source=source,
                author=request.user,
                extracted=form.extracted,
                original=form.original,
                origin=SnapshotOrigin.UPLOAD if upload else SnapshotOrigin.PASTE,
                content_type=(upload.content_type or "") if upload else "",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _archived_message(snapshot))
            return redirect(SOURCE.url("reader", source.pk))
    context = {
        "kind": SOURCE,
        "page": source,
        "page_key": source.pk,
        "form": form,
        "max_bytes": settings.INTEL_SNAPSHOT_MAX_BYTES,
    }
    return render(request, "intel/source_snapshot_form.html", context, status=400 if form.errors else 200)


def _archived_message(snapshot: Snapshot) -> str:
    found = describe_counts(snapshot.anchor_counts)
    return f"Archived {len(snapshot.text):,} characters of text." + (f" Citations: {found}." if found else "")


def source_reader(request, pk: int):
    """The archived text with every cited quote highlighted and linked to its claim."""
    source = get_page(SOURCE, pk, queryset=Source.objects.all())
    snapshots = list(source.snapshots.defer("original", "text").select_related("created_by"))
    wanted = parse_id(request.GET.get("snapshot")) if "snapshot" in request.GET else source.snapshot_id
    if "snapshot" in request.GET and wanted is None:
        raise Http404("No such snapshot of this source.")
    snapshot = Snapshot.objects.defer("original").filter(source=source, pk=wanted).first() if wanted else None
    if wanted and snapshot is None:
        raise Http404("No such snapshot of this source.")
    citations = list(
        Citation.objects.filter(source=source)
        .select_related("claim")
        .only(*CITATION_FIELDS)
        .order_by("anchor_start", "pk")
    )
    highlights = [
        Highlight(
            citation_id=citation.pk,
            claim_id=citation.claim_id,
            start=citation.anchor_start,
            end=citation.anchor_end,
            state=citation.verification,
            title=citation.claim.statement[:200],
        )
        for citation in citations
        if snapshot and citation.snapshot_id == snapshot.pk and citation.anchor_start is not None
    ]
    context = {
        "kind": SOURCE,
        "page": source,
        "page_key": source.pk,
        "snapshot": snapshot,
        "snapshots": snapshots,
        "is_current": snapshot is not None and snapshot.pk == source.snapshot_id,
        "text_html": highlighted_text(snapshot.text, highlights) if snapshot else "",
        "citations": citations,
        "highlighted": {highlight.citation_id for highlight in highlights},
        "can_edit": can_edit(request.user),
    }
    return render(request, "intel/source_reader.html", context)


CITATION_FIELDS = (
    "pk",
    "claim_id",
    "source_id",
    "claim__statement",
    "quote",
    "verification",
    "snapshot_id",
    "anchor_start",
    "anchor_end",
    "anchor_similarity",
    "anchor_note",
)


def snapshot_original(request, pk: int, snapshot_id: int):
    """The bytes as they were uploaded, as a download: never rendered here, whatever they hold."""
    source = get_page(SOURCE, pk, queryset=Source.objects.only("pk"))
    snapshot = Snapshot.objects.filter(source=source, pk=snapshot_id).first()
    if snapshot is None:
        raise Http404("No such snapshot of this source.")
    return original_download(snapshot)
