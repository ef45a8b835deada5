"""Archiving a source's text and anchoring its citations in it: in the browser, with
``import_source`` and through the services. The anchoring algorithm itself is tested in
test_anchoring.py, decoding and extraction in test_extraction.py."""

import hashlib
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from intel import editing
from intel.choices import Role, SnapshotOrigin, VerificationState
from intel.demo import load_demo, seed_article_path
from intel.extraction import extract_paste
from intel.models import Citation, Snapshot, Source
from intel.moderation import source_approve
from intel.pages import PAGE_KINDS
from intel.services import claim_create, snapshot_add, source_create
from tests.factories import UserFactory
from tests.intel.pagekit import field_errors, logged_in, messages_of, parse

pytestmark = pytest.mark.django_db

# A short article written for these tests (not the seed article).
ARTICLE = (
    "Acme Silicon said on Tuesday that its Tern accelerator will ship in the second half of 2026.\n\n"
    "“We are sampling Tern with three cloud customers,” said the company's chief executive.\n\n"
    "Analysts expect Tern to compete with the largest GPUs on inference. Tern will ship in the second half "
    "of 2026, the company repeated in its filing.\n"
)
ARTICLE_ZH_HANT = "英偉達表示,新一代晶片將在明年量產。輝達的客戶包括多家雲端服務商。"


def _archive(source, author, text: str) -> Snapshot:
    return snapshot_add(
        source=source, author=author, extracted=extract_paste(text, max_bytes=10**6), original=text.encode()
    )


def _cite(author, source, quote: str):
    return claim_create(
        author=author, statement=f"Claim quoting: {quote[:30]}", citations=[{"source": source, "quote": quote}]
    )


@pytest.fixture
def source(analyst):
    return source_create(author=analyst, title="Acme announces Tern", publisher="Example Wire", language="en")


# ---------------------------------------------------------------------------
# Anchoring when citations are saved and when the text changes


def test_a_citation_of_a_source_without_a_snapshot_says_it_cannot_be_checked(analyst, source):
    claim = _cite(analyst, source, "ship in the second half of 2026")
    citation = claim.citations.get()
    assert citation.verification == VerificationState.NO_SNAPSHOT
    assert citation.anchor_start is None


def test_a_quote_saved_after_the_snapshot_is_anchored_with_its_selector_and_offsets(analyst, source):
    snapshot = _archive(source, analyst, ARTICLE)
    quote = "We are sampling Tern with three cloud customers"
    citation = _cite(analyst, source, quote).citations.get()
    assert citation.verification == VerificationState.VERIFIED
    assert citation.snapshot == snapshot
    assert ARTICLE[citation.anchor_start : citation.anchor_end] == quote == citation.anchor_exact
    assert ARTICLE[: citation.anchor_start].endswith(citation.anchor_prefix)
    assert ARTICLE[citation.anchor_end :].startswith(citation.anchor_suffix)
    assert citation.anchor_prefix and citation.anchor_suffix


def test_a_new_snapshot_re_anchors_every_citation_of_its_source(analyst, source):
    found_later = _cite(analyst, source, "Analysts expect Tern to compete").citations.get()
    missing_later = _cite(analyst, source, "three cloud customers").citations.get()
    _archive(source, analyst, ARTICLE)
    found_later.refresh_from_db()
    missing_later.refresh_from_db()
    assert (found_later.verification, missing_later.verification) == ("verified", "verified")

    # A corrected copy starts with a note (every offset moves) and rewords one sentence.
    revised = "Corrected on Wednesday.\n\n" + ARTICLE.replace("with three cloud customers", "with two hyperscalers")
    second = _archive(source, analyst, revised)
    found_later.refresh_from_db()
    missing_later.refresh_from_db()
    assert found_later.snapshot == second and found_later.verification == VerificationState.VERIFIED
    assert revised[found_later.anchor_start : found_later.anchor_end] == "Analysts expect Tern to compete"
    assert missing_later.verification == VerificationState.NOT_FOUND and missing_later.anchor_start is None


def test_the_previous_anchor_settles_a_quote_the_new_snapshot_holds_twice(analyst, source):
    _archive(source, analyst, "Preface.\n\nTern will ship in 2026, the chief executive said.\n")
    citation = _cite(analyst, source, "Tern will ship in 2026").citations.get()
    assert citation.anchor_suffix.startswith(", the chief executive said")
    # The new copy repeats the sentence in a box before the place the citation pointed at.
    revised = "Box: Tern will ship in 2026. Nothing else.\n\nTern will ship in 2026, the chief executive said.\n"
    _archive(source, analyst, revised)
    citation.refresh_from_db()
    assert citation.verification == VerificationState.VERIFIED
    assert citation.anchor_start == revised.index("Tern will ship in 2026, the")


def test_without_context_a_quote_found_twice_is_ambiguous(analyst, source):
    _archive(source, analyst, ARTICLE)
    citation = _cite(analyst, source, "ship in the second half of 2026").citations.get()
    assert citation.verification == VerificationState.AMBIGUOUS
    assert citation.anchor_start is None


def test_an_edited_quote_is_anchored_again_and_an_untouched_one_keeps_its_anchor(analyst, source):
    _archive(source, analyst, ARTICLE_ZH_HANT)
    claim = claim_create(
        author=analyst,
        statement="Nvidia will mass-produce its next chip next year.",
        citations=[{"source": source, "quote": "新一代晶片將在明年量產"}, {"source": source, "quote": "不存在的話"}],
    )
    first, second = claim.citations.order_by("pk")
    assert (first.verification, second.verification) == ("verified", "not_found")
    rows = [
        {"id": first.pk, "source": source.pk, "quote": first.quote},
        {"id": second.pk, "source": source.pk, "quote": "辉达的客户包括多家云端服务商"},  # simplified, from memory
    ]
    editing.page_update(
        kind=PAGE_KINDS["claim"],
        page=claim,
        author=analyst,
        values={},
        citations=rows,
        base_revision=editing.latest_revision_id(claim),
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.verification == VerificationState.VERIFIED
    assert second.verification == VerificationState.NORMALISED
    assert ARTICLE_ZH_HANT[second.anchor_start : second.anchor_end] == "輝達的客戶包括多家雲端服務商"


# ---------------------------------------------------------------------------
# Snapshots are kept as archived


def test_a_snapshot_keeps_the_original_bytes_their_sha256_and_is_never_altered(analyst, source):
    snapshot = _archive(source, analyst, ARTICLE)
    stored = Snapshot.objects.get(pk=snapshot.pk)
    assert bytes(stored.original) == ARTICLE.encode()
    assert stored.sha256 == hashlib.sha256(ARTICLE.encode()).hexdigest()
    stored.text = "Rewritten."
    with pytest.raises(ValueError, match="never altered"):
        stored.save()
    assert Snapshot.objects.get(pk=snapshot.pk).text == ARTICLE.rstrip()


def test_archiving_the_same_bytes_again_is_refused_and_changes_nothing(analyst, source):
    _archive(source, analyst, ARTICLE)
    with pytest.raises(ValidationError, match="current snapshot already"):
        _archive(source, analyst, ARTICLE)
    assert source.snapshots.count() == 1


def test_a_reader_cannot_archive_a_snapshot(reader, source):
    with pytest.raises(PermissionDenied, match="Only analysts"):
        _archive(source, reader, ARTICLE)
    assert not Snapshot.objects.exists()


def test_archiving_is_a_revision_of_the_source_with_who_and_what(analyst, source):
    _archive(source, analyst, ARTICLE)
    response = logged_in(analyst).get(PAGE_KINDS["source"].url("history", source.pk))
    assert "Archived a snapshot" in response.content.decode()


def test_a_source_with_an_archived_copy_cannot_be_deleted(analyst, source):
    _archive(source, analyst, ARTICLE)
    with pytest.raises(editing.DeletionBlocked, match="snapshot"):
        editing.page_delete(kind=PAGE_KINDS["source"], page=source, author=analyst)
    assert Source.objects.filter(pk=source.pk).exists()


# ---------------------------------------------------------------------------
# In the browser


def test_an_analyst_uploads_a_big5_file_and_reads_it_with_the_quote_highlighted(analyst, source):
    claim = _cite(analyst, source, "輝達的客戶")
    client = logged_in(analyst)
    upload = SimpleUploadedFile("tern.txt", ARTICLE_ZH_HANT.encode("cp950"), content_type="text/plain")
    response = client.post(f"/sources/{source.pk}/snapshot/", {"file": upload, "encoding": ""}, follow=True)
    assert response.redirect_chain[-1][0] == f"/sources/{source.pk}/read/"
    assert "1 verified" in " ".join(messages_of(response))
    doc = parse(response)
    mark = doc.find("mark", cls="quote")
    assert mark.text == "輝達的客戶"
    assert mark.get("id") == f"quote-{claim.citations.get().pk}"
    assert mark.find("a").get("href") == f"/claims/{claim.pk}/#citation-{claim.citations.get().pk}"
    snapshot = Snapshot.objects.get()
    assert (snapshot.encoding, snapshot.origin, snapshot.filename) == ("cp950", SnapshotOrigin.UPLOAD, "tern.txt")
    assert "cp950" in doc.find("p", cls="snapshot-meta").text


def test_the_claim_page_shows_the_anchor_state_linked_to_the_highlight(analyst, source, client):
    _archive(source, analyst, ARTICLE)
    claim = _cite(analyst, source, "We are sampling Tern")
    citation = claim.citations.get()
    doc = parse(client.get(f"/claims/{claim.pk}/"))
    badge = doc.find("span", cls="anchor-verified")
    assert "Quote verified" in badge.text and "word for word" in badge.get("title")
    link = doc.find("a", cls="anchor-link")
    assert link.get("href") == f"/sources/{source.pk}/read/#quote-{citation.pk}"


def test_pasted_text_is_archived_and_a_bad_upload_says_why_and_archives_nothing(analyst, source, settings):
    client = logged_in(analyst)
    settings.INTEL_SNAPSHOT_MAX_BYTES = 1000
    too_big = SimpleUploadedFile("big.txt", b"a" * 5000, content_type="text/plain")
    response = client.post(f"/sources/{source.pk}/snapshot/", {"file": too_big})
    assert response.status_code == 400
    assert field_errors(response, "file") == ["The file is 4.9 KB; the limit is 1000 bytes."]
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", content_type="application/pdf")
    response = client.post(f"/sources/{source.pk}/snapshot/", {"file": pdf})
    assert any("PDF" in error for error in field_errors(response, "file"))
    empty = SimpleUploadedFile("empty.txt", b"", content_type="text/plain")
    response = client.post(f"/sources/{source.pk}/snapshot/", {"file": empty})
    assert response.status_code == 400 and field_errors(response, "file")
    response = client.post(f"/sources/{source.pk}/snapshot/", {"file": "", "text": ""})
    assert "Choose a file to upload, or paste the source's text." in parse(response).text
    big5 = SimpleUploadedFile("zh.txt", "英偉達".encode("cp950"), content_type="text/plain")
    response = client.post(f"/sources/{source.pk}/snapshot/", {"file": big5, "encoding": "utf-8"})
    assert any("not valid UTF-8" in error for error in field_errors(response, "encoding"))
    assert not Snapshot.objects.exists()

    response = client.post(f"/sources/{source.pk}/snapshot/", {"text": "Pasted\r\ntext of the article."}, follow=True)
    assert response.status_code == 200
    snapshot = Snapshot.objects.get()
    assert snapshot.origin == SnapshotOrigin.PASTE and snapshot.text == "Pasted\ntext of the article."


def test_an_upload_over_the_default_20_mb_limit_is_refused_before_it_is_read(analyst, source):
    upload = SimpleUploadedFile("huge.txt", b"a" * (21 * 1024 * 1024), content_type="text/plain")
    response = logged_in(analyst).post(f"/sources/{source.pk}/snapshot/", {"file": upload})
    assert response.status_code == 400
    assert field_errors(response, "file") == ["The file is 21.0 MB; the limit is 20.0 MB."]
    assert not Snapshot.objects.exists()


def test_readers_may_read_the_archive_but_not_add_to_it(reader, analyst, source, client):
    _archive(source, analyst, ARTICLE)
    assert client.get(f"/sources/{source.pk}/read/").status_code == 200
    assert logged_in(reader).get(f"/sources/{source.pk}/snapshot/").status_code == 403
    assert logged_in(reader).post(f"/sources/{source.pk}/snapshot/", {"text": "Vandal"}).status_code == 403
    assert client.post(f"/sources/{source.pk}/snapshot/", {"text": "Vandal"}).status_code == 302  # to the login page
    assert source.snapshots.count() == 1


def test_the_original_is_a_download_never_a_page(analyst, source, client):
    html = b"<html><head><title>T</title></head><body><article><p>Tern ships in 2026 to three customers.</p>" + (
        b"<p>More text about the accelerator and its customers, long enough to be the main text.</p></article>"
        b"<script>window.__pwned = 1</script></body></html>"
    )
    upload = SimpleUploadedFile("../../etc/passwd.html", html, content_type="text/html")
    logged_in(analyst).post(f"/sources/{source.pk}/snapshot/", {"file": upload})
    snapshot = Snapshot.objects.get()
    assert snapshot.format == "html" and "__pwned" not in snapshot.text
    response = client.get(f"/sources/{source.pk}/snapshots/{snapshot.pk}/original/")
    assert response.content == html
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;") and "/" not in response["Content-Disposition"]
    assert client.get(f"/sources/{source.pk}/snapshots/{snapshot.pk + 1}/original/").status_code == 404


def test_an_older_snapshot_stays_readable(analyst, source, client):
    first = _archive(source, analyst, ARTICLE)
    _archive(source, analyst, ARTICLE + "\nA correction.")
    doc = parse(client.get(f"/sources/{source.pk}/read/?snapshot={first.pk}"))
    assert "An older copy" in doc.find("p", cls="snapshot-meta").text
    assert "A correction." not in doc.find("div", cls="reader-text").text
    assert client.get(f"/sources/{source.pk}/read/?snapshot=abc").status_code == 404


# ---------------------------------------------------------------------------
# import_source


def test_import_source_creates_a_pending_source_and_anchors_nothing_yet(tmp_path, admin_user):
    path = tmp_path / "tern.txt"
    path.write_bytes(ARTICLE_ZH_HANT.encode("gb18030"))
    out = StringIO()
    call_command("import_source", str(path), "--title", "Tern in Chinese", "--language", "zh-Hant", stdout=out)
    source = Source.objects.get(title="Tern in Chinese")
    assert source.moderation_state == "pending" and source.language == "zh-Hant"
    assert source.snapshot.text == ARTICLE_ZH_HANT and source.snapshot.encoding == "gb18030"
    assert source.snapshot.origin == SnapshotOrigin.IMPORT
    assert "Created source" in out.getvalue() and "gb18030" in out.getvalue()
    # The same file again changes nothing.
    out = StringIO()
    call_command("import_source", str(path), "--title", "Tern in Chinese", stdout=out)
    assert "nothing changed" in out.getvalue() and Snapshot.objects.count() == 1


def test_import_source_refuses_bad_files_with_a_message(tmp_path, admin_user):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        call_command("import_source", str(empty), "--title", "Empty")
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_source", str(tmp_path / "missing.txt"))
    assert not Source.objects.exists()


@pytest.mark.skipif(
    not seed_article_path().is_file(), reason="the seed article lives in shared/, beside the repository"
)
def test_importing_the_seed_article_anchors_every_demo_citation(monkeypatch, tmp_path):
    seed = seed_article_path()
    monkeypatch.setenv("INTEL_DEMO_SEED", str(tmp_path / "absent.txt"))  # the demo without its snapshot
    load_demo(password="demo-pass-123")
    assert set(Citation.objects.values_list("verification", flat=True)) == {"no_snapshot"}
    out = StringIO()
    source = Source.objects.get(published_date="2025-03-24")
    call_command("import_source", str(seed), "--source", str(source.pk), stdout=out)
    states = set(Citation.objects.values_list("verification", flat=True))
    assert states <= {"verified", "normalised"}, states
    source.refresh_from_db()
    assert Citation.objects.filter(snapshot=source.snapshot).count() == Citation.objects.count()
    assert "Citations anchored" in out.getvalue()
    # Every demo quote is highlighted in the reader view, linked to its claim.
    reader = parse(Client().get(f"/sources/{source.pk}/read/"))
    marked = {int(mark.get("data-citation")) for mark in reader.find_all("mark", cls="quote")}
    assert marked == set(Citation.objects.values_list("pk", flat=True))
    assert seed.read_bytes() == bytes(source.snapshot.original)


def test_the_reader_view_costs_the_same_queries_for_many_quotes(analyst, source, client, django_assert_max_num_queries):
    _archive(source, analyst, ARTICLE)
    _cite(analyst, source, "We are sampling Tern")
    with django_assert_max_num_queries(12) as few:
        client.get(f"/sources/{source.pk}/read/")
    for index in range(20):
        _cite(analyst, source, f"Analysts expect Tern{' to compete' if index % 2 else ''}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/sources/{source.pk}/read/")
    assert len(parse(response).find_all("mark", cls="quote")) >= 21


def test_a_new_copy_of_an_approved_source_from_an_analyst_waits_for_a_moderator_again(analyst, source):
    # Review finding: an approved source's text could be replaced and its quotes "verified" against it.
    moderator = UserFactory(username="mo", role=Role.MODERATOR)
    source_approve(source=source, moderator=moderator)
    _archive(source, moderator, ARTICLE)
    assert Source.objects.get(pk=source.pk).moderation_state == "approved"  # a moderator's copy keeps it
    _archive(source, analyst, ARTICLE + "\nAn addition.")
    source.refresh_from_db()
    assert source.moderation_state == "pending"
    decision = source.decisions.first()
    assert (decision.action, decision.moderator, decision.state_after) == ("resubmit", analyst, "pending")


def test_import_source_finds_the_source_by_its_url_and_checks_the_date(tmp_path, admin_user, analyst):
    existing = source_create(author=analyst, title="Tern launch", url="https://example.com/tern", publisher="Wire")
    path = tmp_path / "tern.html"
    path.write_text(
        "<html><head><title>Tern launch</title></head><body><nav>Home | News</nav><article><h1>Tern</h1>"
        "<p>Acme Silicon said on Tuesday that its Tern accelerator will ship in the second half of 2026.</p>"
        "<p>The company is sampling Tern with three cloud customers, its chief executive said.</p></article>"
        "<footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="not a date"):
        call_command("import_source", str(path), "--url", "https://example.com/tern", "--published", "2025-13-01")
    out = StringIO()
    call_command("import_source", str(path), "--url", "https://example.com/tern", stdout=out)
    existing.refresh_from_db()
    assert "Found source" in out.getvalue() and Source.objects.count() == 1
    assert existing.snapshot.format == "html" and "three cloud customers" in existing.snapshot.text
    assert "Home | News" not in existing.snapshot.text
