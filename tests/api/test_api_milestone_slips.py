"""A milestone's slips through the API: ``targets`` and ``slips`` computed from its history,
the ``?slipped=`` filter, the target citation, and the slips columns of the CSV export.

Writes are made as a script makes them: read the ETag, PATCH with ``If-Match``. The data
is the page tests' world (GB200 NVL72 first shipments, targeted at Q3 2025 by "ana").
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from reversion.models import Revision

from companies.services import company_create
from intel import editing
from intel.choices import Role
from intel.pages import PAGE_KINDS
from intel.services import claim_create, source_create
from products.models import MilestoneTarget
from products.services import milestone_create
from tests.api.apikit import error_fields, ids, results
from tests.factories import UserFactory
from tests.intel.pagekit import service_edit

pytestmark = pytest.mark.django_db

ETAG = re.compile(r'^"rev-(\d+)"$')


def path_of(milestone) -> str:
    return f"/api/milestones/{milestone.pk}/"


def patch(api, milestone, payload: dict):
    """PATCH as a careful script does: with the ETag it just read."""
    etag = api.get(path_of(milestone))["ETag"]
    return api.patch(path_of(milestone), payload, format="json", headers={"If-Match": etag})


def revision_of(response) -> int:
    match = ETAG.match(response["ETag"])
    assert match, response["ETag"]
    return int(match[1])


def csv_table(response) -> list[dict[str, str]]:
    """The rows of a CSV export (streamed, whole)."""
    assert response.status_code == 200, response.content[:500]
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


# ---------------------------------------------------------------------------
# Targets and slips


def test_a_target_patched_twice_shows_two_slips_with_their_days_and_every_target(api, world):
    ships = world.ships
    first_revision = Revision.objects.filter(milestone_targets__milestone=ships).get().pk

    to_q4 = patch(api, ships, {"target": "2025-Q4", "summary": "Pushed to Q4"})
    assert to_q4.status_code == 200, to_q4.content[:500]
    assert to_q4.json()["slips"]["count"] == 1, "the write's own answer already counts the slip"
    to_q1 = patch(api, ships, {"target": "2026-Q1", "summary": "Pushed again"})
    assert to_q1.status_code == 200, to_q1.content[:500]

    body = api.get(path_of(ships)).json()
    assert body["target"] == "2026-Q1"
    assert body["slips"] == {"count": 2, "days": 92 + 90, "first_target": "2025-Q3", "late_days": 0}
    today = timezone.localdate().isoformat()
    assert [
        {key: entry[key] for key in ("target", "change", "slip_days", "counted", "stated", "author", "revision")}
        for entry in body["targets"]
    ] == [
        {
            "target": "2025-Q3",
            "change": "dated",
            "slip_days": 0,
            "counted": True,
            "stated": today,
            "author": "ana",
            "revision": first_revision,
        },
        {
            "target": "2025-Q4",
            "change": "slipped",
            "slip_days": 92,
            "counted": True,
            "stated": today,
            "author": "analyst-user",
            "revision": revision_of(to_q4),
        },
        {
            "target": "2026-Q1",
            "change": "slipped",
            "slip_days": 90,
            "counted": True,
            "stated": today,
            "author": "analyst-user",
            "revision": revision_of(to_q1),
        },
    ]
    assert all(entry["citation"] is None and entry["recorded"].startswith(today) for entry in body["targets"])
    assert body == to_q1.json(), "the PATCH answered with what a GET reads"


def test_a_target_that_is_only_narrowed_is_not_a_slip(api, world):
    patch(api, world.ships, {"target": "2025-09"})

    body = api.get(path_of(world.ships)).json()

    assert [entry["change"] for entry in body["targets"]] == ["dated", "narrowed"]
    assert body["slips"] == {"count": 0, "days": 0, "first_target": "2025-Q3", "late_days": 0}


def test_a_milestone_that_happened_after_its_last_target_says_how_late(api, world):
    response = patch(api, world.ships, {"status": "done", "actual": "2025-10-15"})

    assert response.status_code == 200, response.content[:500]
    assert response.json()["slips"]["late_days"] == 15  # 30 Sep → 15 Oct


# ---------------------------------------------------------------------------
# ?slipped=


@pytest.fixture
def slipped_and_not(api, world, analyst):
    """world.ships slipped (through the API); a second milestone of Nvidia never did."""
    assert patch(api, world.ships, {"target": "2025-Q4"}).status_code == 200
    steady = milestone_create(
        author=analyst, title="Rubin sampling", company=world.nvidia, kind="sample", target="2026-Q1"
    )
    service_edit(steady, analyst, target="2026-02")  # narrowed: not a slip
    return world.ships, steady


def test_slipped_true_lists_the_milestones_that_slipped_and_false_the_others(api, slipped_and_not):
    slipped, steady = slipped_and_not

    assert ids(api.get("/api/milestones/", {"slipped": "true"})) == [slipped.pk]
    assert ids(api.get("/api/milestones/", {"slipped": "false"})) == [steady.pk]
    assert sorted(ids(api.get("/api/milestones/"))) == sorted([slipped.pk, steady.pk])


def test_a_slip_undone_by_a_revert_no_longer_lists_the_milestone_as_slipped(api, slipped_and_not):
    slipped, _ = slipped_and_not
    first = MilestoneTarget.objects.filter(milestone=slipped).order_by("revision_id").first().revision_id
    moderator = UserFactory(username="mona", role=Role.MODERATOR)

    # The API has no revert: a moderator reverts in the wiki, and the API reads the result.
    editing.page_revert(kind=PAGE_KINDS["milestone"], page=slipped, author=moderator, revision_id=first)

    body = api.get(path_of(slipped)).json()
    assert body["target"] == "2025-Q3"
    assert body["slips"]["count"] == 0
    assert [(entry["change"], entry["counted"], entry["slip_days"]) for entry in body["targets"]] == [
        ("dated", True, 0),
        ("slipped", False, 0),
    ]
    assert ids(api.get("/api/milestones/", {"slipped": "true"})) == []
    assert slipped.pk in ids(api.get("/api/milestones/", {"slipped": "false"}))


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_a_slipped_filter_that_is_not_true_or_false_is_a_400_naming_it(api, slipped_and_not, value):
    response = api.get("/api/milestones/", {"slipped": value})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert error_fields(response) == {"slipped": ["Give true or false."]}


# ---------------------------------------------------------------------------
# The target citation


def test_a_target_patched_with_its_citation_records_the_quote_and_its_source(api, world):
    quote = world.shipping.citations.get()  # GTC 2025 keynote, published 18 March 2025

    response = patch(api, world.ships, {"target": "2025-Q4", "target_citation": quote.pk})

    assert response.status_code == 200, response.content[:500]
    body = api.get(path_of(world.ships)).json()
    assert body["target_citation"] == {
        "id": quote.pk,
        "claim_id": world.shipping.pk,
        "source_id": world.keynote.pk,
        "quote": "Blackwell is in full production.",
    }
    newest = body["targets"][-1]
    assert newest["citation"]["id"] == quote.pk
    assert newest["citation"]["source"]["id"] == world.keynote.pk
    assert newest["citation"]["source"]["title"] == "GTC 2025 keynote"
    assert newest["stated"] == "2025-03-18", "stated on the day the source was published"


def test_changing_the_target_but_keeping_the_old_citation_is_a_400_naming_target_citation(api, world):
    quote = world.shipping.citations.get()
    assert patch(api, world.ships, {"target": "2025-Q4", "target_citation": quote.pk}).status_code == 200
    shown = api.get(path_of(world.ships))

    response = patch(api, world.ships, {"target": "2026-Q1"})

    assert response.status_code == 400
    errors = error_fields(response)
    assert list(errors) == ["target_citation"]
    assert "The target changed to Q1 2026, but this citation states the old one" in errors["target_citation"][0]
    assert "target_citation" in response.json()["detail"]
    again = api.get(path_of(world.ships))
    assert again.json() == shown.json() and again["ETag"] == shown["ETag"], "nothing was saved"

    cleared = patch(api, world.ships, {"target": "2026-Q1", "target_citation": None})
    assert cleared.status_code == 200, cleared.content[:500]
    assert cleared.json()["targets"][-1]["citation"] is None


def test_a_put_that_changes_the_target_and_repeats_the_old_citation_is_refused_too(api, world):
    quote = world.shipping.citations.get()
    assert patch(api, world.ships, {"target": "2025-Q4", "target_citation": quote.pk}).status_code == 200
    current = api.get(path_of(world.ships))
    body = current.json()
    payload = {
        "title": body["title"],
        "company": body["company"]["id"],
        "product": body["product"]["id"],
        "kind": body["kind"],
        "target": "2026-H1",
        "target_citation": quote.pk,
        "actual": None,
        "status": body["status"],
        "body": body["body"],
    }

    response = api.put(path_of(world.ships), payload, format="json", headers={"If-Match": current["ETag"]})

    assert response.status_code == 400
    assert list(error_fields(response)) == ["target_citation"]


def test_a_target_citation_from_a_claim_not_about_the_milestone_is_a_400(api, world, deps, analyst):
    unrelated = claim_create(
        author=analyst, statement="Acme ships.", citations=[{"source": deps.source, "quote": "Acme ships now."}]
    ).citations.get()

    response = patch(api, world.ships, {"target": "2025-Q4", "target_citation": unrelated.pk})

    assert response.status_code == 400
    assert list(error_fields(response)) == ["target_citation"]


# ---------------------------------------------------------------------------
# Cost and export


def _slipping_milestones(author, company, count: int, *, start: int = 0, quotes=()) -> None:
    """``count`` milestones of ``company``, each dated, slipped twice, some with a cited target."""
    for number in range(start, start + count):
        milestone = milestone_create(
            author=author, title=f"{company.name} step {number}", company=company, kind="ship", target="2025-Q3"
        )
        quote = quotes[number % len(quotes)]
        quote.claim.milestones.add(milestone)  # a target cites a quote from a claim about the milestone
        service_edit(milestone, author, target="2025-Q4", target_citation=quote)
        service_edit(milestone, author, target="2026-Q1", target_citation=None)


@pytest.fixture
def groq_quotes(analyst):
    groq = company_create(author=analyst, name="Groq", slug="groq", kind="chip_vendor")
    source = source_create(author=analyst, title="Groq investor day")
    claim = claim_create(
        author=analyst,
        statement="Groq plans launches.",
        citations=[{"source": source, "quote": "One launch."}, {"source": source, "quote": "Another launch."}],
        companies=[groq],
    )
    return groq, list(claim.citations.all())


@pytest.mark.parametrize("params", [{}, {"slipped": "true"}, {"slipped": "false"}])
def test_the_milestone_list_costs_the_same_queries_with_30_slipping_milestones_as_with_3(
    api, analyst, groq_quotes, django_assert_max_num_queries, params
):
    groq, quotes = groq_quotes
    _slipping_milestones(analyst, groq, 3, quotes=quotes)
    api.get("/api/milestones/", params)  # the token and content types are read once
    with CaptureQueriesContext(connection) as small:
        response = api.get("/api/milestones/", {**params, "page_size": 100})
    expected = 0 if params.get("slipped") == "false" else 3
    assert len(results(response)) == expected

    _slipping_milestones(analyst, groq, 27, start=3, quotes=quotes)

    with django_assert_max_num_queries(len(small)):
        response = api.get("/api/milestones/", {**params, "page_size": 100})
    rows = results(response)
    assert len(rows) == (0 if params.get("slipped") == "false" else 30)
    assert all(row["slips"]["count"] == 2 and len(row["targets"]) == 3 for row in rows)


def test_the_csv_export_has_the_slips_and_days_slipped_of_each_milestone(api, slipped_and_not):
    slipped, steady = slipped_and_not
    patch(api, slipped, {"target": "2026-Q1"})

    rows = {row["title"]: row for row in csv_table(api.get("/api/milestones/", {"format": "csv"}))}

    assert {"slips", "days_slipped"} <= set(rows[slipped.title])
    assert (rows[slipped.title]["slips"], rows[slipped.title]["days_slipped"]) == ("2", "182")
    assert (rows[steady.title]["slips"], rows[steady.title]["days_slipped"]) == ("0", "0")
    only_slipped = csv_table(api.get("/api/milestones/", {"format": "csv", "slipped": "true"}))
    assert [row["title"] for row in only_slipped] == [slipped.title]


def test_the_csv_export_costs_the_same_queries_with_30_slipping_milestones_as_with_3(
    api, analyst, groq_quotes, django_assert_max_num_queries
):
    groq, quotes = groq_quotes
    _slipping_milestones(analyst, groq, 3, quotes=quotes)
    api.get("/api/milestones/")
    with CaptureQueriesContext(connection) as small:
        assert len(csv_table(api.get("/api/milestones/", {"format": "csv"}))) == 3

    _slipping_milestones(analyst, groq, 27, start=3, quotes=quotes)

    with django_assert_max_num_queries(len(small)):
        rows = csv_table(api.get("/api/milestones/", {"format": "csv"}))
    assert len(rows) == 30 and {row["slips"] for row in rows} == {"2"}
