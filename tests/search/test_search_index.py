"""The index itself: what each database built, and queries no analyst would type but a fuzzer would."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.models import SearchEntry, SearchName
from search.selectors import QueryError, search
from search.text import cjk_grams, index_tokens, name_key, parse_query

pytestmark = pytest.mark.django_db


def test_the_database_has_the_index_search_relies_on(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename LIKE 'search_%%'")
            definitions = " ".join(row[0] for row in cursor.fetchall())
            assert "USING gin (document)" in definitions
            assert "gin_trgm_ops" in definitions
            # pg_trgm sees Chinese characters only in a database with a UTF-8 character type.
            cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
            assert "UTF-8" in cursor.fetchone()[0].upper().replace("UTF8", "UTF-8")
            cursor.execute("SELECT show_trgm('英伟达')")
            assert cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
            assert "fts5" in cursor.fetchone()[0]


def test_a_page_is_one_entry_with_its_names(corpus):
    entry = SearchEntry.objects.get(kind="company", object_id=corpus.nvidia.pk)
    assert entry.title == "Nvidia" and entry.key == "nvidia"
    names = set(SearchName.objects.filter(entry=entry).values_list("name", flat=True))
    assert names == {"nvidia", "英伟达", "辉达"}  # folded: NVIDIA is nvidia, traditional is simplified
    assert SearchEntry.objects.filter(kind="company").count() == 2


def test_tokens_are_stems_and_chinese_pairs():
    assert index_tokens("NVIDIA’s sockets") == "nvidia s socket"
    assert index_tokens("英偉達(dá)改用Socket") == "英伟 伟达 达改 改用 用 socket"
    assert cjk_grams("推理") == ["推理", "理"]
    assert name_key("ZT-Systems, Inc.") == "zt systems inc"
    assert parse_query("Blackwel").terms[0].prefix == "blackwel"
    assert parse_query("英伟达").terms[0].tokens == ("英伟", "伟达")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=0, max_size=250))
def test_any_text_is_searched_or_refused_with_a_message(corpus, text):
    try:
        results = search(text=text)
    except QueryError as error:
        assert str(error)
    else:
        for group in results.groups:
            for result in group.results:
                assert all(0 <= start < end <= len(result.title.text) for start, end in result.title.spans)


def test_every_kind_of_page_is_searchable():
    from intel.pages import PAGE_KINDS
    from search.documents import BUILDERS
    from search.selectors import SNIPPET_FIELDS

    assert set(BUILDERS) == set(PAGE_KINDS) == set(SNIPPET_FIELDS)
    migration = __import__("search.migrations.0003_document_index_per_kind", fromlist=["KINDS"])
    assert set(migration.KINDS) == set(PAGE_KINDS)


def test_after_migrate_a_wiki_without_an_index_gets_one(corpus):
    """A database that had pages before search existed is searchable after `migrate`, not after a manual rebuild."""
    from django.apps import apps

    from search.apps import _build_missing_index

    SearchEntry.objects.all().delete()
    _build_missing_index(sender=apps.get_app_config("search"), using="default")
    assert search(text="英伟达").groups[0].results[0].title.text == "Nvidia"
    before = SearchEntry.objects.count()
    SearchEntry.objects.filter(kind="company").delete()  # an index that exists is left to the signals
    _build_missing_index(sender=apps.get_app_config("search"), using="default")
    assert SearchEntry.objects.count() == before - 2
