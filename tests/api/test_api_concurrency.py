"""Twenty scripts edit the same objects through the API at once, fifty edits each, with If-Match.

Each script does what the API documentation tells it to: GET the object, change its own
paragraph of the body (and now and then a field every script edits), and PATCH it back
with the ETag in ``If-Match``. A save is answered 200 with the new ETag; a write from a
revision that is no longer current is answered 412 with the object as it is now.

Afterwards: every 200 is in the history exactly once, right after the revision its
If-Match named (a strict write never forks the history), every 412 is nowhere in it,
and the object as stored equals its last revision.
"""

from __future__ import annotations

import random
import re
import time

import pytest

from companies.services import company_create
from intel.choices import Role
from intel.services import claim_create, source_create
from tests.api.apikit import token_client
from tests.concurrency import (
    EDITORS,
    EDITS_EACH,
    SHARED_EVERY,
    SHARED_FIELD,
    Attempt,
    assert_linear_history,
    body_of,
    check_outcomes,
    needs_postgres,
    paragraph,
    run_at_once,
    shared_value,
    with_paragraph,
)
from tests.factories import UserFactory

pytestmark = [needs_postgres, pytest.mark.django_db(transaction=True)]

ETAG = re.compile(r'^"rev-(\d+)"$')


def revision_in(etag: str) -> int:
    match = ETAG.match(etag)
    assert match, f"not an ETag of ours: {etag!r}"
    return int(match.group(1))


def test_twenty_scripts_patching_with_if_match_lose_nothing_and_never_fork_the_history():
    scripts = [UserFactory(username=f"script-{number}", role=Role.ANALYST) for number in range(EDITORS)]
    clients = [token_client(user) for user in scripts]
    opening = body_of([paragraph(editor, "as first written") for editor in range(EDITORS)])
    author = scripts[0]
    source = source_create(author=author, title="Keynote", kind="keynote", publisher="Nvidia", body=opening)
    objects = {
        "companies": company_create(author=author, name="Nvidia", slug="nvidia", kind="chip_vendor", body=opening),
        "claims": claim_create(
            author=author,
            statement="Blackwell ships in volume",
            citations=[{"source": source, "quote": "Blackwell is in full production."}],
            body=opening,
        ),
        "sources": source,
    }
    keys = list(objects)
    kind_of = {"companies": "company", "claims": "claim", "sources": "source"}
    if_match_sent: dict[str, int] = {}

    def script(editor: int):
        client = clients[editor]

        def work() -> list[Attempt]:
            rng = random.Random(editor)
            attempts = []
            for step in range(EDITS_EACH):
                key = keys[(editor + step) % len(keys)]
                path = f"/api/{key}/{objects[key].pk}/"
                attempt = Attempt(
                    token=f"e{editor}.{step}",
                    page_key=key,
                    editor=editor,
                    body_text=f"edit {step}",
                    shared_value=shared_value(kind_of[key], editor, step) if step % SHARED_EVERY == 0 else None,
                )
                read = client.get(path)
                assert read.status_code == 200, read.content
                changes = {"body": with_paragraph(read.json()["body"], editor, attempt.body_text)}
                if attempt.shared_value is not None:
                    changes[SHARED_FIELD[kind_of[key]]] = attempt.shared_value
                time.sleep(rng.random() / 100)
                saved = client.patch(
                    path,
                    changes,
                    format="json",
                    headers={"If-Match": read["ETag"], "X-Edit-Summary": f"[{attempt.token}]"},
                )
                if saved.status_code == 200:
                    attempt.outcome = "saved"
                    if_match_sent[attempt.token] = revision_in(read["ETag"])
                    assert revision_in(saved["ETag"]) > if_match_sent[attempt.token]
                    assert paragraph(editor, attempt.body_text) in saved.json()["body"]
                else:
                    assert saved.status_code == 412, saved.content
                    error = saved.json()
                    # The answer carries the object as it is now, and the ETag to send next time.
                    assert revision_in(saved["ETag"]) > revision_in(read["ETag"])
                    assert error["current"]["id"] == objects[key].pk
                    attempt.outcome = "refused"
                attempts.append(attempt)
            return attempts

        return work

    attempts = [attempt for done in run_at_once([script(editor) for editor in range(EDITORS)]) for attempt in done]

    saved = sum(attempt.outcome == "saved" for attempt in attempts)
    assert 0 < saved < len(attempts), "the scripts never raced (or never got through)"
    for key, obj in objects.items():
        mine = [attempt for attempt in attempts if attempt.page_key == key]
        saved_order = assert_linear_history(obj, {a.token: a for a in mine})
        check_outcomes(mine, saved_order)
        for token, _revision, before in saved_order:
            assert if_match_sent[token] == before, f"{token} was saved on top of another revision than it named"


def test_twenty_scripts_creating_the_same_company_at_once_make_one_and_hear_why_not():
    """Each script's validation finds the slug free; the database's unique constraint decides. One is
    created; every other script gets a 400 that names the slug, not a 500."""
    clients = [token_client(UserFactory(username=f"script-{n}", role=Role.ANALYST)) for n in range(EDITORS)]

    def script(client):
        def work():
            response = client.post("/api/companies/", {"name": "Cerebras", "slug": "cerebras"}, format="json")
            return response.status_code, response.json()

        return work

    answers = run_at_once([script(client) for client in clients])

    assert sorted(status for status, _ in answers) == [201] + [400] * (EDITORS - 1)
    for status, body in answers:
        if status == 400:
            assert body["errors"]["slug"] == ["Company with this Slug already exists."], body
