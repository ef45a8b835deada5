from django.apps import AppConfig
from django.db import models
from django.db.models.functions import Length
from django.db.models.signals import post_migrate


class IntelConfig(AppConfig):
    """The project package doubles as the evidence app: sources, people, claims, citations."""

    name = "intel"
    verbose_name = "Evidence"

    def ready(self):
        from intel import revisions, roles
        from intel.api import schema  # noqa: F401  (registers the OpenAPI extensions)

        # Lets constraints say "field__length=64" (Source.snapshot_sha256).
        models.CharField.register_lookup(Length)
        revisions.register_models()
        # Groups and their permissions exist in every database, the test databases included;
        # permissions are only created after migrate (app by app), so this cannot be a data
        # migration, and it runs after every app so that the last run sees them all.
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="intel.sync_roles")
