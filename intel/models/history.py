from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CheckConstraint, Q, UniqueConstraint
from reversion.models import Revision

from intel.choices import ChangeAction


class Change(models.Model):
    """A Change is one line of the wiki's history: what one revision did to one page.

    django-reversion keeps the saved states (a Revision and its Versions); a Change
    says which page the revision was about and what happened to it — created,
    edited, merged with a concurrent edit, reverted, deleted, undeleted — so recent
    changes, contributions, watchlists and feeds read one small table. The author,
    time and edit summary are the revision's. A revision that touches two pages (a claim
    saved with a source created from its form) has two lines.
    """

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="changes")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=191)
    object_key = models.CharField(max_length=200, help_text="The page's slug or id in its URL.")
    object_repr = models.CharField(max_length=300)
    action = models.CharField(max_length=16, choices=ChangeAction)
    merged = models.BooleanField(default=False, help_text="Saved by merging with a concurrent edit.")
    size = models.IntegerField(default=0, help_text="Characters of page text after the change.")
    size_delta = models.IntegerField(default=0)

    class Meta:
        ordering = ["-revision_id", "-id"]
        constraints = [
            CheckConstraint(condition=Q(action__in=ChangeAction.values), name="%(app_label)s_%(class)s_action_valid"),
            UniqueConstraint(
                fields=["revision", "content_type", "object_id"], name="%(app_label)s_%(class)s_one_per_page"
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-revision"], name="intel_change_page_idx"),
            models.Index(fields=["content_type", "object_key", "-revision"], name="intel_change_key_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr} (revision {self.revision_id})"


class Watch(models.Model):
    """A Watch puts a page on a user's watchlist: its changes show on their watchlist page."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=191)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            UniqueConstraint(fields=["user", "content_type", "object_id"], name="%(app_label)s_%(class)s_unique"),
        ]

    def __str__(self):
        return f"{self.user} watches {self.content_type.model} {self.object_id}"


class PageLink(models.Model):
    """A PageLink is one ``[[wiki link]]`` from a page's markdown, kept for "what links here".

    Rewritten whenever the linking page is saved. ``target`` is the link text as
    written, lower-cased (a name, a slug, or ``kind:key``), so a page finds the links
    to it by any of its names, including links written before it existed.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=191)
    object_key = models.CharField(max_length=200)
    object_repr = models.CharField(max_length=300)
    target = models.CharField(max_length=200, db_index=True)

    class Meta:
        ordering = ["object_repr"]
        constraints = [
            UniqueConstraint(
                fields=["content_type", "object_id", "target"], name="%(app_label)s_%(class)s_unique_per_page"
            ),
        ]

    def __str__(self):
        return f"{self.object_repr} → [[{self.target}]]"
