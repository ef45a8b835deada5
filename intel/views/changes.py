"""Recent changes, a user's contributions, the watchlist, and their Atom feeds.

All read the Change table (one line per page per revision), newest first, a page at
a time with a cursor (``?before=<revision>``) so the lists stay fast however long the
history grows.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from intel.models import Change, Watch
from intel.pages import PAGE_KINDS, content_type_of, kind_for_content_type_id, parse_id

PAGE_SIZE = 50


def change_list(*, kind_key: str = "", username: str = "", watcher=None, before: int | None = None, limit=PAGE_SIZE):
    """Newest changes first, filtered by page kind, author or a user's watchlist."""
    # Change ids grow with revisions, and a revision that touched two pages has two lines:
    # the id, not the revision, is the cursor, so a page break never falls between them.
    changes = Change.objects.select_related("revision__user", "content_type").order_by("-id")
    if kind_key in PAGE_KINDS:
        changes = changes.filter(content_type=content_type_of(PAGE_KINDS[kind_key]))
    if username:
        changes = changes.filter(revision__user__username=username)
    if watcher is not None:
        watched = Watch.objects.filter(
            user=watcher, content_type=OuterRef("content_type"), object_id=OuterRef("object_id")
        )
        changes = changes.filter(Exists(watched))
    if before:
        changes = changes.filter(id__lt=before)
    return list(changes[:limit])


def change_rows(changes) -> list[dict]:
    """Each change with its page kind and the links a list row shows."""
    rows = []
    for change in changes:
        kind = kind_for_content_type_id(change.content_type_id)
        if kind is None:
            continue
        rows.append(
            {
                "change": change,
                "kind": kind,
                "url": kind.url("detail", change.object_key),
                "diff_url": kind.url("diff", change.object_key) + f"?to={change.revision_id}",
                "history_url": kind.url("history", change.object_key),
            }
        )
    return rows


def _before(request) -> int | None:
    return parse_id(request.GET.get("before"))


def _list_context(request, changes, **extra) -> dict:
    next_before = changes[-1].pk if len(changes) == PAGE_SIZE else None
    return {"rows": change_rows(changes), "next_before": next_before, "kinds": PAGE_KINDS.values(), **extra}


def recent_changes(request):
    kind_key = request.GET.get("kind", "")
    username = request.GET.get("user", "").strip()[:150]
    changes = change_list(kind_key=kind_key, username=username, before=_before(request))
    context = _list_context(request, changes, selected_kind=kind_key, selected_user=username)
    return render(request, "wiki/recent_changes.html", context)


def contributions(request, username: str):
    user = get_object_or_404(get_user_model(), username=username)
    changes = change_list(username=user.get_username(), before=_before(request))
    return render(request, "wiki/contributions.html", _list_context(request, changes, person=user))


@login_required
def watchlist(request):
    changes = change_list(watcher=request.user, before=_before(request))
    watches = list(Watch.objects.filter(user=request.user).select_related("content_type"))
    watched_pages = []
    by_kind: dict = {}
    for item in watches:
        kind = kind_for_content_type_id(item.content_type_id)
        if kind:
            by_kind.setdefault(kind, []).append(item.object_id)
    for kind, ids in by_kind.items():
        for page in kind.model.objects.filter(pk__in=ids):
            watched_pages.append({"kind": kind, "page": page})
    watched_pages.sort(key=lambda item: str(item["page"]).lower())
    return render(request, "wiki/watchlist.html", _list_context(request, changes, watched_pages=watched_pages))


class ChangesFeed(Feed):
    """Atom feed of recent changes, site-wide."""

    feed_type = Atom1Feed
    title = "intel: recent changes"
    subtitle = "Every edit to the wiki, newest first."

    def link(self):
        return reverse("recent_changes")

    def items(self):
        return change_rows(change_list(limit=PAGE_SIZE))

    def item_title(self, item):
        change = item["change"]
        return f"{change.get_action_display()} {item['kind'].label}: {change.object_repr}"

    def item_description(self, item):
        change = item["change"]
        author = change.revision.user.get_username() if change.revision.user else "system"
        return f"{author}: {change.revision.comment} ({change.size_delta:+d} characters)"

    def item_link(self, item):
        return item["diff_url"]

    def item_guid(self, item):
        return f"change-{item['change'].pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item["change"].revision.date_created

    def item_updateddate(self, item):
        return item["change"].revision.date_created

    def item_author_name(self, item):
        user = item["change"].revision.user
        return user.get_username() if user else "system"


class PageFeed(ChangesFeed):
    """Atom feed of one page's changes."""

    def get_object(self, request, kind_key: str, **key):
        kind = PAGE_KINDS[kind_key]
        value = key[kind.lookup]
        change = Change.objects.filter(content_type=content_type_of(kind), object_key=str(value)).first()
        if change is None:
            raise Http404(f"No {kind.label} “{value}” with a history.")
        return {"kind": kind, "change": change}

    def title(self, obj):
        return f"intel: changes to {obj['change'].object_repr}"

    def link(self, obj):
        return obj["kind"].url("history", obj["change"].object_key)

    def items(self, obj):
        changes = (
            Change.objects.filter(content_type=obj["change"].content_type, object_id=obj["change"].object_id)
            .select_related("revision__user", "content_type")
            .order_by("-id")[:PAGE_SIZE]
        )
        return change_rows(changes)
