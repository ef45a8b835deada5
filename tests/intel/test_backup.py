"""A backup restores the wiki exactly: export, empty the database, import, and every row is the same.

The wiki exported holds the demo plus what a working week adds: edits with summaries, a
merged edit, a revert, a deleted page, moderation decisions, an archived snapshot with its
hash, a watch and an API token. Rows are compared table by table, every column, with
content types and permissions named by their natural keys (a fresh database numbers them
anew) and times to the microsecond. The search index is rebuilt by the import and finds
what it found before.
"""

from __future__ import annotations

import gzip

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.authtoken.models import Token

from companies.models import Company
from intel import editing, moderation
from intel.backup import NOT_EXPORTED
from intel.extraction import extract_paste
from intel.models import Claim, Snapshot, Source
from intel.pages import PAGE_KINDS
from intel.services import snapshot_add
from search.selectors import search
from tests.factories import UserFactory
from tests.intel.pagekit import service_edit

pytestmark = pytest.mark.django_db(transaction=True)


def every_row() -> dict[str, list[tuple]]:
    """Every row of every exported table, content types and permissions by natural key, sorted (the links of
    many-to-many tables without their row ids)."""
    content_types = {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.all()}
    permissions = {
        p.pk: (p.content_type.app_label, p.codename) for p in Permission.objects.select_related("content_type")
    }
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if any(label == skip or label.split(".")[0] == skip for skip in NOT_EXPORTED):
            continue
        if model._meta.auto_created and model._meta.auto_created._meta.label_lower in ("auth.permission",):
            continue
        fields = model._meta.concrete_fields
        if model._meta.auto_created:
            # A many-to-many table's own ids mean nothing (a backup lists the links, not their rows).
            fields = [field for field in fields if not field.primary_key]
        rows = []
        for values in model.objects.order_by().values_list(*[field.attname for field in fields]):
            row = []
            for field, value in zip(fields, values, strict=True):
                target = field.related_model if field.is_relation else None
                if target is ContentType and value is not None:
                    value = content_types[value]
                elif target is Permission and value is not None:
                    value = permissions[value]
                elif isinstance(value, memoryview):
                    value = bytes(value)
                row.append(value)
            rows.append(tuple(row))
        tables[label] = sorted(rows, key=repr)
    return tables


def found(text: str) -> list[str]:
    """What a search finds, as the pages' URLs in their order."""
    return [result.url for group in search(text=text).groups for result in group.results]


@pytest.fixture
def working_week(monkeypatch):
    """The demo, and a week of work on it."""
    monkeypatch.setenv("INTEL_DEMO_PASSWORD", "demo-pass-123")
    call_command("load_demo", stdout=open("/dev/null", "w"))
    User = apps.get_model("auth", "User")
    analyst, moderator = User.objects.get(username="analyst"), User.objects.get(username="moderator")
    nvidia = Company.objects.get(slug="nvidia")
    service_edit(nvidia, analyst, body=nvidia.body + "\n\nA paragraph added on Monday.", summary="Monday's note")
    first = editing.latest_revision_id(nvidia)
    service_edit(nvidia, analyst, body=nvidia.body + "\n\nA mistake.", summary="Tuesday")
    editing.page_revert(kind=PAGE_KINDS["company"], page=nvidia, author=analyst, revision_id=first, summary="Undo")
    stale = editing.latest_revision_id(nvidia)
    service_edit(nvidia, moderator, founded=1993)
    editing.page_update(
        kind=PAGE_KINDS["company"],
        page=Company.objects.get(pk=nvidia.pk),
        author=analyst,
        values={"website": "https://www.nvidia.com/"},
        base_revision=stale,
        summary="Merged with the moderator's edit",
    )
    lone = editing.page_create(kind=PAGE_KINDS["company"], author=analyst, values={"name": "Gone", "slug": "gone"})
    editing.page_delete(kind=PAGE_KINDS["company"], page=lone, author=analyst, summary="Duplicate")
    source = Source.objects.order_by("pk").first()
    text = "The archived text of the article, as pasted by the analyst."
    snapshot_add(source=source, author=analyst, extracted=extract_paste(text, max_bytes=10**6), original=text.encode())
    if source.moderation_state != "approved":
        moderation.source_moderate(source=source, moderator=moderator, action="approve")
    moderation.source_moderate(source=source, moderator=moderator, action="reject", note="Paywalled copy")
    Token.objects.create(user=UserFactory(username="script"))
    return analyst


def test_an_export_restored_into_an_emptied_database_gives_back_every_row(working_week, tmp_path):
    before = every_row()
    searched = found("Blackwell")
    assert before["reversion.version"] and before["intel.moderationdecision"] and before["intel.snapshot"]
    backup = tmp_path / "intel.jsonl.gz"

    call_command("export_all", str(backup), stdout=open("/dev/null", "w"))
    call_command("flush", "--no-input", verbosity=0)
    assert not Claim.objects.exists() and not Snapshot.objects.exists()
    call_command("import_all", str(backup), stdout=open("/dev/null", "w"))

    after = every_row()
    for table, rows in before.items():
        assert after[table] == rows, f"{table} differs after the round trip"
    assert found("Blackwell") == searched and searched
    assert gzip.open(backup).readline().startswith(b"{")  # compressed, one JSON object a line


def test_an_import_into_a_wiki_that_has_pages_is_refused_and_changes_nothing(working_week, tmp_path):
    backup = tmp_path / "intel.jsonl"
    call_command("export_all", str(backup), stdout=open("/dev/null", "w"))
    before = every_row()
    with pytest.raises(CommandError, match=r"The database is not empty \(.*\d+ companies.Company"):
        call_command("import_all", str(backup))
    assert every_row() == before


def test_a_backup_file_named_without_its_format_is_refused_before_any_work(tmp_path):
    with pytest.raises(CommandError, match=r"Name the backup file …\.jsonl or …\.jsonl\.gz"):
        call_command("export_all", str(tmp_path / "intel.json"))
    with pytest.raises(CommandError, match="No backup file at"):
        call_command("import_all", str(tmp_path / "missing.jsonl"))
