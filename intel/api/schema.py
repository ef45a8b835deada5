"""The OpenAPI schema's finishing touches (drf-spectacular).

- Links to other pages are written as ids and read as brief objects: the extension
  below says so, per direction.
- Every operation lists the errors it can answer with (all in the one JSON error
  shape), and object responses their ETag: added by a postprocessing hook, so no
  view can forget them.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.extensions import OpenApiSerializerFieldExtension

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error: a message for people and a code for programs.",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in words."},
        "code": {"type": "string", "description": "A stable code, e.g. invalid, not_found, precondition_failed."},
        "errors": {
            "type": "object",
            "additionalProperties": {},
            "description": "400 only: field name → its messages.",
        },
        "conflicts": {"type": "array", "items": {"type": "object"}, "description": "409 edit conflicts only."},
        "current_revision": {"type": "integer", "nullable": True},
        "current": {"type": "object", "description": "412 only: the object as it is now."},
    },
    "required": ["detail", "code"],
}

COMMON_ERRORS = {
    "400": "Bad input: a field, filter or page_size is not valid (see `errors`).",
    "401": "Not signed in: send `Authorization: Token <key>`.",
    "403": "Signed in, but your role may not do this.",
    "404": "No such object, page or cursor.",
    "406": "The Accept header asks for a format this endpoint does not produce.",
    "429": "Too many requests: wait the seconds in Retry-After.",
    "503": "The database is unreachable for the moment.",
}
WRITE_ERRORS = {
    "409": "Conflict: a concurrent edit of the same thing (see `conflicts`), or the object is still referred to.",
    "413": "The body is larger than the server accepts.",
    "415": "The body is not JSON (send Content-Type: application/json).",
    "428": "The server requires If-Match on writes.",
}
CONDITIONAL_ERRORS = {"412": "If-Match names a version that is no longer current; `current` holds the object now."}
ETAG_HEADER = {"ETag": {"schema": {"type": "string"}, "description": 'The revision the object is at, e.g. "rev-42".'}}


class PageRelatedFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "intel.api.fields.PageRelatedField"

    def map_serializer_field(self, auto_schema, direction):
        model = self.target.get_queryset().model._meta.verbose_name
        if direction == "request":
            schema = {"type": "integer", "description": f"The id of a {model}."}
            if self.target.allow_null:
                schema["nullable"] = True
            return schema
        reference = auto_schema.resolve_serializer(self.target.brief, direction).ref
        if self.target.allow_null:
            return {"allOf": [reference], "nullable": True}
        return reference


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: the Error component, every operation's error answers, ETag and Location headers."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            errors = dict(COMMON_ERRORS)
            if method != "get":
                errors |= WRITE_ERRORS
            if method in ("put", "patch", "delete"):
                errors |= CONDITIONAL_ERRORS
            if method == "get" and settings.INTEL_PUBLIC_READ and operation.get("security"):
                operation["security"].append({})  # reading needs no token while the wiki is public
            responses = operation.setdefault("responses", {})
            csv = responses.get("200", {}).get("content", {}).get("text/csv")
            if csv is not None:
                csv["schema"] = {"type": "string", "description": "CSV with a header row; one line per object."}
            for code, description in errors.items():
                responses.setdefault(code, {"description": description, "content": error})
            is_object = "{id}" in path and not path.endswith("/history/")
            for code in ("200", "201"):
                answers_an_object = is_object or (method == "post" and code == "201")  # a creation
                if code in responses and answers_an_object and not path.startswith("/api/changes"):
                    responses[code].setdefault("headers", {}).update(ETAG_HEADER)
            if method == "post" and "201" in responses:
                responses["201"]["headers"]["Location"] = {
                    "schema": {"type": "string", "format": "uri"},
                    "description": "The new object's URL.",
                }
    return result
