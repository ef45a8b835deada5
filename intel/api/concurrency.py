"""Optimistic concurrency for the API: ETag out, If-Match in.

An object's ETag names the revision it is at: ``"rev-42"`` (``"rev-0"`` before its
first revision). A write that sends ``If-Match`` is done only if the object is still at
that revision — checked again under the row lock by the service — and is refused with
412 otherwise. Without ``If-Match`` the write starts from the revision current when the
server reads the object: between clients the last writer wins (only a save landing
inside the request itself is merged or refused with 409). INTEL_API_REQUIRE_IF_MATCH
makes the header required (428 without it).
"""

from __future__ import annotations

import re

from django.conf import settings

from intel.api.errors import PreconditionRequired
from intel.editing import ANY_REVISION, StaleRevision, latest_revision_id

_ETAG = re.compile(r'^(?:W/)?"rev-(\d{1,19})"$')


def etag_for_revision(revision_id: int | None) -> str:
    return f'"rev-{revision_id or 0}"'


def etag_of(obj) -> str:
    return etag_for_revision(latest_revision_id(obj))


def expected_revision(request, current_revision: int | None):
    """The revision the client's If-Match names: ANY_REVISION without the header (or with ``*``),
    else the revision id (None for ``"rev-0"``). Raises PreconditionRequired (428), or StaleRevision
    (412 with the current object) early, before any work."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if settings.INTEL_API_REQUIRE_IF_MATCH:
            raise PreconditionRequired()
        return ANY_REVISION
    if header == "*":
        return ANY_REVISION
    named = []
    for tag in header.split(","):
        match = _ETAG.match(tag.strip())
        if match:
            named.append(int(match.group(1)) or None)
    if current_revision in named:
        return current_revision
    # Stale, or not an ETag of ours at all: either way it names no current version.
    raise StaleRevision(current_revision=current_revision)
