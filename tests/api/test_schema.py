"""The OpenAPI schema (/api/schema/) and the docs page (/api/docs/).

The schema is valid OpenAPI 3; every operation is described and lists the errors it can
answer with; objects document their ETag (and a read that sends one says so); every
example in it is valid for what it illustrates. The Swagger UI page loads nothing from
another host and runs no inline script, as the site's Content-Security-Policy demands.
"""

from __future__ import annotations

import copy
import datetime
import decimal
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema
from jsonschema import Draft202012Validator, FormatChecker

from companies.services import company_create, company_relation_create
from intel.extraction import extract_paste
from intel.services import claim_relation_create, snapshot_add
from tests.api.apikit import results
from tests.intel.pagekit import parse

OPENAPI_JSON = "application/vnd.oai.openapi+json"
METHODS = ("get", "post", "put", "patch", "delete")
EVERY_OPERATION_ERRORS = {"400", "401", "403", "404", "429"}
WRITE_ERRORS = {"409", "413", "415"}
CONDITIONAL_WRITE_ERRORS = {"412"}  # the writes that take If-Match


@pytest.fixture
def openapi(db, client) -> dict:
    """The schema as the API serves it, in JSON."""
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == OPENAPI_JSON
    return response.json()


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def is_object_path(path: str) -> bool:
    """/api/<resource>/{id}/: one object (its history is a list of revisions)."""
    return path.endswith("/{id}/")


# ---------------------------------------------------------------------------
# The schema is valid OpenAPI 3


def test_the_served_schema_is_valid_openapi_3(openapi):
    assert openapi["openapi"].startswith("3.")
    validate_schema(openapi)  # raises jsonschema.ValidationError, naming the place
    assert len(list(operations(openapi))) > 50


def test_the_schema_is_served_as_json_for_the_openapi_media_type_too(openapi, client):
    response = client.get("/api/schema/", HTTP_ACCEPT=OPENAPI_JSON)
    assert response.status_code == 200
    assert response["Content-Type"] == OPENAPI_JSON
    assert response.json() == openapi


def test_generating_the_schema_gives_no_warning_or_error(tmp_path, capsys):
    GENERATOR_STATS.reset()  # the counts are process-wide: only this generation's count here
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert capsys.readouterr().err == ""
    assert (tmp_path / "schema.yaml").stat().st_size > 0


# ---------------------------------------------------------------------------
# Every operation is described and lists its errors


def test_every_operation_has_a_summary_and_a_description(openapi):
    bare = [
        f"{method.upper()} {path}: no {part}"
        for path, method, operation in operations(openapi)
        for part in ("summary", "description")
        if not (operation.get(part) or "").strip()
    ]
    assert not bare, "\n".join(bare)


def test_every_operation_documents_its_error_responses_in_the_error_shape(openapi):
    problems = []
    for path, method, operation in operations(openapi):
        expected = set(EVERY_OPERATION_ERRORS)
        if method != "get":
            expected |= WRITE_ERRORS
        if method in ("put", "patch", "delete"):
            expected |= CONDITIONAL_WRITE_ERRORS
        responses = operation["responses"]
        if missing := expected - set(responses):
            problems.append(f"{method.upper()} {path}: no {', '.join(sorted(missing))}")
        for code in sorted(expected & set(responses)):
            content = responses[code].get("content", {})
            if content.get("application/json", {}).get("schema") != {"$ref": "#/components/schemas/Error"}:
                problems.append(f"{method.upper()} {path}: {code} is not the JSON Error object")
    assert not problems, "\n".join(problems)
    assert set(openapi["components"]["schemas"]["Error"]["required"]) == {"detail", "code"}


def test_every_object_answer_documents_its_etag_and_a_creation_its_location(openapi):
    """Creations answer 201 with ETag and Location; an action on one object (a status change, a
    moderation decision) answers 200 with the object's new ETag."""
    problems = []
    for path, method, operation in operations(openapi):
        if path.startswith("/api/changes/") or method == "delete":
            continue
        if method == "post" and "201" in operation["responses"]:
            expected = {"201": {"ETag", "Location"}}
        elif method == "post" and not is_object_path(path):
            continue  # an action on many objects (moderating sources in bulk) answers a list
        elif is_object_path(path):
            expected = {"200": {"ETag"}}
        else:
            continue
        for code, headers in expected.items():
            documented = set(operation["responses"].get(code, {}).get("headers", {}))
            if missing := headers - documented:
                problems.append(f"{method.upper()} {path} {code}: no {', '.join(sorted(missing))} header")
    assert not problems, "\n".join(problems)


@pytest.fixture
def relations(world, analyst):
    """The world has no relations (one between companies, one between claims) and no snapshot."""
    amd = company_create(author=analyst, name="AMD", slug="amd", kind="chip_vendor")
    company_relation_create(author=analyst, subject=amd, kind="competes_with", object=world.nvidia)
    claim_relation_create(author=analyst, from_claim=world.revenue, kind="supports", to_claim=world.shipping)
    text = "An archived copy of the source."
    snapshot_add(
        source=world.keynote, author=analyst, extracted=extract_paste(text, max_bytes=10**6), original=text.encode()
    )


def test_an_object_read_sends_an_etag_exactly_when_the_schema_documents_one(openapi, relations, api):
    """Checked against the running API: one object of every resource is read, a change feed line too."""
    problems = []
    for path, method, operation in operations(openapi):
        if method != "get" or not is_object_path(path):
            continue
        list_path = path.removesuffix("{id}/")
        rows = results(api.get(list_path))
        if not rows:
            problems.append(f"{list_path}: nothing to read in the test data; add one to the world")
            continue
        response = api.get(f"{list_path}{rows[0]['id']}/")
        assert response.status_code == 200, (path, response.content[:300])
        documented = "ETag" in operation["responses"]["200"].get("headers", {})
        if documented != response.has_header("ETag"):
            sent = f"sends ETag {response.get('ETag')}" if response.has_header("ETag") else "sends no ETag"
            problems.append(f"GET {path}: {sent}, the schema {'says it does' if documented else 'does not say so'}")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------
# Every example matches what it illustrates


def test_every_example_in_the_schema_matches_its_schema(openapi):
    examples = list(examples_in(openapi))
    request_bodies = [name for name, _, _ in examples if "request body" in name]
    assert len(request_bodies) >= 4, f"the request examples went missing: {request_bodies}"
    problems = []
    for name, value, schema in examples:
        validator = Draft202012Validator(as_json_schema(schema, openapi), format_checker=FORMATS)
        problems += [f"{name}: {error.json_path}: {error.message}" for error in validator.iter_errors(value)]
    assert not problems, "\n".join(problems)


def examples_in(openapi: dict):
    """(where, example, the schema it illustrates) for request bodies, parameters and schema properties."""
    for path, method, operation in operations(openapi):
        where = f"{method.upper()} {path}"
        for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
            for label, example in content.get("examples", {}).items():
                example = resolve(example, openapi)
                yield f"{where} request body ({media_type}) example {label!r}", example["value"], content["schema"]
            if "example" in content:
                yield f"{where} request body ({media_type}) example", content["example"], content["schema"]
        for parameter in operation.get("parameters", []):
            for label, example in parameter.get("examples", {}).items():
                yield (
                    f"{where} parameter {parameter['name']} example {label!r}",
                    resolve(example, openapi)["value"],
                    parameter["schema"],
                )
            if "example" in parameter:
                yield f"{where} parameter {parameter['name']} example", parameter["example"], parameter["schema"]
    for name, schema in openapi["components"]["schemas"].items():
        yield from _property_examples(f"components/schemas/{name}", schema)


def _property_examples(where: str, node):
    if isinstance(node, dict):
        if "example" in node:
            yield f"{where} example", node["example"], {key: value for key, value in node.items() if key != "example"}
        for key, value in node.items():
            yield from _property_examples(f"{where}/{key}", value)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _property_examples(f"{where}/{index}", value)


def resolve(node: dict, openapi: dict) -> dict:
    while "$ref" in node:
        *_, section, name = node["$ref"].split("/")
        node = openapi["components"][section][name]
    return node


def as_json_schema(schema: dict, openapi: dict, depth: int = 0) -> dict | list:
    """An OpenAPI 3.0 schema as JSON Schema: references inlined, ``nullable`` as a null type, and
    objects closed, so an example naming a field the API does not take is an error too."""
    assert depth < 30, "a reference cycle in a request schema"
    if isinstance(schema, list):
        return [as_json_schema(item, openapi, depth + 1) for item in schema]
    if not isinstance(schema, dict):
        return schema
    node = copy.deepcopy(resolve(schema, openapi))
    nullable = node.pop("nullable", False)
    for key in ("example", "readOnly", "writeOnly"):
        node.pop(key, None)
    node = {
        key: (
            {name: as_json_schema(value, openapi, depth + 1) for name, value in node[key].items()}
            if key == "properties"
            else as_json_schema(value, openapi, depth + 1)
        )
        for key, value in node.items()
    }
    if "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    if not nullable:
        return node
    if "enum" in node:
        node["enum"] = [*node["enum"], None]
    if "type" in node:
        node["type"] = [node["type"], "null"]
        return node
    return {"anyOf": [node, {"type": "null"}]}


FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value) -> bool:
    return not isinstance(value, str) or bool(datetime.datetime.fromisoformat(value).tzinfo)


@FORMATS.checks("uri", raises=ValueError)
def _is_uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


@FORMATS.checks("decimal", raises=decimal.InvalidOperation)
def _is_decimal(value) -> bool:
    return not isinstance(value, str) or decimal.Decimal(value).is_finite()


# ---------------------------------------------------------------------------
# The docs page


def test_the_docs_page_loads_only_our_own_files_and_runs_no_inline_script(db, client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")

    policy = csp_directives(response["Content-Security-Policy"])
    for directive in ("default-src", "script-src", "style-src"):
        # Keywords and nonces only: no host, no scheme, no wildcard, no 'unsafe-…'.
        sources = policy[directive]
        assert "'self'" in sources, policy
        assert all(source.startswith("'") and "unsafe" not in source for source in sources), policy

    page = parse(response)
    scripts = page.find_all("script")
    assert len(scripts) >= 3, "the Swagger UI bundle, its preset and the page's own script"
    inline = [script.text.strip()[:80] for script in scripts if not script.get("src")]
    assert not inline, f"inline scripts, which the CSP blocks: {inline}"
    assert not page.find_all("style"), "an inline <style>, which the CSP (style-src 'self') blocks"

    loaded = [script.get("src") for script in scripts]
    loaded += [
        link.get("href") for link in page.find_all("link") if {"stylesheet", "icon"} & set(link.get("rel", "").split())
    ]
    foreign = [url for url in loaded if not is_own(url)]
    assert not foreign, f"files from another host: {foreign}"
    for url in loaded:
        path = urlsplit(url).path
        if path.startswith(settings.STATIC_URL):
            assert finders.find(path.removeprefix(settings.STATIC_URL)), f"{url} is not one of our static files"
            continue
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer["Content-Type"].startswith("application/javascript"), (url, answer["Content-Type"])
        assert '"/api/schema/"' in answer.content.decode(), "the page reads its schema from our own host"


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def is_own(url: str) -> bool:
    """A URL on this host: a path ("/static/…"), not "//cdn…" or "https://cdn…"."""
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and url.startswith("/")
