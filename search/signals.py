"""Every save and deletion of a page, a citation or an archived copy reaches the index.

Signals rather than calls from the editing services, so that no door that writes a page
(services, admin, demo loader, factories, data migrations run later) can leave the index
behind. They run inside the writer's transaction.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from intel.pages import PAGE_KINDS
from search import indexing


def _page_saved(sender, instance, raw=False, **kwargs):
    # Restored by django-reversion (a revert, an undelete) or loaded by loaddata: the instance's
    # relations are not loaded and may not exist yet, so the page is read back (no page, no entry).
    indexing.page_changed(_KIND_OF[sender], instance.pk, None if raw else instance)


def _page_deleted(sender, instance, **kwargs):
    indexing.page_changed(_KIND_OF[sender], instance.pk)  # read back: not there, so no entry


def _citation_changed(sender, instance, **kwargs):
    indexing.page_changed("claim", instance.claim_id)


_KIND_OF: dict = {}


def connect() -> None:
    for kind in PAGE_KINDS.values():
        _KIND_OF[kind.model] = kind.key
        post_save.connect(_page_saved, sender=kind.model, dispatch_uid=f"search.saved.{kind.key}")
        post_delete.connect(_page_deleted, sender=kind.model, dispatch_uid=f"search.deleted.{kind.key}")
    citation = apps.get_model("intel", "Citation")
    post_save.connect(_citation_changed, sender=citation, dispatch_uid="search.citation_saved")
    post_delete.connect(_citation_changed, sender=citation, dispatch_uid="search.citation_deleted")
