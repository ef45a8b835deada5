"""Every API error is JSON: ``{"detail": message, "code": machine code, ...}``.

400 adds ``errors`` (field → messages), 409 adds ``conflicts``, 412 adds ``current``
(the object as it is now). Domain exceptions raised by the services are translated
here, so a view never builds an error response by hand, and nothing becomes a 500.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, DataError, IntegrityError, InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from intel.editing import EditConflict

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """An APIException that carries more than a message (``extra`` is merged into the body)."""

    def __init__(self, detail=None, code=None, *, extra: dict | None = None, headers: dict | None = None):
        super().__init__(detail, code)
        self.extra = extra or {}
        self.headers = headers or {}


class PreconditionFailed(ApiError):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object has changed since the version your If-Match names."
    default_code = "precondition_failed"


class PreconditionRequired(ApiError):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "This server requires If-Match on writes: GET the object and send its ETag back."
    default_code = "precondition_required"


class Conflict(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the object."
    default_code = "conflict"


class PayloadTooLarge(ApiError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


# How long a client should wait before retrying when the database is away (the Retry-After header).
RETRY_AFTER_SECONDS = 5


class ServiceUnavailable(ApiError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The database is not reachable just now; nothing was saved. Try again shortly."
    default_code = "service_unavailable"


def exception_handler(exc, context):
    """DRF's handler, after translating domain and Django exceptions; the body always has the same shape."""
    exc = _translate(exc, context)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    set_rollback()
    response.data = _body(exc)
    for name, value in getattr(exc, "headers", {}).items():
        response[name] = value
    return response


def _translate(exc, context):
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) or None)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, DjangoValidationError):
        view = context.get("view")
        mapper = getattr(view, "error_field_name", None)
        return exceptions.ValidationError(validation_errors(exc, mapper))
    if isinstance(exc, EditConflict):
        return Conflict(
            "Somebody else saved this object since the revision you started from, and both edits change the same "
            "thing. Re-read it, apply your change again and resend.",
            code="edit_conflict",
            extra={
                "current_revision": exc.current_revision,
                "conflicts": [
                    {"field": conflict.name, "base": conflict.base, "yours": conflict.mine, "theirs": conflict.theirs}
                    for conflict in exc.conflicts
                ],
            },
        )
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, DataError):
        # Validation should have caught it; the database refused a value (too long, out of range, NUL).
        logger.warning("Data error answered with 400: %s", exc)
        return exceptions.ValidationError({"non_field_errors": ["The database refused a value of this request."]})
    if isinstance(exc, IntegrityError):
        # Validation runs first, so this is a race (two writers creating the same slug at once).
        logger.warning("Integrity error answered with 409: %s", exc)
        return Conflict("The change conflicts with data saved at the same moment; re-read and try again.")
    if isinstance(exc, OperationalError | InterfaceError) or type(exc) is DatabaseError:
        logger.error("Database unavailable: %s", exc)
        return ServiceUnavailable(headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    return exc


def validation_errors(error: DjangoValidationError, field_name=None) -> dict | list:
    """A Django ValidationError as DRF field errors; ``field_name`` maps model names to API names."""
    if not hasattr(error, "error_dict"):
        return {"non_field_errors": error.messages}
    errors: dict[str, list[str]] = {}
    for name, messages in error.message_dict.items():
        api_name = "non_field_errors" if name == "__all__" else (field_name(name) if field_name else name)
        errors.setdefault(api_name, []).extend(messages)
    return errors


def _body(exc) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        errors = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        return {"detail": _summary(errors), "code": "invalid", "errors": errors}
    detail = exc.detail
    if isinstance(detail, dict | list):
        detail = "; ".join(str(item) for item in (detail.values() if isinstance(detail, dict) else detail))
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
    return {"detail": str(detail), "code": code, **getattr(exc, "extra", {})}


def _summary(errors: dict) -> str:
    """One sentence for the whole 400: the first message, and how many fields have errors."""
    names = [name for name in errors if name != "non_field_errors"]
    first = _first_message(errors)
    if not names:
        return first or "The request is not valid."
    return f"The request has errors in {', '.join(names)}: {first}"


def _first_message(value) -> str:
    if isinstance(value, dict):
        for item in value.values():
            if message := _first_message(item):
                return message
        return ""
    if isinstance(value, list):
        for item in value:
            if message := _first_message(item):
                return message
        return ""
    return str(value)


@csrf_exempt  # a token client's DELETE to a wrong URL deserves the JSON 404, not the CSRF page
def json_not_found(request, *args, **kwargs):
    """Any /api/ URL that matches no endpoint: a JSON 404, not the wiki's HTML page."""
    return JsonResponse(
        {"detail": f"No API endpoint at {request.path}. The list of endpoints is at /api/.", "code": "not_found"},
        status=404,
    )
