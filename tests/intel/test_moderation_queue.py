"""The moderation queue and the moderation forms of a source page: moderators approve, reject
or send back the sources analysts submit, every decision is logged, and the claims citing
them count as supported only once a source is approved. The admin's actions are in
test_moderation.py; the services are the same."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from intel.choices import ModerationState, Role
from intel.extraction import extract_paste
from intel.models import ModerationDecision, Source
from intel.moderation import source_approve, source_reject, source_send_back
from intel.services import claim_create, snapshot_add, source_create
from tests.factories import UserFactory
from tests.intel.pagekit import (
    change_rows,
    form_data,
    history_rows,
    is_login_redirect,
    logged_in,
    messages_of,
    parse,
)

pytestmark = pytest.mark.django_db

QUEUE = "/moderation/"
ARTICLE = (
    "Acme Silicon said on Tuesday that its Tern accelerator will ship in the second half of 2026.\n\n"
    "“We are sampling Tern with three cloud customers,” said the company's chief executive.\n"
)


@pytest.fixture
def moderator():
    return UserFactory(username="mo", role=Role.MODERATOR)


@pytest.fixture
def second_moderator():
    return UserFactory(username="max", role=Role.MODERATOR)


def _archive(source, author, text: str = ARTICLE):
    return snapshot_add(
        source=source, author=author, extracted=extract_paste(text, max_bytes=10**6), original=text.encode()
    )


def _cite(author, source, statement: str, quote: str = "We are sampling Tern with three cloud customers"):
    return claim_create(author=author, statement=statement, citations=[{"source": source, "quote": quote}])


def _submitted(source, days_ago: int):
    """Backdate when the source was submitted (the queue is oldest first)."""
    created = timezone.now() - datetime.timedelta(days=days_ago)
    Source.objects.filter(pk=source.pk).update(created=created)
    return source


def _reload(source) -> Source:
    return Source.objects.get(pk=source.pk)


def _moderate_url(source) -> str:
    return reverse("intel:source_moderate", args=[source.pk])


def _queue_titles(response) -> list[str]:
    return [item.find("h2").text.strip() for item in parse(response).find_all("li", cls="queue-item")]


def _queue_item(response, source):
    return parse(response).find("li", cls="queue-item", id=f"source-{source.pk}")


def _decide_form(response, source) -> dict:
    """What the browser sends from the decision form of one source (in the queue or on its page)."""
    return form_data(response, cls="decide", action=_moderate_url(source))


def _decision_rows(response) -> list[dict[str, str]]:
    rows = []
    for row in parse(response).find("table", cls="decisions").find("tbody").find_all("tr"):
        cells = [" ".join(cell.text.split()) for cell in row.find_all("td")]
        rows.append(
            {"who": cells[1], "decision": cells[2], "state": cells[3], "reliability": cells[4], "why": cells[5]}
        )
    return rows


def _tab_counts(response) -> dict[str, str]:
    tabs = parse(response).find("nav", cls="page-tabs").find_all("a")
    return {" ".join(tab.text.split()): tab.get("aria-current") for tab in tabs}


@pytest.fixture
def submitted(analyst, other_analyst):
    """Three sources analysts submitted on different days (not in the order of their ids), and an approved one."""
    wire = _submitted(source_create(author=analyst, title="Acme announces Tern", publisher="Example Wire"), 2)
    _archive(wire, analyst)
    _cite(analyst, wire, "Tern is sampling with three cloud customers.")
    blog = _submitted(source_create(author=other_analyst, title="Tern rumours blog", publisher="Blogspot"), 3)
    leak = _submitted(source_create(author=analyst, title="Tern benchmark leak", publisher="Forum"), 1)
    approved = source_create(author=analyst, title="Acme annual report", publisher="Acme")
    source_approve(source=approved, moderator=UserFactory(username="old-mod", role=Role.MODERATOR))
    return {"wire": wire, "blog": blog, "leak": leak, "approved": approved}


# ---------------------------------------------------------------------------
# Working through the queue


def test_the_queue_lists_pending_sources_oldest_first_with_what_a_moderator_decides_on(moderator, submitted):
    response = logged_in(moderator).get(QUEUE)
    assert response.status_code == 200
    assert _queue_titles(response) == ["Tern rumours blog", "Acme announces Tern", "Tern benchmark leak"]
    assert _tab_counts(response) == {
        "Pending (3)": "page",
        "Sent back (0)": None,
        "Rejected (0)": None,
        "Approved (1)": None,
    }

    wire = _queue_item(response, submitted["wire"])
    assert "submitted by ana" in " ".join(wire.find("p", cls="meta").text.split())
    assert wire.find("blockquote", cls="snapshot-preview").text.startswith("Acme Silicon said on Tuesday")
    assert "Cited by 1 claim" in wire.text
    claims = [link.text for link in wire.find("ul", cls="queue-claims").find_all("a")]
    assert claims == ["Tern is sampling with three cloud customers."]
    assert wire.find("span", cls="anchor-verified").text.strip() == "1 verified"

    blog = _queue_item(response, submitted["blog"])
    assert "submitted by bob" in " ".join(blog.text.split())
    assert "No archived text" in blog.find("p", cls="empty").text
    assert "No claim cites it yet." in blog.text
    # Each source's own form offers the decisions a pending source can take.
    buttons = [button.get("value") for button in wire.find("form", cls="decide").find_all("button")]
    assert buttons == ["approve", "reject", "send_back"]


def test_approving_rejecting_and_sending_back_move_each_source_to_its_tab(moderator, submitted):
    client = logged_in(moderator)
    page = client.get(QUEUE)

    approve = {**_decide_form(page, submitted["wire"]), "action": "approve", "reliability": "B"}
    response = client.post(_moderate_url(submitted["wire"]), approve, follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert messages_of(response) == ["Approved: “Acme announces Tern”."]

    reject = {**_decide_form(page, submitted["blog"]), "action": "reject", "note": "Anonymous blog, no byline"}
    response = client.post(_moderate_url(submitted["blog"]), reject, follow=True)
    assert messages_of(response) == ["Rejected: “Tern rumours blog”."]

    send_back = {**_decide_form(page, submitted["leak"]), "action": "send_back", "note": "Archive the forum post"}
    response = client.post(_moderate_url(submitted["leak"]), send_back, follow=True)
    assert messages_of(response) == ["Sent back: “Tern benchmark leak”."]
    assert _queue_titles(response) == []
    assert "No source is pending right now." in response.text

    approved = client.get(QUEUE + "?state=approved")
    assert _queue_titles(approved) == ["Acme announces Tern", "Acme annual report"]
    assert _queue_item(approved, submitted["wire"]).find("span", cls="reliability").text.strip() == "B"
    # An approved source can be rejected or sent back later, not approved again.
    buttons = [b.get("value") for b in _queue_item(approved, submitted["wire"]).find_all("button")]
    assert buttons == ["reject", "send_back"]

    rejected = client.get(QUEUE + "?state=rejected")
    assert _queue_titles(rejected) == ["Tern rumours blog"]
    note = _queue_item(rejected, submitted["blog"]).find("p", cls="moderation-note").text
    assert note == "Rejected by mo: Anonymous blog, no byline"

    sent_back = client.get(QUEUE + "?state=sent_back")
    assert _queue_titles(sent_back) == ["Tern benchmark leak"]
    assert _tab_counts(sent_back) == {
        "Pending (0)": None,
        "Sent back (1)": "page",
        "Rejected (1)": None,
        "Approved (2)": None,
    }

    wire, blog, leak = (_reload(submitted[key]) for key in ("wire", "blog", "leak"))
    assert (wire.moderation_state, wire.reliability, wire.moderated_by) == ("approved", "B", moderator)
    assert (blog.moderation_state, blog.moderation_note) == ("rejected", "Anonymous blog, no byline")
    assert (leak.moderation_state, leak.moderation_note) == ("sent_back", "Archive the forum post")


def test_an_unknown_tab_shows_the_pending_sources(moderator, submitted):
    response = logged_in(moderator).get(QUEUE + "?state=deleted")
    assert response.status_code == 200
    assert len(_queue_titles(response)) == 3


def test_the_source_page_logs_who_decided_what_why_and_the_changes_of_state_and_rating(moderator, submitted):
    client = logged_in(moderator)
    wire = submitted["wire"]
    page = client.get(wire.get_absolute_url())
    # The moderator decides from the source page too: the log is empty so far.
    assert "No decision yet." in parse(page).find("section", cls="moderation").text
    client.post(_moderate_url(wire), {**_decide_form(page, wire), "action": "approve", "reliability": "B"})
    page = client.get(wire.get_absolute_url())
    form = {**_decide_form(page, wire), "action": "reject", "note": "The quote is from a different event"}
    response = client.post(_moderate_url(wire), form, follow=True)
    assert response.redirect_chain[-1][0] == wire.get_absolute_url()
    assert messages_of(response) == ["Rejected: “Acme announces Tern”."]

    assert _decision_rows(response) == [
        {
            "who": "mo",
            "decision": "Rejected",
            "state": "Approved → Rejected",
            "reliability": "B",
            "why": "The quote is from a different event",
        },
        {"who": "mo", "decision": "Approved", "state": "Pending → Approved", "reliability": "F → B", "why": ""},
    ]
    header = " ".join(parse(response).find("section", cls="moderation").find("p").text.split())
    assert header.startswith("Rejected Submitted by ana on")


def test_a_decision_is_a_revision_in_the_source_history_and_in_recent_changes(moderator, submitted):
    client = logged_in(moderator)
    wire = submitted["wire"]
    form = {**_decide_form(client.get(QUEUE), wire), "action": "approve", "reliability": "B", "note": "Wire copy"}
    client.post(_moderate_url(wire), form)

    history = history_rows(client.get(reverse("intel:source_history", args=[wire.pk])))
    assert history[0]["who"] == "mo"
    assert "Approved source (reliability F → B): Wire copy" in history[0]["summary"]
    assert [row["who"] for row in history[1:]] == ["ana"] * (len(history) - 1)

    latest = change_rows(client.get("/changes/"))[0]
    assert latest["page"].endswith("Acme announces Tern") and latest["who"] == "mo"
    assert "Approved source (reliability F → B): Wire copy" in latest["what"]


@pytest.mark.parametrize(
    ("action", "words"),
    [
        ("reject", "Say why the source is rejected."),
        ("send_back", "Say what the submitter should fix before the source is looked at again."),
    ],
)
def test_rejecting_or_sending_back_without_a_note_changes_nothing_and_says_why(moderator, submitted, action, words):
    client = logged_in(moderator)
    wire = submitted["wire"]
    versions = Version.objects.get_for_object(wire).count()
    page = client.get(QUEUE)
    response = client.post(
        _moderate_url(wire), {**_decide_form(page, wire), "action": action, "note": "  "}, follow=True
    )
    assert response.redirect_chain[-1][0] == QUEUE
    (message,) = messages_of(response)
    assert words in message and "Nothing was changed." in message
    assert parse(response).find("ul", cls="messages").find("li").has_class("error")
    assert _reload(wire).moderation_state == ModerationState.PENDING
    assert "Acme announces Tern" in _queue_titles(response)
    assert not ModerationDecision.objects.filter(source=wire).exists()
    assert Version.objects.get_for_object(wire).count() == versions


def test_a_decision_form_only_returns_to_a_page_of_the_wiki(moderator, submitted):
    wire = submitted["wire"]
    form = {"action": "approve", "expected_state": "pending", "next": "https://evil.example/phish"}
    response = logged_in(moderator).post(_moderate_url(wire), form)
    assert response.status_code == 302 and response.url == wire.get_absolute_url()
    assert _reload(wire).moderation_state == ModerationState.APPROVED


# ---------------------------------------------------------------------------
# Bulk decisions


def test_a_moderator_approves_several_sources_at_once_with_one_rating(moderator, submitted):
    client = logged_in(moderator)
    chosen = [submitted["wire"], submitted["leak"]]
    form = {"sources": [str(s.pk) for s in chosen], "action": "approve", "reliability": "C", "note": ""}
    response = client.post(QUEUE + "?state=pending", form, follow=True)
    assert response.redirect_chain[-1][0] == QUEUE + "?state=pending"
    assert messages_of(response) == ["Approved 2 sources."]
    assert _queue_titles(response) == ["Tern rumours blog"]
    for source in chosen:
        source = _reload(source)
        assert (source.moderation_state, source.reliability, source.moderated_by) == ("approved", "C", moderator)
        assert source.decisions.get().action == "approve"
    assert _reload(submitted["blog"]).moderation_state == ModerationState.PENDING


def test_a_bulk_rejection_without_a_reason_is_refused_and_changes_nothing(moderator, submitted):
    client = logged_in(moderator)
    form = {"sources": [str(submitted["wire"].pk), str(submitted["leak"].pk)], "action": "reject", "note": ""}
    response = client.post(QUEUE, form)
    assert response.status_code == 400
    errors = parse(response).find("div", cls="form-errors").text
    assert "Nothing was changed" in errors and "Say why the source is rejected." in errors
    assert not Source.objects.filter(moderation_state=ModerationState.REJECTED).exists()
    assert not ModerationDecision.objects.filter(action="reject").exists()


def test_a_bulk_decision_that_one_source_cannot_take_changes_none_of_them(moderator, second_moderator, submitted):
    client = logged_in(moderator)
    page = client.get(QUEUE)
    assert len(_queue_titles(page)) == 3
    # While mo reads the queue, max approves the leak.
    source_approve(source=submitted["leak"], moderator=second_moderator)

    chosen = [submitted["blog"], submitted["wire"], submitted["leak"]]
    form = {"sources": [str(s.pk) for s in chosen], "action": "reject", "reliability": "E", "note": "Off topic"}
    response = client.post(QUEUE + "?state=pending", form)
    assert response.status_code == 400
    errors = " ".join(parse(response).find("div", cls="form-errors").text.split())
    assert "Nothing was changed" in errors
    assert "“Tern benchmark leak” was approved by max meanwhile" in errors
    # What the moderator typed is still in the form.
    assert parse(response).find("textarea", id="bulk-note").text == "Off topic"

    for key in ("blog", "wire"):
        source = _reload(submitted[key])
        assert (source.moderation_state, source.reliability) == ("pending", "F")
        assert not source.decisions.exists()
    leak = _reload(submitted["leak"])
    assert (leak.moderation_state, leak.moderated_by, leak.reliability) == ("approved", second_moderator, "F")
    assert leak.decisions.count() == 1


def test_a_bulk_decision_needs_a_selected_source(moderator, submitted):
    response = logged_in(moderator).post(QUEUE, {"action": "approve", "note": ""})
    assert response.status_code == 400
    assert "Select at least one source." in parse(response).find("div", cls="form-errors").text
    assert not ModerationDecision.objects.filter(action="approve").exclude(source=submitted["approved"]).exists()


# ---------------------------------------------------------------------------
# Two moderators at once


def test_a_decision_on_a_stale_view_is_refused_and_names_who_decided(moderator, second_moderator, submitted):
    wire = submitted["wire"]
    mine, theirs = logged_in(moderator), logged_in(second_moderator)
    my_page = mine.get(QUEUE)
    their_page = theirs.get(QUEUE)

    form = {**_decide_form(their_page, wire), "action": "reject", "note": "Press release dressed as news"}
    theirs.post(_moderate_url(wire), form)

    mine_form = {**_decide_form(my_page, wire), "action": "approve", "reliability": "A"}
    assert mine_form["expected_state"] == "pending"
    response = mine.post(_moderate_url(wire), mine_form, follow=True)
    (message,) = messages_of(response)
    assert "was rejected by max meanwhile" in message
    assert "nothing was changed" in message.lower()

    wire = _reload(wire)
    assert (wire.moderation_state, wire.moderated_by, wire.reliability) == ("rejected", second_moderator, "F")
    assert wire.moderation_note == "Press release dressed as news"
    assert [d.moderator for d in wire.decisions.all()] == [second_moderator]
    # The queue mo is sent back to no longer lists it as pending.
    assert "Acme announces Tern" not in _queue_titles(response)


def test_a_stale_decision_names_the_analyst_who_resubmitted_meanwhile(analyst, moderator, submitted):
    leak = submitted["leak"]
    source_send_back(source=leak, moderator=moderator, request="Archive the forum post")
    client = logged_in(moderator)
    page = client.get(QUEUE + "?state=sent_back")
    # While mo reads the sent-back tab, ana resubmits the source.
    logged_in(analyst).post(_moderate_url(leak), {"action": "resubmit", "expected_state": "sent_back"})

    form = {**_decide_form(page, leak), "action": "reject", "note": "Still not archived"}
    response = client.post(_moderate_url(leak), form, follow=True)
    (message,) = messages_of(response)
    assert "nothing was changed" in message.lower()
    assert "ana" in message, message
    leak = _reload(leak)
    assert leak.moderation_state == ModerationState.PENDING
    assert [d.action for d in leak.decisions.all()] == ["resubmit", "send_back"]


# ---------------------------------------------------------------------------
# Sent back, fixed, resubmitted


def test_the_submitter_sees_the_request_and_resubmits_the_source(analyst, moderator, submitted):
    leak = submitted["leak"]
    source_send_back(source=leak, moderator=moderator, request="Archive the forum post before it disappears")

    ana = logged_in(analyst)
    page = ana.get(leak.get_absolute_url())
    notice = parse(page).find("section", cls="moderation").find("div", cls="notice")
    assert " ".join(notice.find("p").text.split()).startswith("Sent back by mo on")
    assert notice.find("q").text == "Archive the forum post before it disappears"
    # The analyst cannot decide, only resubmit.
    assert not parse(page).find_all("form", cls="decide")
    resubmit = notice.find("form")
    assert resubmit.get("action") == _moderate_url(leak)
    assert [b.get("value") for b in resubmit.find_all("button")] == ["resubmit"]

    form = {**form_data(page, cls="inline", action=_moderate_url(leak)), "action": "resubmit"}
    assert form["expected_state"] == "sent_back"
    form["note"] = "Archived it"
    response = ana.post(_moderate_url(leak), form, follow=True)
    assert messages_of(response) == ["Resubmitted: “Tern benchmark leak”."]
    assert not parse(response).find("section", cls="moderation").find_all("div", cls="notice")

    leak = _reload(leak)
    assert (leak.moderation_state, leak.moderated_by, leak.moderation_note) == ("pending", None, "")
    assert _decision_rows(response)[0] == {
        "who": "ana",
        "decision": "Resubmitted",
        "state": "Sent back → Pending",
        "reliability": "F",
        "why": "Archived it",
    }
    assert "Tern benchmark leak" in _queue_titles(logged_in(moderator).get(QUEUE))


def test_only_a_sent_back_source_can_be_resubmitted(analyst, submitted):
    wire = submitted["wire"]
    response = logged_in(analyst).post(_moderate_url(wire), {"action": "resubmit"}, follow=True)
    (message,) = messages_of(response)
    assert "cannot be resubmitted" in message and "Nothing was changed." in message
    assert not wire.decisions.exists()


# ---------------------------------------------------------------------------
# Who may moderate


def test_visitors_are_sent_to_log_in(client, submitted):
    wire = submitted["wire"]
    assert is_login_redirect(client.get(QUEUE), QUEUE)
    assert is_login_redirect(client.get(QUEUE + "?state=rejected"), QUEUE + "?state=rejected")
    assert is_login_redirect(client.post(QUEUE, {"sources": [wire.pk], "action": "approve"}), QUEUE)
    response = client.post(_moderate_url(wire), {"action": "approve", "expected_state": "pending"})
    assert is_login_redirect(response, wire.get_absolute_url())
    assert _reload(wire).moderation_state == ModerationState.PENDING


@pytest.mark.parametrize("who", ["reader", "analyst"])
def test_readers_and_analysts_may_not_use_the_queue(request, who, submitted):
    client = logged_in(request.getfixturevalue(who))
    wire = submitted["wire"]
    assert client.get(QUEUE).status_code == 403
    assert client.post(QUEUE, {"sources": [wire.pk], "action": "approve"}).status_code == 403
    assert _reload(wire).moderation_state == ModerationState.PENDING


@pytest.mark.parametrize("who", ["reader", "analyst"])
@pytest.mark.parametrize(
    ("action", "note"), [("approve", ""), ("reject", "Not a source"), ("send_back", "Add the URL")]
)
def test_readers_and_analysts_may_not_decide_about_a_source(request, who, action, note, submitted):
    client = logged_in(request.getfixturevalue(who))
    wire = submitted["wire"]
    response = client.post(_moderate_url(wire), {"action": action, "note": note, "expected_state": "pending"})
    assert response.status_code == 403
    wire = _reload(wire)
    assert (wire.moderation_state, wire.moderated_by) == ("pending", None)
    assert not wire.decisions.exists()


def test_an_analyst_may_resubmit_but_a_reader_may_not(analyst, reader, moderator, submitted):
    leak = submitted["leak"]
    source_send_back(source=leak, moderator=moderator, request="Add the URL")
    form = {"action": "resubmit", "expected_state": "sent_back", "note": ""}
    assert logged_in(reader).post(_moderate_url(leak), form).status_code == 403
    assert _reload(leak).moderation_state == ModerationState.SENT_BACK
    # A reader sees the request but no form to resubmit.
    notice = parse(logged_in(reader).get(leak.get_absolute_url())).find("div", cls="notice")
    assert not notice.find_all("form")

    response = logged_in(analyst).post(_moderate_url(leak), form)
    assert response.status_code == 302
    assert _reload(leak).moderation_state == ModerationState.PENDING


def test_the_moderation_link_is_shown_only_to_moderators(client, reader, analyst, moderator, submitted):
    def nav_links(response):
        return {
            link.text.strip(): link.get("href")
            for link in parse(response).find("nav", **{"aria-label": "Site"}).find_all("a")
        }

    assert nav_links(logged_in(moderator).get("/"))["Moderation"] == QUEUE
    for visitor in (client, logged_in(reader), logged_in(analyst)):
        links = nav_links(visitor.get("/"))
        assert "Recent changes" in links
        assert "Moderation" not in links


def test_the_decision_form_is_on_the_source_page_only_for_moderators(analyst, moderator, submitted):
    wire = submitted["wire"]
    assert not parse(logged_in(analyst).get(wire.get_absolute_url())).find_all("form", cls="decide")
    form = parse(logged_in(moderator).get(wire.get_absolute_url())).find("form", cls="decide")
    assert [b.get("value") for b in form.find_all("button")] == ["approve", "reject", "send_back"]


# ---------------------------------------------------------------------------
# What moderation means for the claims


def test_a_claim_citing_only_a_pending_source_is_unsupported_until_the_source_is_approved(analyst, moderator):
    source = source_create(author=analyst, title="Acme announces Tern", publisher="Example Wire")
    _archive(source, analyst)
    claim = _cite(analyst, source, "Tern is sampling with three cloud customers.")
    claim_url = reverse("intel:claim_detail", args=[claim.pk])
    client = logged_in(moderator)

    support = parse(client.get(claim_url)).find("section", cls="support")
    assert support.find("span", cls="unsupported").text == "Unsupported"
    listed = parse(client.get(source.get_absolute_url())).find("li", cls="claim", id=f"claim-{claim.pk}")
    assert listed.find_all("span", cls="unsupported")

    page = client.get(source.get_absolute_url())
    client.post(_moderate_url(source), {**_decide_form(page, source), "action": "approve", "reliability": "B"})

    support = parse(client.get(claim_url)).find("section", cls="support")
    assert not support.find_all("span", cls="unsupported")
    assert "Supported by 1 approved source from 1 publisher" in " ".join(support.text.split())
    listed = parse(client.get(source.get_absolute_url())).find("li", cls="claim", id=f"claim-{claim.pk}")
    assert not listed.find_all("span", cls="unsupported")


def test_rejecting_the_only_source_makes_its_claim_unsupported_again(analyst, moderator):
    source = source_create(author=analyst, title="Acme announces Tern", publisher="Example Wire")
    claim = _cite(analyst, source, "Tern is sampling.")
    source_approve(source=source, moderator=moderator)
    claim_url = reverse("intel:claim_detail", args=[claim.pk])
    assert not parse(logged_in(analyst).get(claim_url)).find_all("span", cls="unsupported")
    source_reject(source=source, moderator=moderator, reason="Retracted by the publisher")
    assert parse(logged_in(analyst).get(claim_url)).find("span", cls="unsupported")


# ---------------------------------------------------------------------------
# The queue stays cheap


def _pending_sources(author, count: int, start: int = 0):
    for number in range(start, start + count):
        source = source_create(author=author, title=f"Wire story {number}", publisher=f"Wire {number}")
        _archive(source, author, f"Story {number}: Tern is sampling with customers.\n")
        _cite(author, source, f"Claim {number} about Tern.", quote="Tern is sampling with customers")


def test_the_queue_takes_as_many_queries_for_thirty_sources_as_for_three(
    analyst, moderator, django_assert_max_num_queries
):
    client = logged_in(moderator)
    _pending_sources(analyst, 3)
    client.get(QUEUE)  # the session and the permissions are cached after a first request
    with CaptureQueriesContext(connection) as few:
        response = client.get(QUEUE)
    assert len(_queue_titles(response)) == 3

    _pending_sources(analyst, 27, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(QUEUE)
    titles = _queue_titles(response)
    assert len(titles) == 30
    assert all(
        item.find_all("blockquote", cls="snapshot-preview") for item in parse(response).find_all("li", cls="queue-item")
    )


# ---------------------------------------------------------------------------
# The admin


def test_a_moderator_sends_a_source_back_from_the_admin_and_its_page_shows_the_log(client, moderator, submitted):
    leak = submitted["leak"]
    client.force_login(moderator)
    changelist = reverse("admin:intel_source_changelist")
    data = {"action": "send_back_sources", "_selected_action": [leak.pk]}
    page = client.post(changelist, data)
    assert page.status_code == 200
    assert "Send back these sources?" in page.text
    assert _reload(leak).moderation_state == ModerationState.PENDING

    response = client.post(changelist, {**data, "reason": "Archive the forum post"}, follow=True)
    assert "Sent back 1 source(s)." in response.text
    leak = _reload(leak)
    assert (leak.moderation_state, leak.moderation_note, leak.moderated_by) == (
        "sent_back",
        "Archive the forum post",
        moderator,
    )

    change = client.get(reverse("admin:intel_source_change", args=[leak.pk]))
    assert change.status_code == 200
    inline = parse(change).find_all("div", id="decisions-group")
    assert inline, "the moderator's admin page of the source shows no decision log"
    rows = inline[0].find("tbody").find_all("tr")
    assert len(rows) == 1
    (row,) = rows
    assert row.find("td", cls="field-note").text.strip() == "Archive the forum post"
    assert row.find("td", cls="field-moderator").text.strip() == "mo"
    assert row.find("td", cls="field-action").text.strip() == "Sent back"
    assert row.find("td", cls="field-state_after").text.strip() == "Sent back"
    # The log is read-only: no field to type into, nothing to add.
    assert not row.find_all("input", type="text") and not row.find_all("textarea")
