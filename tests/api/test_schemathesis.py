"""Every operation of the OpenAPI schema, fuzzed with schemathesis against the app in-process.

The schema is the one /api/schema/ serves; requests go through Django's WSGI handler in
the test's thread and transaction, as an analyst's token client (so writes are exercised),
on a database holding the page tests' ``world`` plus one relation of each kind (each request
is rolled back after it, so all of them meet that data). Path ids are mostly those of rows
that exist, so updates and deletes reach validation and the services instead of a 404.

Generation covers the schema's examples, schemathesis' coverage cases and random fuzzing,
in both modes: positive (schema-valid requests) and negative (invalid ones). Every response
must be a documented status code with a documented content type and a body and headers that
match the schema (read strictly: no undocumented field in a response object); no request may
cause a 5xx; invalid requests must be refused with a 4xx. Derandomized: the same code gets
the same cases on every run; each failure prints a curl command to replay it.

Hand-made requests then go where random generation seldom does: NUL bytes and impossible
moments in query parameters, malformed ids on every method, a NUL byte in the edit-summary
header. They get the same schema checks.

Last, schemathesis' stateful mode: 120 sequences of up to 8 calls that feed each other (the id a
POST answered with, used by the GET, PATCH and DELETE after it), over every resource, with
the same checks (about 1,000 calls; a local run had creates, edits with If-Match, deletes and
refused deletes chained).
"""

from __future__ import annotations

import json
import re

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from rest_framework.authtoken.models import Token
from schemathesis.core.failures import AcceptedNegativeData, FailureGroup
from schemathesis.core.parameters import ParameterLocation
from werkzeug.test import Client

from companies.services import company_create, company_relation_create
from intel.api.history import RESOURCES
from intel.extraction import extract_paste
from intel.models import Change, Snapshot
from intel.services import claim_relation_create, snapshot_add
from tests.api.apikit import MODELS as RESOURCE_MODELS
from tests.api.apikit import user_with_role

MAX_EXAMPLES = 20  # per operation and phase: ~70 operations stay within a couple of minutes on SQLite

CHECKS = {
    # Off by default below; the checks this test stands for are switched on by name.
    "enabled": False,
    "not_a_server_error": {"enabled": True},
    "status_code_conformance": {"enabled": True},
    "content_type_conformance": {"enabled": True},
    "response_schema_conformance": {"enabled": True},
    "response_headers_conformance": {"enabled": True},
    "unsupported_method": {"enabled": True},
    "allow_header_conformance": {"enabled": True},
    # Invalid input is refused with some 4xx (a 5xx is not_a_server_error's to report).
    # (Framework conventions are let through: see tolerated_leniency.)
    "negative_data_rejection": {"enabled": True, "expected-statuses": ["4XX", "5XX"]},
    # Left out: positive_data_acceptance (a schema-valid request may still break a rule the schema cannot
    # state: an unknown id, a slug in use), ignored_auth (reads are open while INTEL_PUBLIC_READ is on, which
    # the schema does not say), and the stateful checks, which need the CLI's stateful phase.
}

# The full resources, and the ones that are read-only or append-only.
MODELS = {**RESOURCE_MODELS, "changes": Change, "snapshots": Snapshot}
RESOURCE_IN_PATH = re.compile(r"^/api/([a-z-]+)/\{id\}/")
ASCII_DIGITS = re.compile(r"[0-9]+")


@pytest.fixture
def fuzzed_world(db, world, analyst):
    """The page tests' world, plus another company, a company relation, a claim relation and a snapshot."""
    amd = company_create(author=analyst, name="AMD", slug="amd", kind="chip_vendor")
    company_relation_create(author=analyst, subject=amd, kind="competes_with", object=world.nvidia, started="2024")
    claim_relation_create(author=analyst, from_claim=world.revenue, kind="supports", to_claim=world.shipping)
    text = "An archived copy of the source, for the snapshot endpoints."
    snapshot_add(
        source=world.keynote, author=analyst, extracted=extract_paste(text, max_bytes=10**6), original=text.encode()
    )
    return world


def _in_process_app(*, keep: bool):
    """Django's WSGI handler on the test's connection, each request in a savepoint: rolled back after it,
    or with ``keep`` released (its writes stay) unless the request failed outright."""
    handler = WSGIHandler()

    def app(environ, start_response):
        savepoint = transaction.savepoint_create()
        try:
            chunks = handler(environ, start_response)
            try:
                body = [b"".join(chunks)]  # a streamed CSV is read inside the savepoint too
            finally:
                chunks.close()
        except BaseException:
            transaction.savepoint_rollback(savepoint)
            raise
        if keep:
            transaction.savepoint_commit(savepoint)
        else:
            transaction.savepoint_rollback(savepoint)
        return body

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield app
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def wsgi_app(db):
    """Django's WSGI handler on the test's connection, every request in a savepoint rolled back after it.

    So every request meets the same data (an id stays valid after a generated DELETE), and a
    database error in one request (on PostgreSQL it aborts the transaction, even when the API
    answers it with a 4xx) cannot fail the requests after it. Django closes "old" connections
    when a request starts and ends, which inside the test's transaction would close the very
    connection the test runs in: the handler is disconnected, as the test client does.
    """
    yield from _in_process_app(keep=False)


@pytest.fixture
def existing_ids(fuzzed_world) -> dict[str, list[int]]:
    """Resource → the ids of its rows, once the world is made."""
    assert set(MODELS) == set(RESOURCES.values()) | {"changes", "snapshots"}, "a new resource: add it to MODELS"
    return {resource: sorted(model.objects.values_list("pk", flat=True)) for resource, model in MODELS.items()}


@pytest.fixture
def analyst_token(db) -> dict[str, str]:
    """The header an analyst's script sends."""
    token = Token.objects.create(user=user_with_role("analyst"))
    return {"Authorization": f"Token {token.key}"}


@pytest.fixture
def api_schema(request, existing_ids, analyst_token, wsgi_app):
    # schemathesis 4.32.5's from_fixture() reads and writes Item._nodeid, which pytest 9.2 no longer has
    # (nodeid is computed from Item._id); give it the attribute it expects, or every run stops at an
    # AttributeError before the first request.
    request.node._nodeid = request.node.nodeid

    config = schemathesis.Config.from_dict(
        {
            # Generated requests only: a hand-made Case() sends the headers it is given.
            "headers": analyst_token,
            "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
            "checks": CHECKS,
        }
    )
    served = Client(wsgi_app).get("/api/schema/?format=json")
    assert served.status_code == 200, served.get_data()[:500]
    schema = schemathesis.openapi.from_dict(with_closed_responses(json.loads(served.get_data())), config=config)
    schema.app = wsgi_app  # requests go to the app in-process, as from_wsgi() would send them

    @schema.hook("map_case")
    def ids_of_existing_rows(context, case):
        """Most well-formed path ids become ids of rows that exist; the others stay (and mostly 404)."""
        resource = RESOURCE_IN_PATH.match(case.operation.path)
        value = (case.path_parameters or {}).get("id")
        if resource and isinstance(value, str) and ASCII_DIGITS.fullmatch(value):
            ids = existing_ids[resource.group(1)]
            choice = int(value) % (len(ids) + 1)
            if choice < len(ids):
                case.path_parameters["id"] = str(ids[choice])
        return case

    @schema.hook("filter_failure")
    def leniency_is_not_a_failure(context, failure, case, response):
        return not (isinstance(failure, AcceptedNegativeData) and tolerated_leniency(case, schema.raw_schema))

    return schema


def with_closed_responses(openapi: dict) -> dict:
    """The schema, read strictly: an object in a response has only the fields the schema documents.

    drf-spectacular leaves objects open (any other field would pass); closing the response objects
    makes a field that a serializer adds but the schema does not know a failure. Request objects stay
    open: the API ignores fields it does not take, and the schema need not say so.
    """
    for name, component in openapi["components"]["schemas"].items():
        if not name.endswith("Request") and "properties" in component:
            component.setdefault("additionalProperties", False)
    return openapi


def tolerated_leniency(case, raw_schema) -> bool:
    """Whether an invalid request was accepted only because of a framework convention:

    - a query parameter sent empty (``?published_after=``): django-filter reads an empty value as
      "no filter", which is what the HTML list forms (sharing the FilterSets) send for a blank field;
    - a JSON scalar that DRF's fields read as another type: a number where text is expected
      (``"slug": 0`` is the slug "0"), 0 or 1 where a boolean is (``"tracked": 0``);
    - text that is too long only by white space at its ends, which DRF's fields trim first.

    Every other invalid request that is accepted fails the test.
    """
    negated = _negated_components(case)
    return bool(negated) and all(
        (location == ParameterLocation.QUERY and _sent_empty(case.query, path))
        or (location == ParameterLocation.BODY and _coerced_scalars(case, raw_schema, path))
        for location, path in negated
    )


def _negated_components(case) -> list[tuple[ParameterLocation, tuple]]:
    """(location, path) of each part of the request that was made invalid; [] when unknown.
    A body path names properties and list positions ("*" for every item)."""
    data = case.meta.phase.data
    if data.mutations:
        return [
            (m.parameter_location, m.path if m.parameter_location == ParameterLocation.BODY else (m.parameter,))
            for m in data.mutations
        ]
    if data.parameter_location == ParameterLocation.BODY:  # the coverage phase names a schema location
        path, parts = [], (getattr(data, "location", None) or "").strip("/").split("/")
        while parts and parts[0] in ("properties", "items"):
            path.append(parts[1] if parts[0] == "properties" else "*")
            parts = parts[2:] if parts[0] == "properties" else parts[1:]
        return [(ParameterLocation.BODY, tuple(path))] if path else []
    return [(data.parameter_location, (data.parameter,))]


def _sent_empty(query, path) -> bool:
    values = (query or {}).get(path[0])
    values = values if isinstance(values, list) else [values]
    return all(value == "" for value in values)


def _coerced_scalars(case, raw_schema, path) -> bool:
    operation = raw_schema["paths"][case.operation.path][case.operation.method.lower()]
    schema, values = operation["requestBody"]["content"]["application/json"]["schema"], [case.body]
    for step in path:
        schema = _resolve(raw_schema, schema)
        schema = (
            schema.get("properties", {}).get(step, {})
            if isinstance(step, str) and step != "*"
            else schema.get("items", {})
        )
        if step == "*":
            values = [item for value in values if isinstance(value, list) for item in value]
        else:
            values = [value[step] for value in values if isinstance(value, dict | list) and _has(value, step)]
    schema = _resolve(raw_schema, schema)
    expected = schema.get("type")
    return bool(values) and all(
        not isinstance(value, bool)
        and (
            (expected == "string" and isinstance(value, int | float))
            or (expected == "boolean" and value in (0, 1))
            or (
                expected == "string"
                and isinstance(value, str)
                and value != value.strip()
                and len(value.strip()) <= schema.get("maxLength", len(value))
            )
        )
        for value in values
    )


def _has(container, step) -> bool:
    return step in container if isinstance(container, dict) else isinstance(step, int) and step < len(container)


def _resolve(raw_schema, schema: dict) -> dict:
    while "$ref" in schema:
        schema = raw_schema["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis.settings(deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
def test_every_operation_answers_as_its_schema_says(case):
    case.call_and_validate()


# Values random generation seldom reaches, sent to every query parameter of their type.
HOSTILE_QUERY_VALUES = {
    "string": ["\x00", "nvidia\x00"],
    # An offset PostgreSQL cannot store, and moments that leave the calendar once read as UTC.
    "date-time": ["2025-03-01T12:00:00+23:59", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+01:00"],
}
# A free-text field each kind of object has, to make a real change that records an edit summary.
FREE_TEXT = ("body", "note", "quote")


def test_hostile_query_values_get_an_answer_not_a_server_error(api_schema, analyst_token):
    """NUL bytes in every free-text query parameter, impossible moments in every date-time one: each
    answered in the documented shape (a 400 that names the parameter, or the list), never a 5xx; as
    JSON, and as CSV where the list exports it (streamed, so a failure there comes after a 200)."""
    failures = []
    for path, operations in api_schema.raw_schema["paths"].items():
        if "get" not in operations or ("{id}" in path and not path.endswith("/history/")):
            continue
        parameters = operations["get"].get("parameters", [])
        formats = [{}, {"format": "csv"}] if any(parameter["name"] == "format" for parameter in parameters) else [{}]
        for parameter in parameters:
            if parameter["in"] != "query" or "enum" in parameter["schema"]:
                continue
            kind = parameter["schema"].get("format", parameter["schema"].get("type"))
            for value in HOSTILE_QUERY_VALUES.get(kind, ()):
                for export in formats:
                    case = api_schema[path]["GET"].Case(
                        query={parameter["name"]: value, **export},
                        path_parameters={"id": "1"} if "{id}" in path else {},
                        headers=analyst_token,
                    )
                    failures += _failures(case)
    assert not failures, "\n\n".join(failures)


def test_a_malformed_object_id_gets_the_json_404_on_every_method(api_schema, analyst_token):
    """An id that is not a number matches no route: /api/ still answers with its JSON 404 (not the
    site's HTML page, nor the CSRF failure page a write gets from a plain Django view)."""
    failures = []
    for path, operations in api_schema.raw_schema["paths"].items():
        if not path.endswith("/{id}/"):
            continue
        for method in ("get", "put", "patch", "delete"):
            if method not in operations:
                continue
            # A letter, and an encoded newline (a raw one is dropped by the client's URL parser).
            for malformed in ("x", "4%0A2"):
                body = {"body": {}, "media_type": "application/json"} if method in ("put", "patch") else {}
                case = api_schema[path][method.upper()].Case(
                    path_parameters={"id": malformed}, headers=analyst_token, **body
                )
                failures += _failures(case, expect_status=404)
    assert not failures, "\n\n".join(failures)


def test_an_edit_summary_header_with_a_nul_byte_is_refused(api_schema, existing_ids, analyst_token):
    """A ``summary`` in the body with a NUL byte is a 400; so must the X-Edit-Summary header be, on every
    write that records one (PostgreSQL cannot store it; SQLite would keep it)."""
    failures = []
    for path, operations in api_schema.raw_schema["paths"].items():
        resource = RESOURCE_IN_PATH.match(path)
        if "patch" not in operations or not resource:
            continue
        body_schema = operations["patch"]["requestBody"]["content"]["application/json"]["schema"]
        properties = _resolve(api_schema.raw_schema, body_schema)["properties"]
        field = next((name for name in FREE_TEXT if name in properties), None)
        assert field, f"PATCH {path} takes none of {FREE_TEXT}: add one of its text fields to FREE_TEXT"
        case = api_schema[path]["PATCH"].Case(
            path_parameters={"id": str(existing_ids[resource.group(1)][0])},
            headers={**analyst_token, "X-Edit-Summary": "before\x00after"},
            body={field: "Changed to test the edit summary header."},
            media_type="application/json",
        )
        failures += _failures(case, expect_status="4xx")
    assert not failures, "\n\n".join(failures)


def _failures(case, *, expect_status: int | str | None = None) -> list[str]:
    """What is wrong with the answer to one hand-made request (the schema checks, then the status
    expected), one entry per request: its curl command, the answer, the problems."""
    try:
        response = case.call()
    except Exception as error:  # raised while the answer streamed: the client got a cut-off 200
        return [f"{case.as_curl_command()}\n    → the app raised {type(error).__name__}: {error}"]
    problems = []
    try:
        case.validate_response(response)
    except FailureGroup as group:
        problems = [
            f"{failure.code} {failure.title}: {' '.join(failure.message.split())}" for failure in group.exceptions
        ]
    status = str(response.status_code)
    if expect_status is not None and not (status == str(expect_status) or f"{status[0]}xx" == expect_status):
        problems.append(f"expected {expect_status}")
    if not problems:
        return []
    content_type = next((values[0] for name, values in response.headers.items() if name.lower() == "content-type"), "")
    answer = f"{status} {content_type}".strip()
    return [f"{case.as_curl_command()}\n    → {answer}: " + "\n      ".join(problems)]


# ---------------------------------------------------------------------------
# Stateful: sequences of calls that feed each other (an id a POST returned, used by the next GET,
# PATCH or DELETE), as schemathesis links them from the schema. More sequences than the
# per-operation runs above have examples; derandomized like them.

STATEFUL_SEQUENCES = 120
STATEFUL_STEPS = 8


@pytest.fixture
def kept_wsgi_app(db):
    """Like ``wsgi_app``, but a request's writes stay (its savepoint is released), so the next call of a
    sequence finds what the last one made; each sequence starts from the same data (see the test)."""
    yield from _in_process_app(keep=True)


def test_sequences_of_calls_across_the_whole_api_answer_as_the_schema_says(api_schema, kept_wsgi_app):
    api_schema.app = kept_wsgi_app

    class Workflow(api_schema.as_state_machine()):
        def setup(self):
            self.savepoint = transaction.savepoint_create()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

    Workflow.run(
        settings=hypothesis.settings(
            max_examples=STATEFUL_SEQUENCES,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
    )
