from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    """One search over every kind of page: the index, its upkeep, the results page and /api/search/."""

    name = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search import signals

        signals.connect()
        connection_created.connect(_add_sqlite_functions, dispatch_uid="search.sqlite_functions")
        post_migrate.connect(_build_missing_index, sender=self, dispatch_uid="search.build_missing_index")


def _add_sqlite_functions(sender, connection, **kwargs):
    """SQLite has no pg_trgm: the same similarity, in Python, under the name the queries use."""
    if connection.vendor == "sqlite":
        from search.backends import trigram_similarity

        connection.connection.create_function("search_similarity", 2, trigram_similarity, deterministic=True)


def _build_missing_index(sender, using="default", **kwargs):
    """A database that had pages before search existed gets its index once, after every migration ran."""
    from django.db import connections

    from intel.pages import PAGE_KINDS
    from search import indexing
    from search.models import SearchEntry

    if using != "default":  # rebuild() writes to the default database
        return
    if SearchEntry._meta.db_table not in connections[using].introspection.table_names():
        return  # search itself is not migrated (yet, or any more)
    if SearchEntry.objects.using(using).exists():
        return
    if any(kind.model.objects.using(using).exists() for kind in PAGE_KINDS.values()):
        indexing.rebuild()
