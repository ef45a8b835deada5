"""Twenty analysts edit the same pages at once, fifty edits each, and nothing is lost.

Each analyst opens a page as the edit form does (``editing.page_for_edit``: the page and
the revision the edit starts from), rewrites their own paragraph of the body, and now and
then a field everyone edits (a company's founding year, a claim's statement), and saves.
Saves that started from an older revision are merged or refused with an edit conflict.

Afterwards the history is read back, revision by revision: every saved edit is there
exactly once, every refused one is nowhere, and each revision is the one before it plus
exactly its own edit. That last rule is what "no forked history" means: a save built on
anything but the revision just before it would undo another analyst's paragraph and fail it.
The page as stored equals its last revision.

The same runs with moderators deciding about sources while analysts edit those sources:
every decision is logged once, the log is one chain of states, and no edit undoes one.
"""

from __future__ import annotations

import random
import time

import pytest
from django.core.exceptions import ValidationError
from reversion.models import Version

from companies.services import company_create
from intel import editing, moderation
from intel.choices import ModerationAction, ModerationState, Role
from intel.models import ModerationDecision, Source
from intel.pages import kind_for_model
from intel.services import claim_create, source_create
from tests.concurrency import (
    EDITORS,
    EDITS_EACH,
    SHARED_EVERY,
    SHARED_FIELD,
    TOKEN,
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


def edit_once(page, author, attempt: Attempt, rng: random.Random) -> str:
    """Open the page as the edit form does, think a moment, change one's paragraph (and maybe the
    shared field), save."""
    kind = kind_for_model(type(page))
    fresh, base_revision = editing.page_for_edit(page)
    values = {"body": with_paragraph(fresh.body, attempt.editor, attempt.body_text)}
    field = SHARED_FIELD[kind.key]
    values[field] = attempt.shared_value if attempt.shared_value is not None else getattr(fresh, field)
    summary = f"[{attempt.token}]"
    time.sleep(rng.random() / 100)  # others save meanwhile: the save must merge or refuse, never overwrite
    try:
        result = editing.page_update(
            kind=kind, page=fresh, author=author, values=values, base_revision=base_revision, summary=summary
        )
    except editing.EditConflict:
        return "refused"
    assert result.changed
    return "merged" if result.merged else "saved"


@pytest.fixture
def analysts():
    return [UserFactory(username=f"analyst-{number}", role=Role.ANALYST) for number in range(EDITORS)]


def test_twenty_analysts_editing_the_same_pages_lose_nothing(analysts):
    opening = body_of([paragraph(editor, "as first written") for editor in range(EDITORS)])
    author = analysts[0]
    source = source_create(author=author, title="Keynote", kind="keynote", publisher="Nvidia")
    pages = {
        "nvidia": company_create(author=author, name="Nvidia", slug="nvidia", kind="chip_vendor", body=opening),
        "amd": company_create(author=author, name="AMD", slug="amd", kind="chip_vendor", body=opening),
        "claim": claim_create(
            author=author,
            statement="Blackwell ships in volume",
            citations=[{"source": source, "quote": "Blackwell is in full production."}],
            body=opening,
        ),
    }
    keys = list(pages)

    def analyst(editor: int):
        def work() -> list[Attempt]:
            rng = random.Random(editor)
            attempts = []
            for step in range(EDITS_EACH):
                key = keys[(editor + step) % len(keys)]
                kind_key = kind_for_model(type(pages[key])).key
                attempt = Attempt(
                    token=f"e{editor}.{step}",
                    page_key=key,
                    editor=editor,
                    body_text=f"edit {step}",
                    shared_value=shared_value(kind_key, editor, step) if step % SHARED_EVERY == 0 else None,
                )
                attempt.outcome = edit_once(pages[key], analysts[editor], attempt, rng)
                attempts.append(attempt)
            return attempts

        return work

    attempts = [attempt for done in run_at_once([analyst(editor) for editor in range(EDITORS)]) for attempt in done]

    assert len(attempts) == EDITORS * EDITS_EACH
    outcomes = {outcome: sum(a.outcome == outcome for a in attempts) for outcome in ("saved", "merged", "refused")}
    # The race really happened: saves merged with others', and shared fields clashed.
    assert outcomes["merged"] > 0 and outcomes["refused"] > 0, outcomes
    by_token = {attempt.token: attempt for attempt in attempts}
    for key, page in pages.items():
        mine = [attempt for attempt in attempts if attempt.page_key == key]
        saved_order = assert_linear_history(page, {a.token: a for a in mine})
        check_outcomes(mine, saved_order)
        # Every analyst's paragraph ends as their last saved edit of this page left it.
        stored = type(page).objects.get(pk=page.pk)
        for editor in range(EDITORS):
            last = [token for token, _, _ in saved_order if by_token[token].editor == editor]
            text = by_token[last[-1]].body_text if last else "as first written"
            assert paragraph(editor, text) in stored.body


def test_moderators_deciding_while_analysts_edit_the_sources(analysts):
    """Four moderators approve, send back and reject two sources while eight analysts edit them and
    resubmit what was sent back: each decision is logged once, in one unbroken chain, and no edit undoes one."""
    editors = analysts[:8]
    moderators = [UserFactory(username=f"moderator-{number}", role=Role.MODERATOR) for number in range(4)]
    opening = body_of([paragraph(editor, "as first written") for editor in range(EDITORS)])
    sources = [
        source_create(author=editors[0], title=title, kind="report", publisher="Analyst house", body=opening)
        for title in ("Supply chain report", "Earnings call transcript")
    ]
    plan = [ModerationAction.APPROVE, ModerationAction.SEND_BACK, ModerationAction.REJECT, ModerationAction.APPROVE]

    def moderator(number: int):
        def work() -> list[tuple[str, str, str]]:
            rng = random.Random(100 + number)
            answers = []
            for step in range(EDITS_EACH):
                source = sources[(number + step) % len(sources)]
                action = plan[(number + step) % len(plan)]
                seen = Source.objects.get(pk=source.pk).moderation_state
                time.sleep(rng.random() / 100)
                token = f"m{number}.{step}"
                try:
                    moderation.source_moderate(
                        source=source,
                        moderator=moderators[number],
                        action=action,
                        note=f"[{token}]",
                        expected_state=seen,
                    )
                except ValidationError as refused:
                    assert refused.code in ("stale", "not_allowed"), refused
                    answers.append((token, "refused", refused.code))
                else:
                    answers.append((token, "decided", action))
            return answers

        return work

    def analyst(editor: int):
        def work() -> list[Attempt]:
            rng = random.Random(editor)
            attempts = []
            for step in range(EDITS_EACH):
                source = sources[(editor + step) % len(sources)]
                if step % 10 == 9 and Source.objects.get(pk=source.pk).moderation_state == ModerationState.SENT_BACK:
                    try:
                        moderation.source_moderate(
                            source=source,
                            moderator=editors[editor],
                            action=ModerationAction.RESUBMIT,
                            expected_state=ModerationState.SENT_BACK,
                        )
                    except ValidationError as refused:
                        assert refused.code in ("stale", "not_allowed"), refused
                attempt = Attempt(
                    token=f"e{editor}.{step}",
                    page_key=str(source.pk),
                    editor=editor,
                    body_text=f"edit {step}",
                    shared_value=f"Publisher named in edit {editor}.{step}" if step % SHARED_EVERY == 0 else None,
                )
                attempt.outcome = edit_once(source, editors[editor], attempt, rng)
                attempts.append(attempt)
            return attempts

        return work

    results = run_at_once([moderator(n) for n in range(len(moderators))] + [analyst(e) for e in range(len(editors))])
    decisions = [answer for done in results[: len(moderators)] for answer in done]
    attempts = [attempt for done in results[len(moderators) :] for attempt in done]

    decided = {token for token, answer, _ in decisions if answer == "decided"}
    refused = {token for token, answer, _ in decisions if answer == "refused"}
    assert decided and refused and len(decided) + len(refused) == len(moderators) * EDITS_EACH
    notes = ModerationDecision.objects.filter(note__contains="[m").values_list("note", flat=True)
    logged = [TOKEN.search(note).group(1) for note in notes]
    assert sorted(logged) == sorted(decided), "a decision is missing from the log, or logged twice"

    def is_decision(state: dict, previous: dict) -> bool:
        # A decision's revision changes nothing an analyst edits.
        return state == previous

    for source in sources:
        log = list(ModerationDecision.objects.filter(source=source).order_by("pk"))
        state = ModerationState.PENDING
        for decision in log:
            assert decision.state_before == state, f"decision {decision.pk} started from a state that was gone"
            state = decision.state_after
        stored = Source.objects.get(pk=source.pk)
        assert stored.moderation_state == state, "the source is not in the state its last decision left it"
        # Every revision of the source holds the moderation state of the last decision before it.
        decisions_by_revision = dict(
            Version.objects.get_for_object(source)
            .filter(revision__comment__regex=r"\[m\d+\.\d+\]")
            .values_list("revision_id", "serialized_data")
        )
        assert len(decisions_by_revision) == sum(1 for d in log if d.note.startswith("[m"))
        current = ModerationState.PENDING
        for version in Version.objects.get_for_object(source).order_by("pk"):
            saved = version.field_dict["moderation_state"]
            if version.revision_id in decisions_by_revision or "Resubmitted" in version.revision.comment:
                current = saved
            assert saved == current, f"revision {version.revision_id} undid a moderation decision"
        mine = [attempt for attempt in attempts if attempt.page_key == str(source.pk)]
        saved_order = assert_linear_history(source, {a.token: a for a in mine}, allowed_others=[is_decision])
        check_outcomes(mine, saved_order)
