"""The words of the API documentation: one summary and description per operation.

``resource_docs`` gives every resource the same, complete set, so the docs page
describes every operation and its headers; a test checks that none is left bare.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema

from intel.api.viewsets import EDIT_SUMMARY_PARAMETER, IF_MATCH_PARAMETER

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "csv"],
    description="`csv` streams every matching row (filters apply, pages do not) as a spreadsheet-safe CSV file.",
)


def resource_docs(label: str, resource: str, about: str, *, writable: bool = True) -> dict:
    """extend_schema_view arguments for one resource (``label`` singular, ``resource`` its URL prefix)."""
    a = "an" if label[0] in "aeiou" else "a"
    docs = {
        "list": extend_schema(
            summary=f"List {resource.replace('-', ' ')}",
            description=f"{about}\n\nFilter with the query parameters below, search with `search`, sort with "
            "`ordering` (a field name, `-` for descending). `updated_since` returns only rows created or changed "
            "since a moment, for clients that mirror the data (deletions are in `/api/changes/`). "
            "`?format=csv` exports the whole filtered list.",
            parameters=[FORMAT_PARAMETER],
        ),
        "retrieve": extend_schema(
            summary=f"Read one {label}",
            description=f"The {label}, with its ETag (the revision it is at) in the `ETag` header: send it back "
            "in `If-Match` when you change or delete it.",
        ),
    }
    if writable:
        docs.update(
            {
                "create": extend_schema(
                    summary=f"Create {a} {label}",
                    description=f"Creates the {label} as one revision in the wiki's history, by the token's user, "
                    "with the edit summary from `summary` or `X-Edit-Summary`. Needs the analyst role.",
                    parameters=[EDIT_SUMMARY_PARAMETER],
                ),
                "update": extend_schema(
                    summary=f"Replace {a} {label}",
                    description=f"Saves the {label} as a new revision. With `If-Match`, a {label} changed since "
                    "is refused with 412 and the current version; without it, a concurrent edit is merged as in "
                    "the wiki, or refused with 409 when both changed the same thing.",
                    parameters=[IF_MATCH_PARAMETER, EDIT_SUMMARY_PARAMETER],
                ),
                "partial_update": extend_schema(
                    summary=f"Change some fields of {a} {label}",
                    description="Like replace, but fields left out keep their values.",
                    parameters=[IF_MATCH_PARAMETER, EDIT_SUMMARY_PARAMETER],
                ),
                "destroy": extend_schema(
                    summary=f"Delete {a} {label}",
                    description=f"Deletes the {label} as a revision (it can be undeleted in the wiki; the change "
                    "feed lists a tombstone). Refused with 409 while other pages refer to it.",
                    parameters=[IF_MATCH_PARAMETER, EDIT_SUMMARY_PARAMETER],
                ),
            }
        )
    return docs
