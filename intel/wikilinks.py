"""``[[Wiki links]]`` between pages: resolving them for rendering, and "what links here".

A link names a page by its name or title (``[[Nvidia]]``, ``[[Blackwell Ultra]]``),
by its slug, or by kind and key (``[[company:nvidia]]``, ``[[claim:12]]``);
``[[cite:34]]`` refers to citation 34. Names match case-insensitively. A name no
page has links to the "new page" form with the name filled in.

Resolving costs one query per kind of page named, however many links a body has.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from intel.markdown import WikiTarget, render_markdown, wiki_link_targets
from intel.models import Citation, PageLink
from intel.pages import PAGE_KINDS, PageKind, content_type_of, parse_id

# Kinds matched by a bare name, in the order a name is tried; the first match wins.
NAMED_KINDS = ("company", "product", "architecture", "person", "milestone", "source")


def resolve_wiki_links(targets: set[str]) -> dict[str, WikiTarget]:
    resolved: dict[str, WikiTarget] = {}
    by_kind: dict[str, set[str]] = defaultdict(set)
    citations: dict[str, int] = {}
    names: dict[str, set[str]] = defaultdict(set)  # lower-cased name → the targets written that way
    for target in targets:
        prefix, _, key = target.partition(":")
        prefix = prefix.strip().lower()
        if key and prefix == "cite" and parse_id(key) is not None:
            citations[target] = parse_id(key)
        elif key and prefix in PAGE_KINDS:
            by_kind[prefix].add(target)
        else:
            names[target.lower()].add(target)

    if citations:
        found = Citation.objects.select_related("source").in_bulk(set(citations.values()))
        for target, pk in citations.items():
            if citation := found.get(pk):
                title = f"{citation.source.title}" + (f", {citation.locator}" if citation.locator else "")
                resolved[target] = WikiTarget(
                    url=citation.get_absolute_url(), title=title, state="citation", label=str(pk)
                )

    for kind_key, written in by_kind.items():
        kind = PAGE_KINDS[kind_key]
        keys: dict[str, list[str]] = defaultdict(list)  # the page key → the targets that name it
        for target in written:
            key = target.partition(":")[2].strip()
            if kind.lookup == "pk":
                key = str(parse_id(key) or "")
            if key:
                keys[key].append(target)
        if kind.lookup == "pk":
            pages = kind.model.objects.filter(pk__in=[int(key) for key in keys])
        else:
            pages = kind.model.objects.filter(slug__in=list(keys))
        for page in pages:
            for target in keys.get(kind.key_of(page), []):
                resolved[target] = _page_target(kind, page)

    if names:
        wanted = set(names)
        for kind_key in NAMED_KINDS:
            if not wanted:
                break
            kind = PAGE_KINDS[kind_key]
            lowered = Lower(kind.title_field)
            query = Q(lowered_title__in=wanted)
            if kind.lookup == "slug":
                query |= Q(slug__in=wanted)
            for page in kind.model.objects.annotate(lowered_title=lowered).filter(query):
                for key in (page.lowered_title, getattr(page, "slug", None)):
                    if key in wanted:
                        for target in names[key]:
                            resolved.setdefault(target, _page_target(kind, page))
                        wanted.discard(key)
        for key in wanted:
            for target in names[key]:
                resolved[target] = WikiTarget(
                    url=reverse("page_new") + "?" + urlencode({"title": target}),
                    title=f"{target} (no such page yet: create it)",
                    state="missing",
                )
    return resolved


def _page_target(kind: PageKind, page) -> WikiTarget:
    return WikiTarget(url=page.get_absolute_url(), title=f"{kind.label}: {page}", state="page")


def render_page_markdown(text: str) -> str:
    """Render a page's markdown with its wiki links resolved against the wiki."""
    return render_markdown(text, resolve_links=resolve_wiki_links)


def update_page_links(kind: PageKind, page) -> None:
    """Rewrite the PageLink rows of ``page`` from its prose fields (called on every save)."""
    content_type = content_type_of(kind)
    targets = set()
    for name in kind.text_fields:
        targets |= {target.lower()[:200] for target in wiki_link_targets(getattr(page, name) or "")}
    PageLink.objects.filter(content_type=content_type, object_id=str(page.pk)).exclude(target__in=targets).delete()
    existing = set(
        PageLink.objects.filter(content_type=content_type, object_id=str(page.pk)).values_list("target", flat=True)
    )
    PageLink.objects.filter(content_type=content_type, object_id=str(page.pk)).update(
        object_key=kind.key_of(page), object_repr=kind.title_of(page)[:300]
    )
    PageLink.objects.bulk_create(
        PageLink(
            content_type=content_type,
            object_id=str(page.pk),
            object_key=kind.key_of(page),
            object_repr=kind.title_of(page)[:300],
            target=target,
        )
        for target in targets - existing
    )


def remove_page_links(kind: PageKind, page) -> None:
    PageLink.objects.filter(content_type=content_type_of(kind), object_id=str(page.pk)).delete()


# A page lists this many of the pages that link to it (by title); a company linked from thousands of claims
# would otherwise list them all.
LINKS_HERE_SHOWN = 50


def what_links_here(kind: PageKind, page, *, limit: int = LINKS_HERE_SHOWN) -> list[dict]:
    """Pages whose markdown links to ``page`` by any of its names, the first ``limit`` by title.

    [{kind, title, url}]
    """
    names = {str(getattr(page, kind.title_field)).lower(), f"{kind.key}:{kind.key_of(page)}".lower()}
    if kind.lookup == "slug":
        names.add(page.slug.lower())
    # A page may link here by two names, and the page itself is skipped: a few rows more than shown.
    links = PageLink.objects.filter(target__in=names).select_related("content_type").order_by("object_repr", "id")
    links = links[: 2 * limit + 1]
    found, seen = [], set()
    for link in links:
        model = link.content_type.model_class()
        link_kind = next((k for k in PAGE_KINDS.values() if k.model is model), None)
        if link_kind is None or (link.content_type_id, link.object_id) in seen:
            continue
        seen.add((link.content_type_id, link.object_id))
        if link_kind is kind and link.object_id == str(page.pk):
            continue
        found.append({"kind": link_kind, "title": link.object_repr, "url": link_kind.url("detail", link.object_key)})
    return found[:limit]
