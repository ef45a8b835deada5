"""/api/snapshots/ and the anchor of a citation: an API consumer archives a source's text and
reads where each quote stands in it."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from intel.models import Snapshot
from intel.services import claim_create, source_create
from tests.api.apikit import user_with_role

pytestmark = pytest.mark.django_db

TEXT = "Acme Silicon will ship Tern in 2026.\n\nThe chief executive said Tern is sampling with three customers.\n"


@pytest.fixture
def source():
    return source_create(author=user_with_role("analyst", "writer"), title="Acme on Tern", publisher="Wire")


@pytest.fixture
def claim(source):
    quote = "Tern is sampling with three customers"
    return claim_create(
        author=user_with_role("analyst", "writer"),
        statement="Tern is sampling.",
        citations=[{"source": source, "quote": quote}],
    )


def test_an_analyst_archives_pasted_text_and_the_citations_are_anchored_in_it(api, source, claim):
    response = api.post("/api/snapshots/", {"source": source.pk, "text": TEXT}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sha256"] == hashlib.sha256(TEXT.encode()).hexdigest()
    assert body["origin"] == "api" and body["anchors"] == {"verified": 1}
    assert response["Location"] == body["api_url"]

    citation = api.get(f"/api/citations/{claim.citations.get().pk}/").json()
    assert citation["verification"] == "verified"
    assert citation["verification_note"] == "Found once, word for word."
    anchor = citation["anchor"]
    assert anchor["snapshot"] == body["id"]
    assert anchor["selector"]["type"] == "TextQuoteSelector"
    assert anchor["selector"]["exact"] == "Tern is sampling with three customers"
    assert TEXT[anchor["start"] : anchor["end"]] == anchor["selector"]["exact"]
    assert TEXT[: anchor["start"]].endswith(anchor["selector"]["prefix"])

    listed = api.get(f"/api/sources/{source.pk}/").json()
    assert listed["has_snapshot"] is True and listed["snapshot"]["id"] == body["id"]


def test_a_file_is_uploaded_as_multipart_and_its_encoding_detected(api, source):
    upload = SimpleUploadedFile("zh.txt", "英偉達新一代晶片將在明年量產。".encode("cp950"), content_type="text/plain")
    response = api.post("/api/snapshots/", {"source": source.pk, "file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["encoding"] == "cp950" and response.json()["text"] == "英偉達新一代晶片將在明年量產。"
    original = api.get(f"/api/snapshots/{response.json()['id']}/original/")
    assert original.content == "英偉達新一代晶片將在明年量產。".encode("cp950")
    assert original["Content-Type"] == "application/octet-stream"


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"text": ""}, "file", "Send a file"),
        ({"text": "x\u0000y"}, "text", "Null characters"),
        ({"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n...", content_type="application/pdf")}, "file", "PDF"),
        ({"file": SimpleUploadedFile("e.txt", b"", content_type="text/plain")}, "file", ""),
        (
            {
                "file": SimpleUploadedFile("b.txt", "英偉達".encode("cp950"), content_type="text/plain"),
                "encoding": "utf-8",
            },
            "encoding",
            "not valid UTF-8",
        ),
    ],
)
def test_bad_input_gets_a_json_error_on_its_field_and_nothing_is_archived(api, source, payload, field, words):
    response = api.post("/api/snapshots/", {"source": source.pk, **payload}, format="multipart")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors and words in " ".join(errors[field])
    assert not Snapshot.objects.exists()


def test_the_same_text_twice_is_refused(api, source):
    assert api.post("/api/snapshots/", {"source": source.pk, "text": TEXT}, format="json").status_code == 201
    response = api.post("/api/snapshots/", {"source": source.pk, "text": TEXT}, format="json")
    assert response.status_code == 400 and "current snapshot already" in str(response.json())
    assert Snapshot.objects.count() == 1


def test_readers_list_snapshots_without_their_text_but_cannot_archive(api_as, api, source):
    api.post("/api/snapshots/", {"source": source.pk, "text": TEXT}, format="json")
    reader = api_as("reader")
    listed = reader.get(f"/api/snapshots/?source={source.pk}").json()["results"]
    assert len(listed) == 1 and listed[0]["text"] is None
    assert reader.get(f"/api/snapshots/{listed[0]['id']}/").json()["text"] == TEXT.rstrip()
    response = reader.post("/api/snapshots/", {"source": source.pk, "text": "Other"}, format="json")
    assert response.status_code == 403
    assert api_as("anonymous").post("/api/snapshots/", {"source": source.pk, "text": "x"}).status_code == 401
    assert reader.put(f"/api/snapshots/{listed[0]['id']}/", {"text": "x"}, format="json").status_code == 405
    assert reader.delete(f"/api/snapshots/{listed[0]['id']}/").status_code == 405
    assert Snapshot.objects.count() == 1


def test_a_quote_longer_than_the_snapshot_says_so_in_the_api(api, source):
    api.post("/api/snapshots/", {"source": source.pk, "text": "Tern ships."}, format="json")
    quote = "Tern ships in the second half of 2026, said the chief executive of Acme Silicon."
    payload = {"claim": _a_claim(source).pk, "source": source.pk, "quote": quote}
    response = api.post("/api/citations/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["verification"] == "not_found" and body["anchor"] is None
    assert (
        str(len(quote)) in body["verification_note"] and "longer than the whole snapshot" in body["verification_note"]
    )


def _a_claim(source):
    return claim_create(
        author=user_with_role("analyst", "writer"),
        statement="Tern ships in H2 2026.",
        citations=[{"source": source, "quote": "Tern ships."}],
    )


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.txt", "..\\..\\windows\\win.ini.txt", "/etc/shadow.txt", 'x"; filename="evil.html.txt'],
    ids=["dot-dot", "backslashes", "absolute", "header-breaking"],
)
def test_an_upload_named_to_escape_its_folder_is_kept_by_its_last_name_only(api, source, name):
    """Nothing is written to disk (the bytes are a database column); the name is only shown and sent
    back, so it must not carry a path or break out of the download's Content-Disposition header."""
    upload = SimpleUploadedFile(name, b"Tern ships in 2026 to three customers.", content_type="text/plain")
    response = api.post("/api/snapshots/", {"source": source.pk, "file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    stored = response.json()["filename"]
    assert "/" not in stored and "\\" not in stored and ".." not in stored.split("/")
    download = api.get(f"/api/snapshots/{response.json()['id']}/original/")
    disposition = download["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+"', disposition), disposition
