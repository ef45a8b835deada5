"""Fill the peer's (empty) database: one article with a long history, for the benchmark.

Run with the peer virtualenv's python (bench/peer.py does), never the project's:

    PEER_DATABASE_URL=postgres://postgres@127.0.0.1:5432/intel_bench_peer \\
        .bench/peer-venv/bin/python bench/peer_site/load.py spec.json

spec.json: {"title", "slug", "body" (markdown), "revisions", "username", "password"}.

It migrates, creates the superuser, the root article and an article at ``<slug>/`` whose
history has exactly ``revisions`` revisions: each as long as ``body`` (one word of one
paragraph replaced by a marker of the same length, a different one each time), each
differing from the one before, the last equal to ``body``. Going through django-wiki's
views would take one request per revision (and its spam protection allows 5 edits a
minute), so the rows are written in bulk the way ``Article.add_revision`` would leave
them: ``revision_number`` 1..N, ``previous_revision`` chained, ``created`` one minute
apart ending just now (the history page orders by it), ``article.current_revision`` the
last. Prints a JSON summary (URLs, revision count, characters) on stdout.
"""

import functools
import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_project.settings")

ROOT_TITLE = "Main page"
ROOT_CONTENT = "Competitive intelligence, peer wiki.\n\nThe benchmark's article is a child of this page."
BATCH = 200

_WORD = re.compile(r"[A-Za-z]{6,}")


def variant(text: str, n: int) -> str:
    """``text`` with one word replaced by a marker for ``n`` of the same length, so never equal to ``text``.

    The marker holds a digit and the words replaced have none, so the result always differs
    from ``text``; two different ``n`` give two different results. Where no word is long
    enough, the marker overwrites the end of the text.
    """
    tag = f"v{n}"
    words = [(start, end) for start, end in _words(text) if end - start >= len(tag)]
    if not words:
        tag = tag[-len(text) :] if len(tag) > len(text) else tag
        return text[: len(text) - len(tag)] + tag
    start, end = words[(n * 7919) % len(words)]
    return text[:start] + tag + "x" * (end - start - len(tag)) + text[end:]


@functools.lru_cache(maxsize=4)
def _words(text: str) -> tuple[tuple[int, int], ...]:
    """Where the words of six letters or more are: found once per text, not once per revision."""
    return tuple(m.span() for m in _WORD.finditer(text))


def load(spec: dict) -> dict:
    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.contrib.sites.models import Site
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import OuterRef, Subquery
    from django.db.models.expressions import RawSQL
    from django.urls import reverse
    from wiki.models import Article, ArticleRevision, URLPath

    started = time.perf_counter()
    title, slug, body, count = spec["title"], spec["slug"], spec["body"], int(spec["revisions"])
    if count < 1:
        raise SystemExit("revisions must be at least 1")
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", slug) or slug.startswith("_") or slug.isdigit():
        raise SystemExit(f"not a slug django-wiki accepts: {slug!r}")

    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter()

    with transaction.atomic():
        user = get_user_model().objects.create_superuser(
            username=spec["username"], email=f"{spec['username']}@example.invalid", password=spec["password"]
        )
        root = URLPath.create_root(title=ROOT_TITLE, content=ROOT_CONTENT)
        article = Article.objects.create(owner=user)
        for first in range(1, count + 1, BATCH):
            ArticleRevision.objects.bulk_create(
                ArticleRevision(
                    article=article,
                    revision_number=n,
                    title=title,
                    content=body if n == count else variant(body, n),
                    user_message=f"Edit {n}",
                    user=user,
                )
                for n in range(first, min(first + BATCH, count + 1))
            )
        # One statement each: chain previous_revision, and spread the times (bulk_create
        # stamps them all "now"; the history page sorts by created).
        revisions = ArticleRevision.objects.filter(article=article)
        revisions.update(
            previous_revision=Subquery(
                ArticleRevision.objects.filter(article=article, revision_number=OuterRef("revision_number") - 1).values(
                    "pk"
                )[:1]
            ),
        )
        spread = RawSQL("now() - (%s - revision_number + 1) * interval '1 minute'", (count,))
        revisions.update(created=spread, modified=spread)
        article.current_revision = revisions.get(revision_number=count)
        article.save()
        urlpath = URLPath.objects.create(site=Site.objects.get_current(), parent=root, slug=slug, article=article)
        article.add_object_relation(urlpath)

    article.refresh_from_db()
    path = URLPath.get_by_path(slug).path
    return {
        "view_url": reverse("wiki:get", kwargs={"path": path}),
        "history_url": reverse("wiki:history", kwargs={"path": path}),
        "edit_url": reverse("wiki:edit", kwargs={"path": path}),
        "login_url": reverse("wiki:login"),
        "article_id": article.pk,
        "current_revision_id": article.current_revision_id,
        "revisions": ArticleRevision.objects.filter(article=article).count(),
        "body_chars": len(article.current_revision.content),
        "migrate_seconds": round(migrated - started, 2),
        "load_seconds": round(time.perf_counter() - migrated, 2),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    print(json.dumps(load(spec)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
