"""Whole-wiki backups that any database can restore: every page, revision, decision and snapshot.

``manage.py export_all FILE`` writes every row the wiki owns as JSON Lines (Django's
serialisation, gzip-compressed when FILE ends in .gz); ``manage.py import_all FILE`` loads
it into an empty, migrated database, on SQLite or PostgreSQL alike, so a backup is also how
a wiki moves from one to the other. Ids are kept, so links, revisions and the moderation log
point where they did; rows that name a content type or a permission name it by its natural
key (app and model), because a fresh database numbers those differently.

Left out, because the target database makes them itself: content types and permissions
(by ``migrate``), sessions and login-attempt records (transient), and the search index
(rebuilt from the pages at the end of the import, as ``rebuild_search`` does).
The file holds everything, API tokens and password hashes included: keep it like the database.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import call_command
from django.db import transaction

from search import indexing

# Apps whose rows the target database makes (or that are not worth keeping).
NOT_EXPORTED = ["contenttypes", "auth.permission", "sessions", "search", "axes"]
# Apps whose rows an empty wiki has none of (role groups, made by migrate, are replaced).
WIKI_APPS = ["auth.user", "intel", "companies", "products", "reversion", "authtoken", "admin"]


FORMAT = "intel-jsonl"  # JSON Lines with times to the microsecond (intel/backup_format.py)
# What the file's name must end with: the format, then the compression if any.
SUFFIXES = (".jsonl", ".jsonl.gz")


class NotEmpty(Exception):
    """The target database already holds a wiki: importing into it would mix two."""


def check_file_name(path: str) -> str:
    """The path, absolute; a name that does not say the format is refused (ValueError) before any work."""
    if not path.endswith(SUFFIXES):
        raise ValueError(f"Name the backup file …{' or …'.join(SUFFIXES)} (JSON Lines, gzip-compressed or not).")
    return str(Path(path).resolve())


def export_all(path: str) -> None:
    path = check_file_name(path)
    serializers.register_serializer(FORMAT, "intel.backup_format")
    call_command(
        "dumpdata",
        *[f"--exclude={label}" for label in NOT_EXPORTED],
        natural_foreign=True,
        format=FORMAT,
        output=path,
        verbosity=0,
    )


def rows_in_the_way() -> dict[str, int]:
    """Rows that an import would collide with, by model label."""
    found = {}
    for label in WIKI_APPS:
        models = [apps.get_model(label)] if "." in label else apps.get_app_config(label).get_models()
        for model in models:
            if count := model.objects.count():
                found[model._meta.label] = count
    return found


@transaction.atomic
def import_all(path: str) -> None:
    """Load an export into this (empty) database, then rebuild the search index; all or nothing."""
    path = check_file_name(path)
    if not Path(path).is_file():
        raise FileNotFoundError(f"No backup file at {path}.")
    if in_the_way := rows_in_the_way():
        listed = ", ".join(f"{count} {label}" for label, count in sorted(in_the_way.items()))
        raise NotEmpty(f"The database is not empty ({listed}). Import into a new, migrated database.")
    # The role groups made by migrate come back from the export, with the same names and permissions.
    Group.objects.all().delete()
    with indexing.paused():
        call_command("loaddata", path, verbosity=0)
    indexing.rebuild()
