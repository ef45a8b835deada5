"""The REST API at /api/: the same data and the same rules as the wiki.

Shared machinery lives here (errors, permissions, pagination, ETags, CSV export, the
base viewsets); each app keeps its own serializers and viewsets in ``<app>/api/``.
Writes go through the services in :mod:`intel.editing`, so an API edit is a revision
exactly like a browser edit. See docs/api.md for what consumers rely on.
"""
