"""One GIN index on ``document`` per kind of page, instead of one for the whole table.

Every search asks for the best pages of each kind; with one index over all kinds, each kind's
question read every match of every kind (a common word: hundreds of thousands, seven times).
Measured on 1,000,000 claims and 100,000 sources (bench/search_index.py): "nvidia" 1,283 ms → 47 ms.
"""

from django.db import migrations

KINDS = ["company", "architecture", "product", "milestone", "source", "person", "claim"]


def _forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for kind in KINDS:
        schema_editor.execute(
            f"CREATE INDEX search_entry_document_{kind} ON search_searchentry USING gin (document) "
            f"WHERE kind = '{kind}'"
        )
    schema_editor.execute("DROP INDEX IF EXISTS search_entry_document_gin")


def _backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE INDEX search_entry_document_gin ON search_searchentry USING gin (document)")
    for kind in KINDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS search_entry_document_{kind}")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_database_indexes")]

    operations = [migrations.RunPython(_forwards, _backwards)]
