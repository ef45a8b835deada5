"""Revision history, kept by django-reversion.

Every write goes through :func:`revision`, so each save, whatever calls it (a
service, the admin, ``load_demo``), records one revision with its author and edit
summary, holding every object changed together: a claim and its citations are one
revision because Claim follows its citations.
"""

from contextlib import contextmanager

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction

from intel.roles import can_edit


def register_models():
    """Track every model of the domain. Called once from IntelConfig.ready()."""
    from companies.models import Company, CompanyRelation
    from intel.models import Citation, Claim, ClaimRelation, Person, Source
    from products.models import Architecture, Milestone, Product

    for model in (Company, CompanyRelation, Architecture, Product, Milestone, Source, Person, Citation, ClaimRelation):
        if not reversion.is_registered(model):
            reversion.register(model)
    if not reversion.is_registered(Claim):
        reversion.register(Claim, follow=["citations"])


@contextmanager
def revision(*, author, summary: str):
    """One atomic write and the one revision that records it.

    Nested calls join the outer revision, so a service that calls another still
    makes one revision. The search index takes each page the write touched once, at
    its end (search.indexing.batched).
    """
    from search.indexing import batched

    with transaction.atomic(), reversion.create_revision(atomic=False), batched():
        if reversion.get_user() is None and author is not None and author.is_authenticated:
            reversion.set_user(author)
        if not reversion.get_comment():
            reversion.set_comment(summary)
        yield


def require_editor(author) -> None:
    """Only analysts, moderators and admins write; checked here, on the server, for every door."""
    if author is None or not can_edit(author):
        raise PermissionDenied("Only analysts, moderators and admins can edit the wiki.")
