"""The parts of the index each database builds itself (not model fields, so written out here).

PostgreSQL: pg_trgm, a generated ``tsvector`` of the four weighted token columns with a GIN
index (current on every save: the database computes it), and a trigram index on names.
SQLite: an FTS5 table over the token columns, kept in step with the entries by triggers.
"""

from django.db import migrations

POSTGRES = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE search_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, tokens_a), 'A')
    || setweight(to_tsvector('simple'::regconfig, tokens_b), 'B')
    || setweight(to_tsvector('simple'::regconfig, tokens_c), 'C')
    || setweight(to_tsvector('simple'::regconfig, tokens_d), 'D')
) STORED;
CREATE INDEX search_entry_document_gin ON search_searchentry USING gin (document);
CREATE INDEX search_name_trigram_gin ON search_searchname USING gin (name gin_trgm_ops);
"""
POSTGRES_REVERSE = """
DROP INDEX IF EXISTS search_name_trigram_gin;
ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document;
"""

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(tokens_a, tokens_b, tokens_c, tokens_d, "
    "content='search_searchentry', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, tokens_a, tokens_b, tokens_c, tokens_d)
        VALUES (new.id, new.tokens_a, new.tokens_b, new.tokens_c, new.tokens_d);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, tokens_a, tokens_b, tokens_c, tokens_d)
        VALUES ('delete', old.id, old.tokens_a, old.tokens_b, old.tokens_c, old.tokens_d);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, tokens_a, tokens_b, tokens_c, tokens_d)
        VALUES ('delete', old.id, old.tokens_a, old.tokens_b, old.tokens_c, old.tokens_d);
        INSERT INTO search_fts(rowid, tokens_a, tokens_b, tokens_c, tokens_d)
        VALUES (new.id, new.tokens_a, new.tokens_b, new.tokens_c, new.tokens_d);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(f"Search supports PostgreSQL and SQLite, not {schema_editor.connection.vendor}.")
        for statement in [statements] if isinstance(statements, str) else statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
