"""Slips: every target a milestone was given, recorded with its revisions, and what the pages make of it.

Stories of analysts editing milestones through the wiki's forms (posted as a browser
posts them), moderators reverting, the admin, and ``manage.py rebuild_roadmap_history``.
The slip rule: a target slipped when the latest possible date moved later, by that many
days (Q3 2025 → Q4 2025 is 30 Sep → 31 Dec, 92 days); narrowing, widening, pulling in and
restating are not slips.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from companies.services import company_create
from intel import editing
from intel.choices import ChangeAction, Role
from intel.fuzzydates import FuzzyDate
from intel.models import Change
from intel.pages import PAGE_KINDS, content_type_of
from intel.services import claim_create, source_create
from products.choices import TargetChange
from products.models import Milestone, MilestoneTarget
from products.roadmap import target_change
from products.services import milestone_create, product_create
from tests.factories import UserFactory
from tests.intel import pagekit
from tests.intel.pagekit import field_errors, form_data, logged_in, messages_of, parse, reload, service_edit, submit

pytestmark = pytest.mark.django_db

# The page tests' people and pages (tests/intel/pagekit.py), as fixtures of this module.
analyst, other_analyst, deps, world = pagekit.analyst, pagekit.other_analyst, pagekit.deps, pagekit.world

MILESTONE = PAGE_KINDS["milestone"]


# ---------------------------------------------------------------------------
# Reading the pages


def edit(client, milestone, **changes):
    """Open the milestone's edit form, change some fields, save: what an analyst does in the browser."""
    url = MILESTONE.url("edit", milestone.pk)
    return submit(client, url, {**form_data(client.get(url)), **changes}, follow=True)


def target_rows(response) -> list[dict]:
    """The rows of a milestone page's target history table, as a reader sees them."""
    section = parse(response).find("section", id="targets")
    tables = section.find_all("table", cls="targets")
    rows = []
    for row in tables[0].find("tbody").find_all("tr") if tables else []:
        cells = [" ".join(cell.text.split()) for cell in row.find_all("td")]
        rows.append(
            {
                "target": cells[0],
                "change": cells[1],
                "stated": cells[2],
                "cited": cells[3],
                "recorded": cells[4],
                "reverted": row.has_class("reverted"),
            }
        )
    return rows


def slip_summary(response) -> str:
    return " ".join(parse(response).find("section", id="targets").find("p").text.split())


def slips_table(response) -> list[dict]:
    """The slips table of a company page or /roadmap/: one dict per row, keyed by column heading."""
    tables = parse(response).find_all("table", cls="slips")
    if not tables:
        return []
    headings = [cell.text.strip() for cell in tables[0].find("thead").find_all("th")]
    return [
        dict(zip(headings, (" ".join(cell.text.split()) for cell in row.find_all("td")), strict=True))
        for row in tables[0].find("tbody").find_all("tr")
    ]


def recorded_rows(milestone) -> list[tuple]:
    """The stored target rows of a milestone: what rebuilds must reproduce exactly."""
    return list(
        MilestoneTarget.objects.filter(milestone=milestone)
        .order_by("revision_id")
        .values_list("revision_id", "change", "target_date", "target_precision", "slip_days", "reverted", "citation_id")
    )


def today_label() -> str:
    today = timezone.localdate()
    return f"{today.day} {today:%b %Y}"


@pytest.fixture
def moderator():
    return UserFactory(username="mona", role=Role.MODERATOR)


@pytest.fixture
def vandal():
    return UserFactory(username="vic", role=Role.ANALYST)


# ---------------------------------------------------------------------------
# The rule


@pytest.mark.parametrize(
    "before, after, change, days",
    [
        ("2025-Q3", "2025-Q4", TargetChange.SLIPPED, 92),  # 30 Sep → 31 Dec
        ("2025-Q4", "2026-Q1", TargetChange.SLIPPED, 90),  # 31 Dec → 31 Mar
        ("2025-Q2", "2025-H2", TargetChange.SLIPPED, 184),  # 30 Jun → 31 Dec
        ("2025", "2026-Q1", TargetChange.SLIPPED, 90),
        ("2025-09", "2025-10-15", TargetChange.SLIPPED, 15),
        ("2025", "2025-Q3", TargetChange.NARROWED, 0),
        ("2025-Q3", "2025-09-30", TargetChange.NARROWED, 0),
        ("2025-Q3", "2025-H2", TargetChange.WIDENED, 0),
        ("2025-Q4", "2025-Q3", TargetChange.PULLED_IN, 0),
        ("2026", "2025-H2", TargetChange.PULLED_IN, 0),
        ("2025-Q3", "2025-Q3", TargetChange.RESTATED, 0),
        ("2025-Q3", None, TargetChange.UNDATED, 0),
    ],
)
def test_a_slip_is_measured_on_the_end_of_the_period_and_only_later_ends_are_slips(before, after, change, days):
    previous = FuzzyDate.parse(before)
    new = FuzzyDate.parse(after) if after else None
    assert target_change(previous, new, first=False) == (change, days)


# ---------------------------------------------------------------------------
# Slipping through the wiki


def test_a_target_moved_twice_through_the_edit_form_shows_two_slips_on_every_page(client, analyst, world):
    ships = world.ships  # GB200 NVL72 first shipments, Q3 2025, made by the world fixture
    ana = logged_in(analyst)

    first = edit(ana, ships, target="2025-Q4", summary="Pushed to Q4 on the earnings call")
    assert first.redirect_chain == [(ships.get_absolute_url(), 302)]
    second = edit(ana, ships, target="2026-Q1", summary="Pushed again")

    assert reload(ships).target == FuzzyDate.parse("2026-Q1")
    assert slip_summary(second) == "Slipped 2 times, 182 days in all, from a first target of Q3 2025."
    rows = target_rows(second)
    assert [(row["target"], row["change"]) for row in rows] == [
        ("Q3 2025", "first dated"),
        ("Q4 2025", "slipped +92 days"),
        ("Q1 2026", "slipped +90 days"),
    ]
    assert all(row["recorded"].endswith("by ana") and not row["reverted"] for row in rows)
    assert all(row["cited"] == "no citation" and row["stated"] == today_label() for row in rows)

    expected = {
        "Milestone": "GB200 NVL72 first shipments",
        "Product": "GB200 NVL72",
        "First target": "Q3 2025",
        "Current target": "Q1 2026",
        "Slips": "2",
        "Days slipped": "+182",
        "Status": "On track",
    }
    assert slips_table(client.get("/companies/nvidia/")) == [expected]
    assert slips_table(client.get("/roadmap/")) == [{**expected, "Company": "Nvidia"}]
    assert slips_table(client.get("/roadmap/", {"slipped": "true"})) == [{**expected, "Company": "Nvidia"}]
    assert slips_table(client.get("/products/gb200-nvl72/")) == [expected]


def test_each_slip_is_one_revision_with_the_target_row_in_it(analyst, world):
    ana = logged_in(analyst)
    edit(ana, world.ships, target="2025-Q4", summary="Slip")

    row = MilestoneTarget.objects.get(milestone=world.ships, change=TargetChange.SLIPPED)
    assert row.revision_id == editing.latest_revision_id(world.ships)
    assert row.revision.comment == "Slip" and row.revision.user == analyst


def test_narrowing_widening_pulling_in_and_restating_are_not_slips(client, analyst, world):
    ana = logged_in(analyst)
    roadmap_item = milestone_create(
        author=analyst, title="Rubin tape-out", company=world.nvidia, kind="other", target="2025"
    )
    claim_create(
        author=analyst,
        statement="Rubin taped out in the second quarter.",
        citations=[{"source": world.keynote, "quote": "Rubin has taped out."}],
        milestones=[roadmap_item],
    )
    quote = roadmap_item.claims.get().citations.get()

    edit(ana, roadmap_item, target="2025-Q3")
    edit(ana, roadmap_item, target="2025-H2")
    edit(ana, roadmap_item, target="2025-Q2")
    page = edit(ana, roadmap_item, target="2025-Q2", target_citation=str(quote.pk), summary="Confirmed at GTC")

    assert [(row["target"], row["change"]) for row in target_rows(page)] == [
        ("2025", "first dated"),
        ("Q3 2025", "narrowed"),
        ("H2 2025", "widened"),
        ("Q2 2025", "pulled in"),
        ("Q2 2025", "restated"),
    ]
    assert slip_summary(page) == "Never slipped."
    assert slips_table(client.get("/companies/nvidia/")) == []
    assert "No slips yet" in parse(client.get("/companies/nvidia/")).find("p", cls="empty").text
    titles = [row["Milestone"] for row in slips_table(client.get("/roadmap/", {"slipped": "true"}))]
    assert "Rubin tape-out" not in titles


def test_a_milestone_created_without_a_date_starts_its_history_when_it_is_first_dated(client, analyst, deps):
    ana = logged_in(analyst)
    created = submit(
        ana,
        MILESTONE.create_url(),
        {**form_data(ana.get(MILESTONE.create_url())), "title": "Acme X1 sampling", "company": str(deps.company.pk)}
        | {"kind": "sample", "status": "planned", "target": ""},
        follow=True,
    )
    milestone = Milestone.objects.get(title="Acme X1 sampling")
    assert created.redirect_chain == [(milestone.get_absolute_url(), 302)]
    history = parse(created).find("section", id="targets")
    assert "No target recorded yet" in history.text and not history.find_all("table")

    dated = edit(ana, milestone, target="2026-H2")

    assert [(row["target"], row["change"]) for row in target_rows(dated)] == [("H2 2026", "first dated")]
    assert slip_summary(dated) == "Never slipped."
    assert MilestoneTarget.objects.get(milestone=milestone).slip_days == 0
    assert slips_table(client.get(deps.company.get_absolute_url())) == []


def test_a_target_withdrawn_and_given_again_later_is_a_slip_not_a_first_date(analyst, world):
    ana = logged_in(analyst)
    edit(ana, world.ships, target="", summary="Nvidia no longer gives a date")
    page = edit(ana, world.ships, target="2026-Q1", summary="Dated again at CES")

    assert [(row["target"], row["change"]) for row in target_rows(page)] == [
        ("Q3 2025", "first dated"),
        ("no date", "date withdrawn"),
        ("Q1 2026", "slipped +182 days"),  # 30 Sep 2025 → 31 Mar 2026
    ]


# ---------------------------------------------------------------------------
# The citation that states a target


def test_a_target_cited_from_a_claims_quote_shows_the_source_and_its_publication_date(analyst, world):
    quote = world.shipping.citations.get()  # "Blackwell is in full production.", GTC 2025 keynote of 18 March 2025
    ana = logged_in(analyst)
    offered = parse(ana.get(MILESTONE.url("edit", world.ships.pk))).find("select", name="target_citation")
    assert str(quote.pk) in [option.get("value") for option in offered.find_all("option")]

    page = edit(ana, world.ships, target="2025-Q4", target_citation=str(quote.pk), summary="Per the keynote")

    newest = target_rows(page)[-1]
    assert newest["target"] == "Q4 2025" and newest["change"] == "slipped +92 days"
    assert newest["cited"] == "GTC 2025 keynote: Blackwell is in full production."  # the quote in a <q>
    cited_from = parse(page).find("table", cls="targets").find("tbody").find_all("tr")[-1].find_all("td")[3]
    assert cited_from.find("a").get("href") == quote.get_absolute_url()
    assert newest["stated"] == "18 Mar 2025"
    first_stated = parse(page).find("section", id="targets").find("time").get("datetime")
    assert first_stated == timezone.localdate().isoformat(), "an uncited target was stated the day it was recorded"
    assert MilestoneTarget.objects.filter(milestone=world.ships).last().citation == quote


def test_only_quotes_of_claims_about_the_milestone_are_offered_as_its_target_citation(analyst, world, deps):
    unrelated = claim_create(
        author=analyst, statement="Acme ships.", citations=[{"source": deps.source, "quote": "Acme ships now."}]
    ).citations.get()
    ana = logged_in(analyst)
    url = MILESTONE.url("edit", world.ships.pk)
    offered = parse(ana.get(url)).find("select", name="target_citation").find_all("option")
    assert str(unrelated.pk) not in [option.get("value") for option in offered]

    refused = submit(ana, url, {**form_data(ana.get(url)), "target": "2025-Q4", "target_citation": str(unrelated.pk)})

    assert refused.status_code == 400
    assert field_errors(refused, "target_citation")
    assert reload(world.ships).target == FuzzyDate.parse("2025-Q3")


def test_changing_the_target_but_keeping_the_old_citation_is_refused_and_nothing_is_saved(analyst, world):
    quote = world.shipping.citations.get()
    ana = logged_in(analyst)
    edit(ana, world.ships, target="2025-Q4", target_citation=str(quote.pk))
    revision_before, rows_before = editing.latest_revision_id(world.ships), recorded_rows(world.ships)
    url = MILESTONE.url("edit", world.ships.pk)
    form = form_data(ana.get(url))
    assert form["target_citation"] == str(quote.pk)

    refused = submit(ana, url, {**form, "target": "2026-Q1", "summary": "Slipped again"})

    assert refused.status_code == 400
    [error] = field_errors(refused, "target_citation")
    assert "The target changed to Q1 2026, but this citation states the old one" in error
    assert form_data(refused)["target"] == "2026-Q1", "the typed target stays in the form"
    assert reload(world.ships).target == FuzzyDate.parse("2025-Q4")
    assert editing.latest_revision_id(world.ships) == revision_before
    assert recorded_rows(world.ships) == rows_before

    cleared = submit(ana, url, {**form_data(refused), "target_citation": ""}, follow=True)

    assert cleared.redirect_chain == [(world.ships.get_absolute_url(), 302)]
    newest = target_rows(cleared)[-1]
    assert (newest["target"], newest["change"], newest["cited"]) == ("Q1 2026", "slipped +90 days", "no citation")


def test_a_citation_picked_for_the_old_target_is_not_merged_onto_a_target_changed_meanwhile(
    analyst, other_analyst, world
):
    quote = world.shipping.citations.get()
    url = MILESTONE.url("edit", world.ships.pk)
    ana, bob = logged_in(analyst), logged_in(other_analyst)
    ana_form, bob_form = form_data(ana.get(url)), form_data(bob.get(url))
    assert submit(bob, url, {**bob_form, "target": "2025-Q4", "summary": "Slipped"}).status_code == 302

    # Ana's form still says Q3 2025: the quote she picks states Q3, not bob's Q4.
    response = submit(ana, url, {**ana_form, "target_citation": str(quote.pk), "summary": "Cite the keynote"})

    assert response.status_code in (400, 409)
    assert reload(world.ships).target_citation is None
    assert not MilestoneTarget.objects.filter(milestone=world.ships, citation=quote).exists()


def test_deleting_and_undeleting_a_claim_keeps_the_quote_that_states_a_milestones_target(client, analyst, world):
    quote = world.shipping.citations.get()
    ana = logged_in(analyst)
    edit(ana, world.ships, target="2025-Q4", target_citation=str(quote.pk))
    claim = PAGE_KINDS["claim"]

    ana.post(claim.url("delete", world.shipping.pk), {"summary": "Wrong claim"})  # refusing it would do too
    ana.post(claim.url("undelete", world.shipping.pk), {"summary": "It was right"})

    assert reload(world.ships).target_citation_id == quote.pk
    newest = target_rows(client.get(world.ships.get_absolute_url()))[-1]
    assert newest["cited"].startswith("GTC 2025 keynote:")


def test_a_milestone_reverts_to_a_target_whose_quote_was_deleted_since(analyst, moderator, world):
    quote = world.shipping.citations.get()
    ana = logged_in(analyst)
    edit(ana, world.ships, target="2025-Q4", target_citation=str(quote.pk))
    cited_revision = editing.latest_revision_id(world.ships)
    edit(ana, world.ships, target="2026-Q1", target_citation="")
    ana.post(PAGE_KINDS["claim"].url("delete", world.shipping.pk), {"summary": "Wrong claim"})

    response = logged_in(moderator).post(MILESTONE.url("revert", world.ships.pk, revision_id=cited_revision))

    assert response.status_code == 302 and response.url == world.ships.get_absolute_url()
    assert reload(world.ships).target == FuzzyDate.parse("2025-Q4")


# ---------------------------------------------------------------------------
# Reverts, deletion and undeletion


def test_a_vandals_slip_reverted_by_a_moderator_no_longer_counts(client, analyst, vandal, moderator, world):
    edit(logged_in(analyst), world.ships, target="2025-Q4", summary="Real slip")
    good_revision = editing.latest_revision_id(world.ships)
    edit(logged_in(vandal), world.ships, target="2030", summary="lol")
    assert slip_summary(client.get(world.ships.get_absolute_url())).startswith("Slipped 2 times")

    mona = logged_in(moderator)
    reverted = mona.post(MILESTONE.url("revert", world.ships.pk, revision_id=good_revision), follow=True)

    assert messages_of(reverted) == [f"Reverted to revision {good_revision}."]
    assert reload(world.ships).target == FuzzyDate.parse("2025-Q4")
    assert slip_summary(reverted) == "Slipped 1 time, 92 days in all, from a first target of Q3 2025."
    rows = target_rows(reverted)
    assert [(row["target"], row["reverted"]) for row in rows] == [
        ("Q3 2025", False),
        ("Q4 2025", False),
        ("2030", True),
    ]
    assert rows[-1]["change"] == "slipped reverted, not counted", "its days are not shown as counted either"
    [slipped] = slips_table(client.get("/companies/nvidia/"))
    assert (slipped["Slips"], slipped["Days slipped"], slipped["Current target"]) == ("1", "+92", "Q4 2025")


def test_a_revert_to_the_first_target_undoes_every_slip_since(client, analyst, moderator, world):
    first_revision = editing.latest_revision_id(world.ships)
    ana = logged_in(analyst)
    edit(ana, world.ships, target="2025-Q4")
    edit(ana, world.ships, target="2026-Q1")

    logged_in(moderator).post(MILESTONE.url("revert", world.ships.pk, revision_id=first_revision))

    page = client.get(world.ships.get_absolute_url())
    assert slip_summary(page) == "Never slipped."
    assert [row["reverted"] for row in target_rows(page)] == [False, True, True]
    assert slips_table(client.get("/roadmap/", {"slipped": "true"})) == []


def test_a_deleted_milestone_comes_back_with_its_target_history(client, analyst, moderator, deps):
    milestone = milestone_create(author=analyst, title="Acme X2 ships", company=deps.company, kind="ship")
    service_edit(milestone, analyst, target="2025-Q3")
    service_edit(milestone, analyst, target="2025-Q4")
    service_edit(milestone, analyst, target="2027")
    editing.page_revert(
        kind=MILESTONE, page=milestone, author=moderator, revision_id=_revision_with(milestone, "2025-Q4")
    )
    service_edit(milestone, analyst, target="2026-Q1")
    before = recorded_rows(milestone)
    page_before = target_rows(client.get(milestone.get_absolute_url()))
    ana = logged_in(analyst)

    deleted = ana.post(MILESTONE.url("delete", milestone.pk), {"summary": "Duplicate?"}, follow=True)
    assert deleted.status_code == 200 and not Milestone.objects.filter(pk=milestone.pk).exists()
    assert not MilestoneTarget.objects.filter(milestone_id=milestone.pk).exists()
    assert slips_table(client.get(deps.company.get_absolute_url())) == []

    undeleted = ana.post(MILESTONE.url("undelete", milestone.pk), {"summary": "Not a duplicate"}, follow=True)

    assert undeleted.redirect_chain == [(milestone.get_absolute_url(), 302)]
    assert recorded_rows(milestone) == before
    assert target_rows(undeleted) == page_before
    assert slip_summary(undeleted) == "Slipped 2 times, 182 days in all, from a first target of Q3 2025."
    [row] = slips_table(client.get(deps.company.get_absolute_url()))
    assert (row["Milestone"], row["Slips"], row["Days slipped"]) == ("Acme X2 ships", "2", "+182")


def _revision_with(milestone, target: str) -> int:
    """The revision that recorded ``target`` for the milestone."""
    fuzzy = FuzzyDate.parse(target)
    return (
        MilestoneTarget.objects.filter(milestone=milestone, target_date=fuzzy.date, target_precision=fuzzy.precision)
        .values_list("revision_id", flat=True)
        .get()
    )


# ---------------------------------------------------------------------------
# Rebuilding from the revisions


def test_rebuild_roadmap_history_reproduces_exactly_what_the_live_recording_made(
    analyst, other_analyst, moderator, vandal, world, deps
):
    quote = world.shipping.citations.get()
    second_quote = world.revenue.citations.order_by("pk").last()
    ships = world.ships
    service_edit(ships, analyst, target="2025-Q4", target_citation=quote)
    service_edit(ships, other_analyst, target="2025-Q4", target_citation=second_quote)  # restated
    service_edit(ships, analyst, body="Only the notes change: no target row.")
    good = editing.latest_revision_id(ships)
    service_edit(ships, vandal, target="2031", target_citation=None)
    editing.page_revert(kind=MILESTONE, page=ships, author=moderator, revision_id=good)
    service_edit(ships, analyst, target="2025-10", target_citation=None)  # narrowed
    service_edit(ships, analyst, target=None)  # withdrawn
    service_edit(ships, analyst, target="2026-H1")

    undated_first = milestone_create(author=analyst, title="Acme roadmap day", company=deps.company, kind="announce")
    service_edit(undated_first, analyst, target="2026")
    service_edit(undated_first, analyst, target="2026-Q2")
    service_edit(undated_first, analyst, target="2027-Q1")

    never_dated = milestone_create(author=analyst, title="Acme someday", company=deps.company, kind="other")
    live = {m.pk: recorded_rows(m) for m in (ships, undated_first, never_dated)}
    assert len(live[ships.pk]) == 7 and live[never_dated.pk] == []
    assert [(row[1], row[5]) for row in live[ships.pk]] == [
        ("dated", False),
        ("slipped", False),
        ("restated", False),
        ("slipped", True),  # the vandal's, undone by the revert
        ("narrowed", False),
        ("undated", False),
        ("slipped", False),  # compared with the last date it had (October 2025)
    ]
    assert [row[6] for row in live[ships.pk][:3]] == [None, quote.pk, second_quote.pk]
    MilestoneTarget.objects.all().delete()

    call_command("rebuild_roadmap_history", stdout=(out := _Output()))

    assert {m.pk: recorded_rows(m) for m in (ships, undated_first, never_dated)} == live
    assert out.text == f"Rebuilt {sum(len(rows) for rows in live.values())} target rows from the revision history.\n"


def test_rebuild_of_one_milestone_leaves_the_others_alone(analyst, world, deps):
    other = milestone_create(author=analyst, title="Acme X3", company=deps.company, kind="ship", target="2025")
    service_edit(other, analyst, target="2026")
    service_edit(world.ships, analyst, target="2025-Q4")
    ships_rows, other_rows = recorded_rows(world.ships), recorded_rows(other)
    MilestoneTarget.objects.filter(milestone=world.ships).delete()
    MilestoneTarget.objects.filter(milestone=other).update(slip_days=0, change=TargetChange.RESTATED)
    tampered = recorded_rows(other)

    call_command("rebuild_roadmap_history", str(world.ships.pk), stdout=_Output())

    assert recorded_rows(world.ships) == ships_rows
    assert recorded_rows(other) == tampered != other_rows


class _Output:
    """What a management command wrote to stdout."""

    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


# ---------------------------------------------------------------------------
# The admin


@pytest.fixture
def admin_user():
    user = UserFactory(username="root", role=Role.ADMIN)
    user.is_superuser = True
    user.save()
    return user


def test_a_target_changed_in_the_admin_is_recorded_as_a_slip_too(client, admin_user, world):
    root = logged_in(admin_user)
    url = reverse("admin:products_milestone_change", args=[world.ships.pk])
    form = form_data(root.get(url), cls=None, id="milestone_form")
    assert (form["target_date"], form["target_precision"]) == ("2025-07-01", "quarter")

    response = root.post(url, {**form, "target_date": "2025-10-01", "_save": "Save"})

    assert response.status_code == 302, response.content[:2000]
    row = MilestoneTarget.objects.filter(milestone=world.ships).last()
    assert (row.change, row.slip_days, row.revision.user) == (TargetChange.SLIPPED, 92, admin_user)
    assert row.revision_id == editing.latest_revision_id(world.ships)
    change = Change.objects.filter(content_type=content_type_of(MILESTONE), object_id=str(world.ships.pk)).first()
    assert change.action == ChangeAction.EDIT and change.revision_id == row.revision_id
    assert slip_summary(client.get(world.ships.get_absolute_url())).startswith("Slipped 1 time, 92 days")
    live = recorded_rows(world.ships)
    call_command("rebuild_roadmap_history", stdout=_Output())
    assert recorded_rows(world.ships) == live, "the admin's revision replays like any other"


def test_the_admin_refuses_a_changed_target_that_keeps_the_old_citation_as_the_wiki_does(admin_user, analyst, world):
    quote = world.shipping.citations.get()
    edit(logged_in(analyst), world.ships, target="2025-Q4", target_citation=str(quote.pk))
    root = logged_in(admin_user)
    url = reverse("admin:products_milestone_change", args=[world.ships.pk])
    form = form_data(root.get(url), cls=None, id="milestone_form")
    assert form["target_citation"] == str(quote.pk)

    response = root.post(url, {**form, "target_date": "2026-01-01", "_save": "Save"})

    assert response.status_code == 200, "the form comes back with the error"
    assert "this citation states the old one" in response.content.decode()
    assert reload(world.ships).target == FuzzyDate.parse("2025-Q4")


# ---------------------------------------------------------------------------
# Query counts do not grow with the roadmap


def _roadmap_of(company, author, *, count: int, start: int = 0, citations=()) -> None:
    """``count`` milestones on the company's roadmap, each dated, slipped and (some) cited, through the services."""
    product = product_create(
        author=author, name=f"{company.name} P{start}", slug=f"{company.slug}-p{start}", vendor=company, kind="gpu"
    )
    for number in range(start, start + count):
        milestone = milestone_create(
            author=author,
            title=f"{company.name} milestone {number}",
            company=company,
            product=product if number % 2 else None,
            kind="ship",
            target="2025-Q3",
            status=["planned", "at_risk", "delayed", "done"][number % 4],
            **({"actual": "2026-02-01"} if number % 4 == 3 else {}),
        )
        quote = citations[number % len(citations)] if citations else None
        if quote is not None:
            quote.claim.milestones.add(milestone)  # a target cites a quote from a claim about the milestone
        service_edit(milestone, author, target="2025-Q4", target_citation=quote)
        service_edit(milestone, author, target="2026-Q1", target_citation=None)
    if start == 0:
        milestone_create(author=author, title=f"{company.name} undated", company=company, kind="other")


@pytest.mark.parametrize("path", ["/roadmap/", "/companies/groq/", "/roadmap/?slipped=true"])
def test_roadmap_pages_cost_the_same_queries_with_30_milestones_as_with_3(
    client, analyst, path, django_assert_max_num_queries
):
    groq = company_create(author=analyst, name="Groq", slug="groq", kind="chip_vendor")
    source = source_create(author=analyst, title="Groq investor day", published_date=datetime.date(2025, 5, 1))
    claim = claim_create(
        author=analyst,
        statement="Groq plans two launches.",
        citations=[{"source": source, "quote": "Two launches."}, {"source": source, "quote": "Both in 2025."}],
        companies=[groq],
    )
    quotes = list(claim.citations.all())
    _roadmap_of(groq, analyst, count=3, citations=quotes)
    client.force_login(analyst)
    client.get(path)  # warm the content-type and session caches
    with CaptureQueriesContext(connection) as small:
        response = client.get(path)
    assert len(slips_table(response)) == 3

    _roadmap_of(groq, analyst, count=27, start=3, citations=quotes)

    with django_assert_max_num_queries(len(small)):
        response = client.get(path)
    assert response.status_code == 200
    assert len(slips_table(response)) == 30


def test_a_milestone_page_costs_the_same_queries_with_30_targets_as_with_3(
    client, analyst, world, django_assert_max_num_queries
):
    quotes = list(world.revenue.citations.all()) + list(world.shipping.citations.all())
    targets = [f"{year}-Q{quarter}" for year in range(2026, 2040) for quarter in (1, 2, 3, 4)]

    def slip(numbers):
        for number in numbers:
            service_edit(world.ships, analyst, target=targets[number], target_citation=quotes[number % 3])

    slip(range(2))
    client.force_login(analyst)
    client.get(world.ships.get_absolute_url())
    with CaptureQueriesContext(connection) as small:
        response = client.get(world.ships.get_absolute_url())
    assert len(target_rows(response)) == 3

    slip(range(2, 29))

    with django_assert_max_num_queries(len(small)):
        response = client.get(world.ships.get_absolute_url())
    assert len(target_rows(response)) == 30
