"""Rolling back a vandal: a moderator undoes everything one user saved in a time window, in one
action (intel.rollback), from the browser (/users/<username>/rollback/) or the services.

The story: ana wrote a few pages two days ago. Today a vandal edited three of them, deleted
one and created a spam page; bob then fixed one of the vandalised pages by hand. The
moderator rolls the vandal back: bob's page is left alone and reported, the rest goes back
to how ana left it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from reversion.models import Revision

from companies.models import Company
from companies.services import company_create
from intel import editing
from intel.choices import ClaimRelationKind, ClaimStatus, Role
from intel.models import Change, Claim, ClaimRelation, Person, Source
from intel.moderation import source_approve
from intel.pages import PAGE_KINDS
from intel.rollback import rollback_plan, user_rollback
from intel.services import (
    claim_create,
    claim_relation_create,
    claim_relation_update,
    person_create,
    source_create,
)
from intel.workflow import claim_set_status
from tests.factories import UserFactory
from tests.intel.pagekit import (
    form_data,
    history_rows,
    is_login_redirect,
    logged_in,
    messages_of,
    parse,
    reload,
    service_edit,
)

pytestmark = pytest.mark.django_db

COMPANY, PERSON, CLAIM = PAGE_KINDS["company"], PAGE_KINDS["person"], PAGE_KINDS["claim"]

GROQ_BODY = "Groq designs LPUs for inference."
CEREBRAS_BODY = "Cerebras builds wafer-scale chips."
CLAIM_STATEMENT = "Groq raised 640 m USD in 2024."
SPAM = "Buy cheap pills at spam.example!"


@pytest.fixture
def moderator():
    return UserFactory(username="mo", role=Role.MODERATOR)


@pytest.fixture
def vandal():
    return UserFactory(username="vandal", role=Role.ANALYST)


def move_history_back(days: int = 2) -> None:
    """Everything saved so far happened ``days`` ago: before the window the moderator looks at."""
    Revision.objects.update(date_created=timezone.now() - timedelta(days=days))


def minute(moment: datetime) -> str:
    """A time as the rollback form's datetime-local field sends it."""
    return moment.strftime("%Y-%m-%dT%H:%M")


@dataclass
class Vandalism:
    groq: Company  # edited by the vandal
    cerebras: Company  # edited by the vandal, then fixed by bob
    claim: Claim  # its statement edited by the vandal
    notes: Person  # deleted by the vandal
    spam: Company  # created by the vandal
    since: datetime  # the start of the window: after ana's pages, before the vandal


@pytest.fixture
def vandalism(analyst, other_analyst, vandal, deps):
    groq = company_create(author=analyst, name="Groq", slug="groq", body=GROQ_BODY)
    cerebras = company_create(author=analyst, name="Cerebras", slug="cerebras", body=CEREBRAS_BODY)
    claim = claim_create(
        author=analyst, statement=CLAIM_STATEMENT, citations=[{"source": deps.source, "quote": "640 million."}]
    )
    notes = person_create(author=analyst, name="Ada Notes", slug="ada-notes", body="Reading list.")
    move_history_back()
    since = timezone.now() - timedelta(hours=1)

    service_edit(groq, vandal, summary="fix", body=SPAM)
    service_edit(cerebras, vandal, summary="fix", body=SPAM)
    service_edit(claim, vandal, summary="fix", statement="Groq is a scam.")
    editing.page_delete(kind=PERSON, page=notes, author=vandal, summary="cleanup")
    spam = company_create(author=vandal, name="Cheap Pills", slug="cheap-pills", body=SPAM)
    service_edit(cerebras, other_analyst, summary="Undo spam by hand", body="Cerebras builds wafer-scale AI chips.")
    return Vandalism(groq, cerebras, claim, notes, spam, since)


def steps_by_title(steps) -> dict[str, str]:
    return {step.title: step.action for step in steps}


# ---------------------------------------------------------------------------
# The services


def test_a_rollback_undoes_the_vandals_edits_and_leaves_the_page_someone_fixed_since(moderator, vandal, vandalism):
    v = vandalism

    steps = user_rollback(moderator=moderator, user=vandal, since=v.since)

    assert steps_by_title(steps) == {
        "Groq": "revert",
        "Cerebras": "skip",
        "Groq is a scam.": "revert",
        "Ada Notes": "undelete",
        "Cheap Pills": "delete",
    }
    assert reload(v.groq).body == GROQ_BODY
    assert reload(v.claim).statement == CLAIM_STATEMENT
    assert Person.objects.get(slug="ada-notes").body == "Reading list."
    assert not Company.objects.filter(slug="cheap-pills").exists()
    assert reload(v.cerebras).body == "Cerebras builds wafer-scale AI chips.", "bob's fix stands"
    [skipped] = [step for step in steps if step.action == "skip"]
    assert skipped.detail == "Saved since by bob: left as it is; revert by hand if needed."


def test_the_rollback_is_one_revision_by_the_moderator_and_shows_in_each_pages_history(moderator, vandal, vandalism):
    v = vandalism
    user_rollback(moderator=moderator, user=vandal, since=v.since)

    reverts = Change.objects.filter(revision__user=moderator, action__in=["revert", "undelete"])
    assert {change.object_repr for change in reverts} == {"Groq", CLAIM_STATEMENT, "Ada Notes"}
    assert len({change.revision_id for change in reverts}) == 1, "one revision for the reverts"
    summary = f"Rolled back edits of vandal since {v.since:%Y-%m-%d %H:%M}"
    assert reverts[0].revision.comment == summary
    deletion = Change.objects.get(revision__user=moderator, action="delete")
    assert (deletion.object_repr, deletion.revision.comment) == ("Cheap Pills", summary)

    client = logged_in(moderator)
    for kind, key in ((COMPANY, "groq"), (CLAIM, v.claim.pk), (PERSON, "ada-notes"), (COMPANY, "cheap-pills")):
        [latest, vandals, *_] = history_rows(client.get(kind.url("history", key)))
        assert latest["who"] == "mo" and summary in latest["summary"], (key, latest)
        assert vandals["who"] == "vandal"
    assert history_rows(client.get(COMPANY.url("history", "cerebras")))[0]["who"] == "bob"


def test_pages_edited_before_the_window_are_untouched(analyst, moderator, vandal):
    tenstorrent = company_create(author=analyst, name="Tenstorrent", slug="tenstorrent", body="RISC-V and AI.")
    service_edit(tenstorrent, vandal, summary="Earlier, fair edit", body="RISC-V CPUs and AI accelerators.")
    groq = company_create(author=analyst, name="Groq", slug="groq", body=GROQ_BODY)
    service_edit(groq, vandal, summary="Earlier, fair edit", body="Groq designs LPUs.")
    move_history_back()
    since = timezone.now() - timedelta(hours=1)
    service_edit(groq, vandal, summary="spam", body=SPAM)

    steps = user_rollback(moderator=moderator, user=vandal, since=since)

    assert steps_by_title(steps) == {"Groq": "revert"}
    assert reload(groq).body == "Groq designs LPUs.", "back to the vandal's own edit before the window"
    assert reload(tenstorrent).body == "RISC-V CPUs and AI accelerators."
    assert history_rows(logged_in(moderator).get(COMPANY.url("history", "tenstorrent")))[0]["who"] == "vandal"


def test_edits_after_the_end_of_the_window_are_kept(analyst, moderator, vandal):
    groq = company_create(author=analyst, name="Groq", slug="groq", body=GROQ_BODY)
    cerebras = company_create(author=analyst, name="Cerebras", slug="cerebras", body=CEREBRAS_BODY)
    move_history_back(days=3)
    service_edit(groq, vandal, summary="spam", body=SPAM)
    Revision.objects.filter(user=vandal).update(date_created=timezone.now() - timedelta(days=1))
    until = timezone.now() - timedelta(hours=12)
    service_edit(cerebras, vandal, summary="A later, fair edit", body="Cerebras builds wafer-scale AI chips.")

    user_rollback(moderator=moderator, user=vandal, since=timezone.now() - timedelta(days=2), until=until)

    assert reload(groq).body == GROQ_BODY
    assert reload(cerebras).body == "Cerebras builds wafer-scale AI chips."


def test_relations_the_vandal_made_are_removed_and_those_changed_are_restored(analyst, moderator, vandal, deps):
    def claim(statement):
        return claim_create(author=analyst, statement=statement, citations=[{"source": deps.source, "quote": "Q."}])

    shipping, slipping, sold_out = claim("Tern is shipping."), claim("Tern slips to 2027."), claim("Tern sold out.")
    kept = claim_relation_create(
        author=analyst, from_claim=sold_out, kind=ClaimRelationKind.SUPPORTS, to_claim=shipping, note="Demand."
    )
    move_history_back()
    since = timezone.now() - timedelta(hours=1)
    made = claim_relation_create(
        author=vandal, from_claim=slipping, kind=ClaimRelationKind.CONTRADICTS, to_claim=shipping
    )
    claim_relation_update(relation=kept, author=vandal, note="All lies.")

    steps = user_rollback(moderator=moderator, user=vandal, since=since)

    assert sorted(step.action for step in steps) == ["remove_relation", "restore_relation"]
    assert not ClaimRelation.objects.filter(pk=made.pk).exists()
    assert ClaimRelation.objects.get(pk=kept.pk).note == "Demand."


def test_only_moderators_roll_back(analyst, other_analyst, vandal, vandalism):
    with pytest.raises(PermissionDenied):
        user_rollback(moderator=other_analyst, user=vandal, since=vandalism.since)
    assert reload(vandalism.groq).body == SPAM


def test_nothing_to_roll_back_is_a_clear_error(moderator, vandal, vandalism):
    with pytest.raises(ValidationError) as nothing:
        user_rollback(moderator=moderator, user=vandal, since=timezone.now() + timedelta(minutes=1))
    assert nothing.value.messages == [
        "Nothing to roll back: the user saved nothing in that time, or it was all edited since."
    ]
    assert reload(vandalism.groq).body == SPAM


def test_when_everything_was_edited_since_there_is_nothing_to_roll_back(analyst, other_analyst, moderator, vandal):
    groq = company_create(author=analyst, name="Groq", slug="groq", body=GROQ_BODY)
    move_history_back()
    since = timezone.now() - timedelta(hours=1)
    service_edit(groq, vandal, summary="spam", body=SPAM)
    service_edit(groq, other_analyst, summary="Undo spam by hand", body=GROQ_BODY)

    assert [step.action for step in rollback_plan(user=vandal, since=since)] == ["skip"]
    with pytest.raises(ValidationError, match="Nothing to roll back"):
        user_rollback(moderator=moderator, user=vandal, since=since)


def test_the_plan_says_what_would_happen_and_writes_nothing(vandal, vandalism):
    revisions = Revision.objects.count()

    plan = rollback_plan(user=vandal, since=vandalism.since)

    assert steps_by_title(plan) == {
        "Groq": "revert",
        "Cerebras": "skip",
        "Groq is a scam.": "revert",
        "Ada Notes": "undelete",
        "Cheap Pills": "delete",
    }
    assert Revision.objects.count() == revisions
    assert reload(vandalism.groq).body == SPAM
    assert not Person.objects.filter(slug="ada-notes").exists()


# ---------------------------------------------------------------------------
# Rollbacks the docstring promises that are easy to get wrong


def test_an_innocent_edit_between_two_of_the_vandals_edits_is_not_undone(analyst, other_analyst, moderator, vandal):
    """ "A page someone else saved after the user is left alone … a rollback never undoes an innocent
    edit": bob's edit made between two of the vandal's edits must survive the rollback."""
    groq = company_create(author=analyst, name="Groq", slug="groq", body=GROQ_BODY)
    cerebras = company_create(author=analyst, name="Cerebras", slug="cerebras", body=CEREBRAS_BODY)
    move_history_back()
    since = timezone.now() - timedelta(hours=1)
    service_edit(groq, vandal, summary="spam", body=SPAM)
    service_edit(groq, other_analyst, summary="Country", country="US")
    service_edit(groq, vandal, summary="more spam", body=SPAM + " Now!")
    service_edit(cerebras, vandal, summary="spam", body=SPAM)

    steps = user_rollback(moderator=moderator, user=vandal, since=since)

    assert reload(cerebras).body == CEREBRAS_BODY
    assert reload(groq).country == "US", "bob's edit was undone by the rollback"
    assert steps_by_title(steps) == {"Groq": "skip", "Cerebras": "revert"}


def test_a_claim_the_vandal_made_with_a_new_source_from_the_same_form_is_rolled_back_whole(analyst, moderator, vandal):
    move_history_back()
    since = timezone.now() - timedelta(hours=1)
    claim_create(
        author=vandal,
        statement="Groq is a scam.",
        citations=[{"source": None, "new_source": {"title": "spam.example", "publisher": "Spam"}, "quote": "Scam!"}],
    )
    assert Source.objects.filter(title="spam.example").exists()

    user_rollback(moderator=moderator, user=vandal, since=since)

    assert not Claim.objects.filter(statement="Groq is a scam.").exists()
    assert not Source.objects.filter(title="spam.example").exists()


def test_rolling_back_a_vandals_retraction_reopens_the_claim_without_the_vandals_reason(
    analyst, moderator, vandal, deps
):
    claim = claim_create(author=analyst, statement=CLAIM_STATEMENT, citations=[{"source": deps.source, "quote": "Q."}])
    move_history_back()
    since = timezone.now() - timedelta(hours=1)
    claim_set_status(claim=claim, author=vandal, status=ClaimStatus.RETRACTED, reason="lol fake")

    user_rollback(moderator=moderator, user=vandal, since=since)

    claim = reload(claim)
    assert claim.status == ClaimStatus.UNVERIFIED
    page = parse(logged_in(moderator).get(claim.get_absolute_url()))
    notes = [" ".join(note.text.split()) for note in page.find_all("p", cls="status-note")]
    assert notes == [], "the claim page still gives the vandal's reason for a status it no longer has"
    assert claim.status_note == ""


# ---------------------------------------------------------------------------
# In the browser


def rollback_url(username: str = "vandal") -> str:
    return f"/users/{username}/rollback/"


def step_items(response) -> list[tuple[str, str]]:
    """(action, text) of each step listed on the rollback page."""
    items = parse(response).find("ul", cls="rollback-steps").find_all("li")
    return [(item.get("class").removeprefix("step-"), " ".join(item.text.split())) for item in items]


def test_a_moderator_previews_the_rollback_without_changing_anything(moderator, vandalism):
    client = logged_in(moderator)
    revisions = Revision.objects.count()

    response = client.get(rollback_url(), {"since": minute(vandalism.since)})

    assert response.status_code == 200
    steps = step_items(response)
    assert [action for action, _ in steps] == ["revert", "skip", "revert", "undelete", "delete"]
    assert steps[1] == ("skip", "Cerebras: Saved since by bob: left as it is; revert by hand if needed.")
    assert steps[4][1].startswith("Cheap Pills: Created by the user: deleted")
    links = [link.get("href") for link in parse(response).find("ul", cls="rollback-steps").find_all("a")]
    assert links[0] == "/companies/groq/history/"
    assert Revision.objects.count() == revisions
    assert reload(vandalism.groq).body == SPAM
    confirm = form_data(response, method="post")
    assert confirm["since"] == minute(vandalism.since)


def test_a_moderator_rolls_back_from_the_preview_and_sees_what_was_done(moderator, vandalism):
    client = logged_in(moderator)
    preview = client.get(rollback_url(), {"since": minute(vandalism.since)})
    data = {**form_data(preview, method="post"), "summary": "Vandalism by a spammer"}

    response = client.post(rollback_url(), data)

    assert response.status_code == 200
    assert messages_of(response) == ["Rolled back 4 pages of vandal."]
    doc = parse(response)
    assert doc.find("h2").text == "Done"
    assert [action for action, _ in step_items(response)] == ["revert", "skip", "revert", "undelete", "delete"]
    assert not doc.find_all("form", cls="wiki-form"), "nothing left to confirm"
    assert reload(vandalism.groq).body == GROQ_BODY
    assert not Company.objects.filter(slug="cheap-pills").exists()
    [latest, *_] = history_rows(client.get(COMPANY.url("history", "groq")))
    assert latest["who"] == "mo" and "Vandalism by a spammer" in latest["summary"]


def test_posting_a_rollback_with_nothing_to_roll_back_says_so(moderator, vandalism):
    client = logged_in(moderator)
    since = minute(timezone.now() + timedelta(minutes=2))

    response = client.post(rollback_url(), {"since": since, "until": "", "summary": ""})

    assert response.status_code == 400
    errors = parse(response).find("div", cls="form-errors")
    assert "Nothing was rolled back:" in errors.text
    assert "Nothing to roll back: the user saved nothing in that time" in errors.text
    assert reload(vandalism.groq).body == SPAM


def test_a_window_that_ends_before_it_starts_is_refused(moderator, vandalism):
    response = logged_in(moderator).get(rollback_url(), {"since": "2025-06-02T10:00", "until": "2025-06-01T10:00"})
    assert response.status_code == 400
    assert "The end of the window is before its start." in response.content.decode()


def test_the_contributions_page_offers_moderators_the_rollback(moderator, analyst, vandalism):
    link = "Roll back this user's edits…"
    moderators_view = parse(logged_in(moderator).get("/users/vandal/"))
    [button] = [a for a in moderators_view.find_all("a") if a.text == link]
    assert button.get("href") == rollback_url()
    assert link not in logged_in(analyst).get("/users/vandal/").content.decode()
    assert link not in logged_in(moderator).get("/users/mo/").content.decode(), "not on their own page"


def test_only_moderators_reach_the_rollback_page(client, other_analyst, vandalism):
    since = minute(vandalism.since)
    bob = logged_in(other_analyst)
    assert bob.get(rollback_url(), {"since": since}).status_code == 403
    assert bob.post(rollback_url(), {"since": since}).status_code == 403
    response = client.get(rollback_url())
    assert is_login_redirect(response, rollback_url())
    assert is_login_redirect(client.post(rollback_url(), {"since": since}), rollback_url())
    assert reload(vandalism.groq).body == SPAM


def test_rolling_back_an_unknown_user_is_a_404(moderator):
    assert logged_in(moderator).get(rollback_url("nobody")).status_code == 404


def test_a_vandals_upload_over_an_approved_source_is_rolled_back_to_the_earlier_copy(analyst, moderator, vandal):
    # Review finding: a rollback said "reverted" but left the vandal's archived text in place.
    source = source_create(author=analyst, title="Groq funding report", publisher="Wire")
    source_approve(source=source, moderator=moderator)
    original = _archive(source, moderator, "Groq raised 640 m USD in 2024.")
    claim = claim_create(
        author=analyst, statement=CLAIM_STATEMENT, citations=[{"source": source, "quote": "raised 640 m USD"}]
    )
    move_history_back()
    since = timezone.now() - timedelta(minutes=5)
    _archive(source, vandal, "Groq went bankrupt in 2024, the vandal says.")
    assert reload(claim).citations.get().verification == "not_found"

    user_rollback(moderator=moderator, user=vandal, since=since)
    assert reload(source).snapshot == original
    assert reload(claim).citations.get().verification == "verified"


def test_a_source_the_vandal_created_and_archived_text_for_is_rejected_and_the_rest_rolled_back(
    analyst, moderator, vandal, deps
):
    # Review finding: the delete step failed on the kept snapshot and the whole rollback with it.
    groq = company_create(author=analyst, name="Groq", slug="groq", body=GROQ_BODY)
    move_history_back()
    since = timezone.now() - timedelta(minutes=5)
    service_edit(groq, vandal, body=SPAM)
    junk = source_create(author=vandal, title="spam.example press room")
    _archive(junk, vandal, SPAM)

    steps = user_rollback(moderator=moderator, user=vandal, since=since)
    assert {step.action for step in steps} == {"revert", "reject"}
    assert reload(groq).body == GROQ_BODY
    junk = reload(junk)
    assert junk.moderation_state == "rejected" and "Rolled back" in junk.moderation_note


def test_an_analyst_cannot_reopen_a_retracted_claim_by_reverting_it(analyst, moderator, deps):
    # Review finding: a revert went around the rule that only moderators reopen retracted claims.
    claim = claim_create(author=analyst, statement=CLAIM_STATEMENT, citations=[{"source": deps.source, "quote": "x"}])
    first = editing.latest_revision_id(claim)
    claim_set_status(claim=claim, author=analyst, status=ClaimStatus.RETRACTED, reason="Wrong company")
    with pytest.raises(ValidationError, match="Only a moderator can reopen"):
        editing.page_revert(kind=CLAIM, page=reload(claim), author=analyst, revision_id=first)
    assert reload(claim).status == ClaimStatus.RETRACTED
    editing.page_revert(kind=CLAIM, page=reload(claim), author=moderator, revision_id=first)
    assert (reload(claim).status, reload(claim).status_note) == (ClaimStatus.UNVERIFIED, "")


def _archive(source, author, text: str):
    from intel.extraction import extract_paste
    from intel.services import snapshot_add

    return snapshot_add(
        source=source, author=author, extracted=extract_paste(text, max_bytes=10**6), original=text.encode()
    )
