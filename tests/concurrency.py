"""Many workers at once, each on its own database connection, and the edits they race to make.

Threads are enough: Django gives every thread its own connection, and a thread waiting on
a row lock or a query lets the others run, so saves really interleave in PostgreSQL.
Every worker starts at the same moment (a barrier) and closes its connection when done,
so the test database can be dropped afterwards.

The edits: every analyst owns one paragraph of a shared body and rewrites it, and now and
then changes a field everyone edits. :func:`assert_linear_history` then reads the page's
history back and checks that each revision is the one before it plus exactly its own edit,
which no lost update and no forked history can pass.
"""

from __future__ import annotations

import re
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection, connections
from reversion.models import Version

from intel.pages import kind_for_model, page_state, page_state_at

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks and concurrent connections are PostgreSQL's; SQLite runs one writer at a time",
)


def run_at_once[T](workers: list[Callable[[], T]], *, timeout: float = 600) -> list[T]:
    """Run each callable in its own thread, all starting together; their results in order.

    Any exception in a worker fails the test with that worker's traceback: a worker is
    expected to turn every answer it can get (saved, refused) into its result.
    """
    barrier = threading.Barrier(len(workers))
    results: list = [None] * len(workers)
    failures: list[str] = []

    def run(index: int, work: Callable[[], T]) -> None:
        try:
            barrier.wait()
            results[index] = work()
        except BaseException:  # noqa: BLE001 - reported below, in the test's thread
            failures.append(f"worker {index}:\n{traceback.format_exc()}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, work), daemon=True) for index, work in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a worker never finished (a deadlock?)"
    assert not failures, "\n".join(failures)
    return results


EDITORS = 20
EDITS_EACH = 50
SHARED_EVERY = 5  # every fifth edit also changes the field everyone edits
TOKEN = re.compile(r"\[(e\d+\.\d+|m\d+\.\d+)\]")


def paragraph(editor: int, text: str) -> str:
    return f"Paragraph of analyst {editor}: {text}."


def body_of(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def with_paragraph(body: str, editor: int, text: str) -> str:
    paragraphs = body.rstrip("\n").split("\n\n")
    paragraphs[editor] = paragraph(editor, text)
    return body_of(paragraphs)


@dataclass
class Attempt:
    """One edit an analyst tried: which page, what it changes, and how it was answered."""

    token: str
    page_key: str
    editor: int
    body_text: str
    shared_value: object | None  # the new value of the field everyone edits, or None
    outcome: str = ""  # "saved", "merged" or "refused" (an edit conflict, a 412)


# The field everyone edits now and then, by kind of page: edits of it from a stale revision clash.
SHARED_FIELD = {"company": "founded", "claim": "statement", "source": "publisher"}


def shared_value(kind_key: str, editor: int, step: int):
    if kind_key == "company":
        return 1900 + (editor * EDITS_EACH + step) % 120  # different for every attempt of one page
    return f"Set by analyst {editor} in edit {step}"


def expected_after(kind_key: str, before: dict, attempt: Attempt) -> dict:
    """A revision saved by ``attempt``: the revision before it with exactly that edit applied."""
    after = dict(before)
    after["body"] = with_paragraph(before["body"], attempt.editor, attempt.body_text)
    if attempt.shared_value is not None:
        after[SHARED_FIELD[kind_key]] = attempt.shared_value
    return after


def history(page) -> list[tuple[str | None, dict, int]]:
    """(token of the edit that saved it, state, revision id) of every revision of the page, oldest first."""
    kind = kind_for_model(type(page))
    versions = Version.objects.get_for_object(page).select_related("revision").order_by("pk")
    rows = []
    for version in versions:
        match = TOKEN.search(version.revision.comment)
        rows.append((match.group(1) if match else None, page_state_at(kind, version), version.revision_id))
    return rows


def assert_linear_history(page, attempts: dict[str, Attempt], *, allowed_others=()) -> list[tuple[str, int, int]]:
    """Every revision after the first is the one before it plus exactly its own edit (or, for revisions
    of no attempt, passes one of the ``allowed_others`` rules); the stored page equals the last revision.
    Returns (token, revision, revision before it) of the attempts' revisions, in the order they were saved."""
    kind = kind_for_model(type(page))
    rows = history(page)
    saved_order = []
    previous, previous_revision = rows[0][1], rows[0][2]
    for token, state, revision_id in rows[1:]:
        if token is None or token not in attempts:
            assert any(rule(state, previous) for rule in allowed_others), f"revision {revision_id} is no edit of ours"
        else:
            expected = expected_after(kind.key, previous, attempts[token])
            changed = {name: (state[name], expected[name]) for name in state if state[name] != expected[name]}
            assert not changed, f"revision {revision_id} ({token}) is not its predecessor plus its edit: {changed}"
            saved_order.append((token, revision_id, previous_revision))
        previous, previous_revision = state, revision_id
    stored = type(page).objects.get(pk=page.pk)
    assert page_state(kind, stored) == previous, "the page as stored is not its last revision"
    return saved_order


def check_outcomes(attempts: list[Attempt], saved_order: list[tuple[str, int, int]]) -> None:
    """Saved edits are in the history once each; refused ones are nowhere in it."""
    tokens = [token for token, _, _ in saved_order]
    assert len(tokens) == len(set(tokens)), "an edit was saved twice"
    saved = {attempt.token for attempt in attempts if attempt.outcome in ("saved", "merged")}
    refused = {attempt.token for attempt in attempts if attempt.outcome == "refused"}
    assert set(tokens) == saved
    assert not refused & set(tokens)
    assert len(saved) + len(refused) == len(attempts)
