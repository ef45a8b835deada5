"""Reading the REST API as a consumer does: lists, details and their ETags, filters, pages,
CSV export, history, the change feed, query counts and reading a private wiki.

The data is made through the services (the page tests' ``world`` plus a second vendor,
``market``), so the API reads what the wiki shows; the query-count tests grow their lists
through the factories, which are quicker and make the same rows.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Max
from django.http import StreamingHttpResponse
from django.utils import timezone
from reversion.models import Revision, Version

from companies.models import Company, CompanyRelation
from companies.services import company_create, company_relation_create, company_relation_delete, company_relation_update
from intel import editing
from intel.models import Change, Citation, Claim, ClaimRelation, Person, Source
from intel.moderation import source_approve, source_reject
from intel.pages import PAGE_KINDS
from intel.services import (
    claim_create,
    claim_relation_create,
    claim_relation_delete,
    claim_relation_update,
    person_create,
    source_create,
)
from intel.workflow import claim_set_status
from products.models import Architecture, Milestone, Product
from products.services import architecture_create, milestone_create, product_create
from tests.api.apikit import MODELS, RESOURCES, error_fields, ids, results, user_with_role
from tests.factories import ClaimFactory, CompanyFactory, PersonFactory, SourceFactory
from tests.intel.pagekit import World, service_edit

pytestmark = pytest.mark.django_db

CURSOR_PAGED = ["claims", "citations", "sources"]
NUMBER_PAGED = [name for name in RESOURCES if name not in CURSOR_PAGED]

# The fields each resource documents (the write-only "summary" is never shown).
DOCUMENTED_FIELDS = {
    "companies": "id api_url page_url name slug aliases kind country website founded tracked body created updated",
    "company-relations": "id api_url page_url subject kind object started ended note claims created updated",
    "architectures": "id api_url page_url name slug vendor introduced body created updated",
    "products": "id api_url page_url name slug vendor architecture kind predecessor status body created updated",
    "milestones": (
        "id api_url page_url title company product kind target target_citation actual status body targets slips "
        "created updated"
    ),
    "sources": "id api_url page_url kind title title_en url publisher authors language published_date body "
    "reliability moderation_state moderated_by moderated_at moderation_note submitted_by has_snapshot snapshot "
    "retrieved_at created updated",
    "people": "id api_url page_url name slug aliases is_pseudonym affiliation role body created updated",
    "claims": "id api_url page_url statement kind metric value unit period status status_note support credibility "
    "companies products "
    "milestones body citations created updated",
    "citations": "id api_url page_url claim source speaker quote translation locator verification verification_note "
    "anchor created updated",
    "claim-relations": "id api_url page_url from_claim kind to_claim note created updated",
}


# ---------------------------------------------------------------------------
# The data: the page tests' world, a second vendor, a foundry and the links between them


@dataclass
class Market:
    """Nvidia's world plus AMD and TSMC: sources of several languages, reliabilities and
    moderation states, claims of several kinds, and a relation of each kind."""

    world: World
    moderator: object
    amd: Company
    tsmc: Company
    cdna: Architecture
    mi300x: Product
    mi400: Product
    mi400_launch: Milestone
    digitimes: Source  # zh-Hant report, reliability B, approved
    rumours: Source  # ja article, rejected
    lisa: Person
    forecast: Claim  # about AMD and the MI400, cites DigiTimes
    rumour: Claim  # about AMD and TSMC, cites the rumour blog
    amd_tsmc: CompanyRelation
    nvidia_tsmc: CompanyRelation
    contradicts: ClaimRelation

    def instance(self, resource: str):
        w = self.world
        return {
            "companies": self.amd,
            "company-relations": self.amd_tsmc,
            "architectures": w.blackwell,
            "products": w.gb200,
            "milestones": w.ships,
            "sources": self.digitimes,  # its latest revision is the approval
            "people": w.jensen,
            "claims": w.revenue,
            "citations": w.revenue.citations.order_by("pk").first(),
            "claim-relations": self.contradicts,
        }[resource]


@pytest.fixture
def market(world, analyst):
    a = analyst
    moderator = user_with_role("moderator", "mona")
    amd = company_create(
        author=a,
        name="AMD",
        slug="amd",
        kind="chip_vendor",
        country="US",
        tracked=True,
        aliases=["Advanced Micro Devices", "超微"],
        body="Makes the Instinct accelerators.",
    )
    tsmc = company_create(author=a, name="TSMC", slug="tsmc", kind="foundry", country="TW")
    cdna = architecture_create(author=a, name="CDNA 3", slug="cdna-3", vendor=amd, introduced="2023-12")
    mi300x = product_create(
        author=a, name="Instinct MI300X", slug="mi300x", vendor=amd, architecture=cdna, kind="gpu", status="shipping"
    )
    mi400 = product_create(
        author=a, name="Instinct MI400", slug="mi400", vendor=amd, kind="accelerator", predecessor=mi300x
    )
    mi400_launch = milestone_create(
        author=a, title="MI400 launch", product=mi400, kind="announce", target="2026-H2", status="planned"
    )
    digitimes = source_create(
        author=moderator,
        title="AMD 擴大 MI400 訂單",
        kind="report",
        publisher="DigiTimes",
        language="zh-Hant",
        published_date=datetime.date(2025, 9, 2),
        reliability="B",
    )
    digitimes = source_approve(source=digitimes, moderator=moderator, note="Trade press")
    rumours = source_create(
        author=a,
        title="噂のブログ",
        kind="article",
        publisher="Rumour Mill",
        language="ja",
        published_date=datetime.date(2024, 1, 10),
    )
    rumours = source_reject(source=rumours, moderator=moderator, reason="Anonymous blog")
    lisa = person_create(author=a, name="Lisa Su", slug="lisa-su", affiliation=amd, role="CEO")
    forecast = claim_create(
        author=a,
        statement="The MI400 ships in the second half of 2026.",
        kind="forecast",
        credibility=3,
        period="2026-H2",
        companies=[amd],
        products=[mi400],
        milestones=[mi400_launch],
        citations=[{"source": digitimes, "quote": "MI400 下半年出貨", "translation": "MI400 ships in H2"}],
    )
    rumour = claim_create(
        author=a,
        statement="AMD booked most of TSMC's 2 nm capacity.",
        kind="opinion",
        credibility=5,
        companies=[amd, tsmc],
        citations=[{"source": rumours, "speaker": lisa, "quote": "2nmの生産能力を確保した"}],
    )
    amd_tsmc = company_relation_create(
        author=a, subject=amd, kind="customer_of", object=tsmc, started="2019", note="Wafers", claims=[rumour]
    )
    nvidia_tsmc = company_relation_create(author=a, subject=world.nvidia, kind="partners_with", object=tsmc)
    contradicts = claim_relation_create(author=a, from_claim=rumour, kind="contradicts", to_claim=forecast)
    forecast = claim_set_status(claim=forecast, author=a, status="disputed", reason="The rumour says otherwise")
    claim_relation_create(author=a, from_claim=world.shipping, kind="supports", to_claim=world.revenue)
    return Market(
        world,
        moderator,
        amd,
        tsmc,
        cdna,
        mi300x,
        mi400,
        mi400_launch,
        digitimes,
        rumours,
        lisa,
        forecast,
        rumour,
        amd_tsmc,
        nvidia_tsmc,
        contradicts,
    )


@pytest.fixture
def reader(api_as):
    """A reader's token client: what a script that only reads uses."""
    return api_as("reader")


def url_of(resource: str, pk=None, action: str = "") -> str:
    path = f"/api/{resource}/"
    if pk is not None:
        path += f"{pk}/"
    return path + (f"{action}/" if action else "")


def case_id(value) -> str:
    """Readable test ids: strings as they are, query dicts as a query, functions left out."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "&".join(f"{name}={item}" for name, item in value.items())
    return "rows"


def id_set(response) -> set[int]:
    return set(ids(response))


def pks(*objects) -> set[int]:
    return {obj.pk for obj in objects}


def latest_revision(obj) -> int:
    """The newest revision holding a version of ``obj``, read from django-reversion's tables."""
    return Version.objects.get_for_object(obj).aggregate(newest=Max("revision_id"))["newest"]


def every_page(client, url: str, params: dict | None = None) -> list[dict]:
    """Every row of a list, following ``next`` as a client does."""
    rows, response = [], client.get(url, params or {})
    while True:
        body = response.json()
        rows.extend(results(response))
        if not body["next"]:
            return rows
        response = client.get(body["next"])


def csv_table(response) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a CSV export (streamed, whole)."""
    assert response.status_code == 200, response.content[:500]
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    reader = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8")))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def assert_json_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"detail", "code"}, body
    assert body["code"] == code, body
    assert body["detail"]
    return body


# ---------------------------------------------------------------------------
# 1. Lists and details of every resource


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_returns_every_object_with_the_documented_fields(reader, market, resource):
    response = reader.get(url_of(resource))

    rows = results(response)
    assert {row["id"] for row in rows} == set(MODELS[resource].objects.values_list("pk", flat=True))
    assert len(rows) == MODELS[resource].objects.count() >= 2
    for row in rows:
        assert set(row) == set(DOCUMENTED_FIELDS[resource].split()), row
        assert row["api_url"] == f"http://testserver/api/{resource}/{row['id']}/"


@pytest.mark.parametrize("resource", RESOURCES)
def test_detail_returns_the_object_as_the_list_shows_it(reader, market, resource):
    obj = market.instance(resource)

    response = reader.get(url_of(resource, obj.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == obj.pk
    assert set(body) == set(DOCUMENTED_FIELDS[resource].split())
    listed = next(row for row in results(reader.get(url_of(resource))) if row["id"] == obj.pk)
    assert body == listed


@pytest.mark.parametrize("resource", RESOURCES)
def test_detail_etag_names_the_latest_revision_of_the_object(reader, market, resource):
    obj = market.instance(resource)
    # A citation is saved with its claim: it shares the claim's revision.
    versioned = obj.claim if resource == "citations" else obj

    response = reader.get(url_of(resource, obj.pk))

    assert response.status_code == 200
    assert response["ETag"] == f'"rev-{latest_revision(versioned)}"'


def test_a_claims_history_starts_at_the_revision_its_etag_names(reader, world):
    response = reader.get(url_of("claims", world.revenue.pk))
    history = results(reader.get(url_of("claims", world.revenue.pk, "history")))

    assert response["ETag"] == f'"rev-{history[0]["revision"]}"'


def _edit_company(market, author):
    service_edit(market.amd, author, body="Makes GPUs and CPUs.")
    return market.amd


def _edit_claim(market, author):
    service_edit(market.world.revenue, author, statement="Data-center revenue was 115.2 bn USD.")
    return market.world.revenue


def _edit_claim_of_citation(market, author):
    citation = market.world.revenue.citations.order_by("pk").first()
    service_edit(market.world.revenue, author, credibility=2)
    return citation


def _edit_company_relation(market, author):
    company_relation_update(relation=market.amd_tsmc, author=author, note="Wafers and packaging")
    return market.amd_tsmc


def _edit_claim_relation(market, author):
    claim_relation_update(relation=market.contradicts, author=author, note="Different quarters")
    return market.contradicts


@pytest.mark.parametrize(
    ("resource", "edit"),
    [
        ("companies", _edit_company),
        ("claims", _edit_claim),
        ("citations", _edit_claim_of_citation),
        ("company-relations", _edit_company_relation),
        ("claim-relations", _edit_claim_relation),
    ],
)
def test_detail_etag_moves_to_the_revision_of_the_latest_edit(reader, market, other_analyst, resource, edit):
    before = reader.get(url_of(resource, market.instance(resource).pk))["ETag"]

    obj = edit(market, other_analyst)

    edit_revision = Change.objects.latest("id").revision_id
    after = reader.get(url_of(resource, obj.pk))["ETag"]
    assert after == f'"rev-{edit_revision}"' != before


@pytest.mark.parametrize("resource", [*RESOURCES, "changes"])
def test_an_unknown_id_is_a_json_404(reader, world, resource):
    response = reader.get(url_of(resource, 987654))

    assert_json_error(response, 404, "not_found")


@pytest.mark.parametrize("resource", [*RESOURCES, "changes"])
@pytest.mark.parametrize("key", ["abc", "nvidia", "1.5", "-3", "²"])
def test_a_non_numeric_id_is_a_json_404(reader, db, resource, key):
    response = reader.get(url_of(resource, key))

    assert_json_error(response, 404, "not_found")


def test_linked_pages_appear_as_brief_objects(reader, market):
    product = reader.get(url_of("products", market.mi400.pk)).json()
    claim = reader.get(url_of("claims", market.forecast.pk)).json()

    assert product["vendor"] == {"id": market.amd.pk, "slug": "amd", "name": "AMD"}
    assert product["predecessor"] == {"id": market.mi300x.pk, "slug": "mi300x", "name": "Instinct MI300X"}
    assert product["architecture"] is None
    assert claim["milestones"] == [{"id": market.mi400_launch.pk, "title": "MI400 launch"}]
    assert claim["period"] == "2026-H2"
    [citation] = claim["citations"]
    assert citation["source"] == {
        "id": market.digitimes.pk,
        "title": "AMD 擴大 MI400 訂單",
        "publisher": "DigiTimes",
        "reliability": "B",
        "moderation_state": "approved",
    }
    assert citation["quote"] == "MI400 下半年出貨"


# ---------------------------------------------------------------------------
# 2. Filters


# Resource, parameter, the page it names (by slug, or None where only ids are taken), what it finds.
PAGE_REF_FILTERS = [
    ("claims", "company", lambda m: m.amd, lambda m: pks(m.forecast, m.rumour)),
    ("claims", "product", lambda m: m.world.gb200, lambda m: pks(m.world.shipping, m.world.revenue)),
    ("citations", "company", lambda m: m.tsmc, lambda m: pks(*m.rumour.citations.all())),
    ("citations", "speaker", lambda m: m.lisa, lambda m: pks(*m.rumour.citations.all())),
    ("people", "company", lambda m: m.amd, lambda m: pks(m.lisa)),
    ("architectures", "company", lambda m: m.amd, lambda m: pks(m.cdna)),
    ("products", "company", lambda m: m.amd, lambda m: pks(m.mi300x, m.mi400)),
    ("products", "architecture", lambda m: m.cdna, lambda m: pks(m.mi300x)),
    ("milestones", "company", lambda m: m.amd, lambda m: pks(m.mi400_launch)),
    ("milestones", "product", lambda m: m.world.gb200, lambda m: pks(m.world.ships)),
    ("company-relations", "company", lambda m: m.world.nvidia, lambda m: pks(m.nvidia_tsmc)),
    ("company-relations", "object", lambda m: m.tsmc, lambda m: pks(m.amd_tsmc, m.nvidia_tsmc)),
]


@pytest.mark.parametrize(("resource", "parameter", "page", "expected"), PAGE_REF_FILTERS, ids=case_id)
def test_a_page_filter_by_slug_or_by_id_gives_the_same_rows(reader, market, resource, parameter, page, expected):
    named = page(market)

    by_slug = id_set(reader.get(url_of(resource), {parameter: named.slug}))
    by_id = id_set(reader.get(url_of(resource), {parameter: str(named.pk)}))

    assert by_slug == by_id == expected(market)


def test_claims_filtered_by_company_slug_or_id_give_the_same_claims(reader, market):
    by_slug = ids(reader.get("/api/claims/", {"company": "amd"}))
    by_id = ids(reader.get("/api/claims/", {"company": market.amd.pk}))

    assert by_slug == by_id == [market.rumour.pk, market.forecast.pk]


def test_several_companies_comma_separated_give_the_claims_about_any_of_them(reader, market):
    w = market.world
    every = pks(w.shipping, w.revenue, market.forecast, market.rumour)

    assert id_set(reader.get("/api/claims/", {"company": "nvidia,amd"})) == every
    assert id_set(reader.get("/api/claims/", {"company": f"{w.nvidia.pk}, amd"})) == every
    assert id_set(reader.get("/api/claims/", {"company": "TSMC,nvidia"})) == pks(w.shipping, w.revenue, market.rumour)


def test_a_claim_about_two_of_the_named_companies_is_listed_once(reader, market):
    rows = ids(reader.get("/api/claims/", {"company": "amd,tsmc"}))

    assert sorted(rows) == sorted(pks(market.forecast, market.rumour))


def test_several_products_comma_separated_give_the_claims_about_any_of_them(reader, market):
    response = reader.get("/api/claims/", {"product": f"mi400,{market.world.gb200.pk}"})

    assert id_set(response) == pks(market.world.shipping, market.world.revenue, market.forecast)


@pytest.mark.parametrize(
    ("resource", "parameter"),
    [
        ("claims", "company"),
        ("claims", "product"),
        ("citations", "company"),
        ("people", "company"),
        ("products", "company"),
        ("architectures", "company"),
        ("milestones", "product"),
        ("company-relations", "company"),
    ],
)
def test_an_unknown_slug_is_a_400_naming_the_parameter(reader, market, resource, parameter):
    response = reader.get(url_of(resource), {parameter: "nvidia,no-such-page"})

    errors = assert_json_error(response, 400, "invalid")["errors"]
    assert list(errors) == [parameter]
    assert "no-such-page" in errors[parameter][0]


def test_an_unknown_id_in_a_page_filter_is_a_400_naming_it(reader, market):
    response = reader.get("/api/claims/", {"milestone": "987654"})

    assert "987654" in error_fields(response)["milestone"][0]
    assert response.status_code == 400


def test_a_filter_that_takes_only_ids_refuses_a_slug(reader, market):
    response = reader.get("/api/citations/", {"claim": "nvidia"})

    assert response.status_code == 400
    assert list(error_fields(response)) == ["claim"]


@pytest.mark.parametrize(
    ("resource", "params", "expected"),
    [
        ("claims", {"kind": "metric"}, lambda m: pks(m.world.revenue)),
        ("claims", {"kind": ["fact", "forecast"]}, lambda m: pks(m.world.shipping, m.forecast)),
        ("claims", {"status": "disputed"}, lambda m: pks(m.forecast)),
        ("claims", {"credibility": ["3", "5"]}, lambda m: pks(m.forecast, m.rumour)),
        ("claims", {"reliability": "B"}, lambda m: pks(m.forecast)),
        ("claims", {"moderation_state": "rejected"}, lambda m: pks(m.rumour)),
        ("claims", {"moderation_state": "pending"}, lambda m: pks(m.world.shipping, m.world.revenue)),
        ("claims", {"metric": "Data-Center Revenue"}, lambda m: pks(m.world.revenue)),
        ("claims", {"milestone": "{ships}"}, lambda m: pks(m.world.shipping, m.world.revenue)),
        ("claims", {"source": "{digitimes},{rumours}"}, lambda m: pks(m.forecast, m.rumour)),
        ("sources", {"kind": "report"}, lambda m: pks(m.digitimes)),
        ("sources", {"reliability": ["B", "A"]}, lambda m: pks(m.digitimes)),
        ("sources", {"moderation_state": "approved"}, lambda m: pks(m.digitimes)),
        ("sources", {"publisher": "rumour mill"}, lambda m: pks(m.rumours)),
        (
            "citations",
            {"reliability": "F"},
            lambda m: pks(
                *m.world.revenue.citations.all(), *m.world.shipping.citations.all(), *m.rumour.citations.all()
            ),
        ),
        ("citations", {"moderation_state": "rejected"}, lambda m: pks(*m.rumour.citations.all())),
        ("citations", {"source": "{digitimes}"}, lambda m: pks(*m.forecast.citations.all())),
        ("companies", {"kind": "foundry"}, lambda m: pks(m.tsmc)),
        ("companies", {"country": "tw"}, lambda m: pks(m.tsmc)),
        ("companies", {"tracked": "true"}, lambda m: pks(m.world.nvidia, m.amd)),
        ("products", {"kind": "accelerator"}, lambda m: pks(m.mi400)),
        ("products", {"status": "shipping"}, lambda m: pks(m.world.gb200, m.mi300x)),
        ("milestones", {"status": "planned"}, lambda m: pks(m.mi400_launch)),
        ("milestones", {"kind": "ship"}, lambda m: pks(m.world.ships)),
        ("claim-relations", {"kind": "contradicts"}, lambda m: pks(m.contradicts)),
        ("claim-relations", {"claim": "{forecast}"}, lambda m: pks(m.contradicts)),
        ("company-relations", {"kind": "customer_of"}, lambda m: pks(m.amd_tsmc)),
    ],
    ids=case_id,
)
def test_choice_and_value_filters_keep_only_the_matching_rows(reader, market, resource, params, expected):
    names = {
        "ships": market.world.ships.pk,
        "digitimes": market.digitimes.pk,
        "rumours": market.rumours.pk,
        "forecast": market.forecast.pk,
    }
    query = {
        key: [v.format(**names) for v in value] if isinstance(value, list) else value.format(**names)
        for key, value in params.items()
    }

    found = id_set(reader.get(url_of(resource), query))

    assert found == expected(market)
    assert found != set(MODELS[resource].objects.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("resource", "parameter", "value"),
    [
        ("claims", "kind", "rumour"),
        ("claims", "credibility", "9"),
        ("claims", "reliability", "Z"),
        ("sources", "moderation_state", "maybe"),
        ("citations", "verification", "sure"),
        ("products", "status", "vapourware"),
    ],
)
def test_an_unknown_choice_is_a_400_naming_the_parameter(reader, market, resource, parameter, value):
    response = reader.get(url_of(resource), {parameter: value})

    assert response.status_code == 400
    assert list(error_fields(response)) == [parameter]


@pytest.mark.parametrize(
    ("resource", "parameter", "value"),
    [
        ("companies", "tracked", "perhaps"),
        ("people", "is_pseudonym", "maybe"),
        ("claims", "has_citations", "sometimes"),
        ("sources", "cited", "yes please"),
        ("sources", "has_snapshot", "unknown-value"),
    ],
)
def test_a_yes_no_filter_given_neither_is_a_400_not_the_whole_list(reader, market, resource, parameter, value):
    # filtering.py: "bad values are field errors (a 400 that names the parameter), never ... silently" ignored.
    response = reader.get(url_of(resource), {parameter: value})

    assert response.status_code == 400, f"{len(response.json().get('results', []))} rows, unfiltered"
    assert list(error_fields(response)) == [parameter]


def test_language_zh_matches_zh_hant_sources_but_not_other_languages(reader, market, analyst):
    plain_zh = source_create(author=analyst, title="新闻", language="zh")
    source_create(author=analyst, title="Zhuang text", language="za")
    source_create(author=analyst, title="Not Chinese", language="zhx")

    assert id_set(reader.get("/api/sources/", {"language": "zh"})) == pks(market.digitimes, plain_zh)
    assert id_set(reader.get("/api/sources/", {"language": "ZH-hant"})) == pks(market.digitimes)
    assert id_set(reader.get("/api/sources/", {"language": "en"})) == pks(market.world.keynote)


def test_claims_and_citations_filtered_by_language_follow_the_cited_source(reader, market):
    assert id_set(reader.get("/api/claims/", {"language": "zh"})) == pks(market.forecast)
    assert id_set(reader.get("/api/citations/", {"language": "zh"})) == pks(*market.forecast.citations.all())
    assert id_set(reader.get("/api/claims/", {"language": "ja"})) == pks(market.rumour)


def test_sources_published_after_and_before_are_inclusive_date_ranges(reader, market):
    keynote = market.world.keynote  # 2025-03-18

    assert id_set(reader.get("/api/sources/", {"published_after": "2025-03-18"})) == pks(keynote, market.digitimes)
    assert id_set(reader.get("/api/sources/", {"published_before": "2025-03-18"})) == pks(keynote, market.rumours)
    both = {"published_after": "2024-06-01", "published_before": "2025-06-01"}
    assert id_set(reader.get("/api/sources/", both)) == pks(keynote)


def test_milestones_target_after_and_before_select_by_the_start_of_the_target(reader, market):
    ships, mi400_launch = market.world.ships, market.mi400_launch  # 2025-Q3, 2026-H2

    assert id_set(reader.get("/api/milestones/", {"target_after": "2026-01-01"})) == pks(mi400_launch)
    assert id_set(reader.get("/api/milestones/", {"target_before": "2025-12-31"})) == pks(ships)
    assert id_set(reader.get("/api/milestones/", {"target_after": "2025-07-01", "target_before": "2026-07-01"})) == pks(
        ships, mi400_launch
    )


def test_claims_period_after_and_before_select_by_the_period(reader, market):
    revenue, forecast = market.world.revenue, market.forecast  # 2025, 2026-H2

    assert id_set(reader.get("/api/claims/", {"period_after": "2026-01-01"})) == pks(forecast)
    assert id_set(reader.get("/api/claims/", {"period_before": "2025-12-31"})) == pks(revenue)


@pytest.mark.parametrize("parameter", ["published_after", "published_before"])
def test_a_bad_date_is_a_400_naming_the_parameter(reader, market, parameter):
    response = reader.get("/api/sources/", {parameter: "18/03/2025"})

    assert response.status_code == 400
    assert "YYYY-MM-DD" in error_fields(response)[parameter][0]


def test_has_citations_separates_claims_with_and_without_citations(reader, market):
    bare = ClaimFactory(statement="An uncited claim written straight to the database.")

    assert id_set(reader.get("/api/claims/", {"has_citations": "false"})) == pks(bare)
    assert bare.pk not in id_set(reader.get("/api/claims/", {"has_citations": "true"}))
    assert len(ids(reader.get("/api/claims/", {"has_citations": "true"}))) == 4


def test_verification_filters_citations_and_the_claims_that_have_them(reader, market):
    verified = market.world.revenue.citations.order_by("pk").last()
    # The verifier writes this field (it is not editable through the API).
    Citation.objects.filter(pk=verified.pk).update(verification="verified")

    assert id_set(reader.get("/api/citations/", {"verification": "verified"})) == pks(verified)
    assert id_set(reader.get("/api/claims/", {"verification": "verified"})) == pks(market.world.revenue)
    assert verified.pk not in id_set(reader.get("/api/citations/", {"verification": "unchecked"}))


def test_sources_cited_or_not(reader, market, analyst):
    uncited = source_create(author=analyst, title="Nobody cites this")

    assert id_set(reader.get("/api/sources/", {"cited": "false"})) == pks(uncited)
    assert uncited.pk not in id_set(reader.get("/api/sources/", {"cited": "true"}))


@pytest.mark.parametrize(
    ("resource", "search", "expected"),
    [
        ("claims", "2 nm capacity", lambda m: pks(m.rumour)),
        ("claims", "下半年", lambda m: pks(m.forecast)),  # a citation's quote
        ("claims", "record", lambda m: pks(m.world.revenue)),  # a citation's translation
        ("companies", "超微", lambda m: pks(m.amd)),  # an alias in Chinese
        ("companies", "micro devices", lambda m: pks(m.amd)),  # an alias
        ("sources", "digitimes", lambda m: pks(m.digitimes)),
        ("products", "MI4", lambda m: pks(m.mi400)),
        ("people", "ceo", lambda m: pks(m.world.jensen, m.lisa)),
        ("citations", "slide 7", lambda m: pks(m.world.revenue.citations.order_by("pk").last())),
        ("company-relations", "wafers", lambda m: pks(m.amd_tsmc)),
    ],
    ids=case_id,
)
def test_search_finds_rows_by_their_text(reader, market, resource, search, expected):
    response = reader.get(url_of(resource), {"search": search})

    assert id_set(response) == expected(market)


def test_search_combines_with_filters(reader, market):
    response = reader.get("/api/claims/", {"search": "2026", "company": "nvidia"})

    assert ids(response) == []
    assert ids(reader.get("/api/claims/", {"search": "2026", "company": "amd"})) == [market.forecast.pk]


@pytest.mark.parametrize(
    ("resource", "field", "key"),
    [
        ("companies", "name", lambda row: row["name"]),
        ("claims", "credibility", lambda row: row["credibility"]),
        ("sources", "title", lambda row: row["title"]),
        ("milestones", "target_date", lambda row: row["target"]),
        ("people", "name", lambda row: row["name"]),
    ],
    ids=case_id,
)
def test_ordering_sorts_ascending_and_descending(reader, market, resource, field, key):
    ascending = results(reader.get(url_of(resource), {"ordering": field}))
    descending = results(reader.get(url_of(resource), {"ordering": f"-{field}"}))

    assert len(ascending) >= 2
    assert [key(row) for row in ascending] == sorted(key(row) for row in ascending)
    assert [key(row) for row in descending] == sorted((key(row) for row in descending), reverse=True)
    assert [key(row) for row in descending] != [key(row) for row in ascending]


@pytest.mark.parametrize(("resource", "field"), [("claims", "statement"), ("companies", "-password"), ("sources", "x")])
def test_ordering_by_a_field_that_is_not_sortable_is_a_400_naming_ordering(reader, market, resource, field):
    response = reader.get(url_of(resource), {"ordering": field})

    errors = assert_json_error(response, 400, "invalid")["errors"]
    assert list(errors) == ["ordering"]
    assert "updated" in errors["ordering"][0]


def test_claims_ordered_by_credibility_across_cursor_pages(reader, market):
    rows = every_page(reader, "/api/claims/", {"ordering": "credibility", "page_size": 1})

    assert [row["credibility"] for row in rows] == [2, 3, 5, 6]


def _age_every_row():
    """Put every row's last change in 2020, as if the data had been loaded long ago."""
    old = datetime.datetime(2020, 6, 1, 12, tzinfo=datetime.UTC)
    for model in MODELS.values():
        model.objects.update(updated=old)


@pytest.mark.parametrize(
    "since", ["2021-01-01", "2021-01-01T00:00:00Z", "2021-01-01T01:00:00+01:00", "2021-01-01T00:00:00"]
)
def test_updated_since_lists_only_what_changed_after_the_moment(reader, market, other_analyst, since):
    _age_every_row()
    service_edit(market.amd, other_analyst, country="CA")
    service_edit(market.forecast, other_analyst, credibility=2)

    assert ids(reader.get("/api/companies/", {"updated_since": since})) == [market.amd.pk]
    assert ids(reader.get("/api/claims/", {"updated_since": since})) == [market.forecast.pk]
    assert id_set(reader.get("/api/citations/", {"updated_since": since})) == pks(*market.forecast.citations.all())
    assert ids(reader.get("/api/sources/", {"updated_since": since})) == []


def test_updated_since_with_an_unencoded_plus_in_the_zone_is_read_as_meant(reader, market):
    _age_every_row()
    Company.objects.filter(pk=market.tsmc.pk).update(updated=datetime.datetime(2022, 1, 1, 11, 30, tzinfo=datetime.UTC))

    # 12:00+01:00 is 11:00 UTC: TSMC changed after it; the "+" arrives as a space.
    assert ids(reader.get("/api/companies/?updated_since=2022-01-01T12:00:00+01:00")) == [market.tsmc.pk]
    assert ids(reader.get("/api/companies/?updated_since=2022-01-01T13:00:00+01:00")) == []


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("value", ["yesterday", "2025-13-01", "2025-02-30T10:00:00Z", "1" * 50])
def test_a_bad_updated_since_is_a_400_naming_it(reader, db, resource, value):
    response = reader.get(url_of(resource), {"updated_since": value})

    assert response.status_code == 400
    assert "ISO 8601" in error_fields(response)["updated_since"][0]


# ---------------------------------------------------------------------------
# 3. Pages of lists


@pytest.mark.parametrize("resource", [*CURSOR_PAGED, "changes"])
def test_big_lists_are_cursor_paged_without_a_count(reader, market, resource):
    response = reader.get(url_of(resource), {"page_size": 1})

    body = response.json()
    assert response.status_code == 200
    assert "count" not in body
    assert len(body["results"]) == 1
    next_url = urlsplit(body["next"])
    assert next_url.path == f"/api/{resource}/"
    assert parse_qs(next_url.query)["page_size"] == ["1"]
    assert parse_qs(next_url.query)["cursor"][0]


@pytest.mark.parametrize("resource", [*CURSOR_PAGED, "changes"])
def test_a_cursor_that_is_not_ours_is_a_json_404(reader, market, resource):
    response = reader.get(url_of(resource), {"cursor": "not-a-cursor"})

    assert_json_error(response, 404, "not_found")


@pytest.mark.parametrize("resource", NUMBER_PAGED)
def test_small_lists_have_a_count_and_numbered_pages(reader, market, resource):
    total = MODELS[resource].objects.count()

    response = reader.get(url_of(resource), {"page_size": 1})

    body = response.json()
    assert body["count"] == total >= 2
    assert len(body["results"]) == 1
    assert parse_qs(urlsplit(body["next"]).query)["page"] == ["2"]
    last = reader.get(url_of(resource), {"page_size": 1, "page": total}).json()
    assert last["next"] is None


@pytest.mark.parametrize("resource", [*RESOURCES, "changes"])
def test_following_next_gives_every_row_exactly_once(reader, market, resource):
    rows = every_page(reader, url_of(resource), {"page_size": 2})

    seen = [row["id"] for row in rows]
    assert len(seen) == len(set(seen))
    model = Change if resource == "changes" else MODELS[resource]
    assert set(seen) == set(model.objects.values_list("pk", flat=True))


def test_claims_inserted_between_pages_neither_repeat_nor_hide_a_row(reader, market, analyst):
    for number in range(7):
        claim_create(
            author=analyst, statement=f"Claim {number}.", citations=[{"source": market.digitimes, "quote": "q"}]
        )
    before = set(Claim.objects.values_list("pk", flat=True))
    seen = []
    response = reader.get("/api/claims/", {"page_size": 3})
    while True:
        seen += ids(response)
        # Somebody adds a claim while the client reads.
        claim_create(
            author=analyst, statement=f"Late {len(seen)}.", citations=[{"source": market.rumours, "quote": "q"}]
        )
        if not response.json()["next"]:
            break
        response = reader.get(response.json()["next"])

    assert len(seen) == len(set(seen))
    assert set(seen) == before


def test_changes_made_while_reading_the_feed_come_at_its_end(reader, market, analyst):
    seen = []
    response = reader.get("/api/changes/", {"page_size": 4})
    while True:
        seen += ids(response)
        company_create(author=analyst, name=f"Newcomer {len(seen)}", slug=f"newcomer-{len(seen)}")
        if not response.json()["next"]:
            break
        response = reader.get(response.json()["next"])

    assert seen == sorted(seen)
    # Every change made before the last page was read is in the feed, once.
    assert seen == list(Change.objects.filter(pk__lte=seen[-1]).order_by("id").values_list("pk", flat=True))


@pytest.mark.parametrize("resource", [*RESOURCES, "changes"])
def test_page_size_is_respected(reader, market, resource):
    assert len(results(reader.get(url_of(resource), {"page_size": 2}))) == 2
    assert len(results(reader.get(url_of(resource), {"page_size": 1}))) == 1


def test_the_default_page_has_fifty_rows(reader, db):
    CompanyFactory.create_batch(51)
    SourceFactory.create_batch(51)

    assert len(results(reader.get("/api/companies/"))) == 50
    assert len(results(reader.get("/api/sources/"))) == 50


def test_the_largest_page_size_is_accepted(reader, settings, db):
    CompanyFactory.create_batch(3)

    response = reader.get("/api/companies/", {"page_size": settings.INTEL_API_MAX_PAGE_SIZE})

    assert settings.INTEL_API_MAX_PAGE_SIZE == 500
    assert len(results(response)) == 3


@pytest.mark.parametrize("resource", ["claims", "companies", "changes", "claims/{claim}/history"])
@pytest.mark.parametrize("size", ["0", "-1", "abc", "501", "2.5", "99999999999999999999"])
def test_a_bad_page_size_is_a_400_naming_page_size(reader, world, resource, size):
    url = "/api/" + resource.format(claim=world.revenue.pk) + "/"

    response = reader.get(url, {"page_size": size})

    errors = assert_json_error(response, 400, "invalid")["errors"]
    assert list(errors) == ["page_size"]
    assert "1 to 500" in errors["page_size"][0]


def test_the_largest_page_size_follows_the_setting(reader, settings, world):
    settings.INTEL_API_MAX_PAGE_SIZE = 3

    assert len(results(reader.get("/api/claims/", {"page_size": 3}))) == 2
    response = reader.get("/api/claims/", {"page_size": 4})
    assert response.status_code == 400
    assert "1 to 3" in error_fields(response)["page_size"][0]


# ---------------------------------------------------------------------------
# 4. CSV export


@pytest.mark.parametrize("resource", RESOURCES)
def test_csv_of_every_list_has_a_header_and_one_line_per_object(reader, market, resource):
    response = reader.get(url_of(resource), {"format": "csv"})

    header, rows = csv_table(response)
    assert header[0] == "id"
    assert "updated" in header
    assert response["Content-Disposition"] == f'attachment; filename="{resource}.csv"'
    assert sorted(int(row["id"]) for row in rows) == sorted(MODELS[resource].objects.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("resource", "params", "expected"),
    [
        ("companies", {"kind": "foundry"}, lambda m: pks(m.tsmc)),
        ("company-relations", {"company": "amd"}, lambda m: pks(m.amd_tsmc)),
        ("architectures", {"company": "amd"}, lambda m: pks(m.cdna)),
        ("products", {"company": "amd", "status": "shipping"}, lambda m: pks(m.mi300x)),
        ("milestones", {"target_after": "2026-01-01"}, lambda m: pks(m.mi400_launch)),
        ("sources", {"language": "zh"}, lambda m: pks(m.digitimes)),
        ("people", {"company": "amd"}, lambda m: pks(m.lisa)),
        ("claims", {"company": "amd", "kind": "forecast"}, lambda m: pks(m.forecast)),
        ("citations", {"company": "tsmc"}, lambda m: pks(*m.rumour.citations.all())),
        ("claim-relations", {"kind": "contradicts"}, lambda m: pks(m.contradicts)),
    ],
    ids=case_id,
)
def test_csv_applies_the_lists_filters(reader, market, resource, params, expected):
    _, rows = csv_table(reader.get(url_of(resource), {**params, "format": "csv"}))

    assert {int(row["id"]) for row in rows} == expected(market) == id_set(reader.get(url_of(resource), params))
    assert len(rows) == len(expected(market))


def test_csv_is_the_whole_list_not_one_page(reader, world, analyst):
    for number in range(55):
        ClaimFactory(statement=f"Bulk {number}.")

    _, rows = csv_table(reader.get("/api/claims/", {"format": "csv", "page_size": 10}))

    assert len(rows) == 57


def test_csv_rows_hold_the_objects_values(reader, market):
    _, rows = csv_table(reader.get("/api/claims/", {"format": "csv", "kind": "metric"}))

    [row] = rows
    assert row["statement"] == "Nvidia's data-center revenue was 115.2 bn USD in fiscal 2025."
    assert (row["value"], row["unit"], row["period"]) == ("115.2", "bn USD", "2025")
    assert row["companies"] == "nvidia"
    assert row["sources"] == str(market.world.keynote.pk)


def test_a_csv_cell_starting_like_a_formula_is_defused_with_an_apostrophe(reader, world, analyst):
    cited = [{"source": world.keynote, "quote": "=1+1"}]
    formula = claim_create(author=analyst, statement='=HYPERLINK("http://evil.example","Click")', citations=cited)
    at_sign = claim_create(author=analyst, statement="@SUM(A1:A9)", citations=cited)

    _, rows = csv_table(reader.get("/api/claims/", {"format": "csv"}))
    by_id = {int(row["id"]): row for row in rows}
    assert by_id[formula.pk]["statement"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert by_id[at_sign.pk]["statement"] == "'@SUM(A1:A9)"
    _, citations = csv_table(reader.get("/api/citations/", {"format": "csv", "claim": formula.pk}))
    assert citations[0]["quote"] == "'=1+1"


def test_a_negative_number_in_csv_is_not_taken_for_a_formula(reader, world, analyst):
    drop = claim_create(
        author=analyst,
        statement="Gross margin fell.",
        kind="metric",
        metric="gross margin change",
        value=Decimal("-3.5"),
        unit="pp",
        citations=[{"source": world.keynote, "quote": "down 3.5 points"}],
    )

    _, rows = csv_table(reader.get("/api/claims/", {"format": "csv", "kind": "metric"}))

    assert {row["id"]: row["value"] for row in rows}[str(drop.pk)] == "-3.5"


@pytest.mark.parametrize("resource", RESOURCES)
def test_csv_of_a_detail_is_a_json_404(reader, market, resource):
    response = reader.get(url_of(resource, market.instance(resource).pk), {"format": "csv"})

    body = assert_json_error(response, 404, "not_found")
    assert "csv" in body["detail"]


@pytest.mark.parametrize("resource", [*RESOURCES, "changes"])
def test_an_unknown_format_is_a_json_404_naming_the_formats(reader, market, resource):
    response = reader.get(url_of(resource), {"format": "xml"})

    body = assert_json_error(response, 404, "not_found")
    assert "xml" in body["detail"]
    assert "json" in body["detail"]
    if resource != "changes":
        assert "csv" in body["detail"]


def test_a_bad_filter_with_csv_asked_is_answered_in_json(reader, market):
    response = reader.get("/api/claims/", {"format": "csv", "company": "no-such-company"})

    assert response.status_code == 400
    assert list(error_fields(response)) == ["company"]


# ---------------------------------------------------------------------------
# 5. History of one object


@pytest.fixture
def edited_groq(analyst, other_analyst):
    """A company with three revisions: created by ana, edited by bob, then shortened by ana."""
    company = company_create(
        author=analyst, summary="First version", name="Groq", slug="groq", country="US", body="Groq designs LPUs."
    )
    service_edit(company, other_analyst, summary="Say what for", country="CA", body="Groq designs LPUs for inference.")
    service_edit(company, analyst, summary="Shorter", body="Groq designs chips.")
    return company


def test_history_lists_revisions_newest_first_with_who_why_what_and_the_state_then(reader, edited_groq):
    entries = results(reader.get(url_of("companies", edited_groq.pk, "history")))

    assert [entry["user"] for entry in entries] == ["ana", "bob", "ana"]
    assert [entry["summary"] for entry in entries] == ["Shorter", "Say what for", "First version"]
    assert [entry["action"] for entry in entries] == ["edit", "edit", "create"]
    assert [entry["data"]["body"] for entry in entries] == [
        "Groq designs chips.",
        "Groq designs LPUs for inference.",
        "Groq designs LPUs.",
    ]
    assert [entry["data"]["country"] for entry in entries] == ["CA", "CA", "US"]
    revisions = [entry["revision"] for entry in entries]
    assert revisions == sorted(revisions, reverse=True)
    assert revisions[0] == latest_revision(edited_groq)
    assert set(entries[0]["data"]) == set(PAGE_KINDS["company"].fields)


def test_a_claims_history_shows_its_citations_as_they_were(reader, world, other_analyst):
    claim = world.shipping
    [first] = claim.citations.all()
    editing.page_update(
        kind=PAGE_KINDS["claim"],
        page=claim,
        author=other_analyst,
        values={},
        base_revision=editing.latest_revision_id(claim),
        summary="Second quote",
        citations=[
            {"id": first.pk, "source": world.keynote.pk, "quote": "Blackwell is in full production!"},
            {"source": world.keynote.pk, "quote": "Racks are shipping now.", "locator": "00:40:00"},
        ],
    )

    entries = results(reader.get(url_of("claims", claim.pk, "history")))

    [now, then] = entries
    assert now["summary"] == "Second quote"
    assert [(row["id"], row["quote"]) for row in now["data"]["citations"]] == [
        (first.pk, "Blackwell is in full production!"),
        (claim.citations.order_by("pk").last().pk, "Racks are shipping now."),
    ]
    assert then["data"]["citations"] == [
        {
            "id": first.pk,
            "source": world.keynote.pk,
            "speaker": world.jensen.pk,
            "quote": "Blackwell is in full production.",
            "translation": "",
            "locator": "00:12:30",
        }
    ]


def test_the_history_of_a_deleted_page_still_answers_with_the_deletion_first(reader, world, other_analyst):
    claim = world.shipping
    claim_id = claim.pk
    editing.page_delete(kind=PAGE_KINDS["claim"], page=claim, author=other_analyst, summary="Duplicate")

    assert reader.get(url_of("claims", claim_id)).status_code == 404
    response = reader.get(url_of("claims", claim_id, "history"))

    entries = results(response)
    assert [entry["action"] for entry in entries] == ["delete", "create"]
    assert entries[0]["user"] == "bob"
    assert entries[0]["summary"] == "Duplicate"
    assert entries[0]["data"]["statement"] == "GB200 NVL72 racks are shipping."
    assert [row["quote"] for row in entries[0]["data"]["citations"]] == ["Blackwell is in full production."]


def test_the_history_of_a_deleted_company_answers_too(reader, analyst):
    company = company_create(author=analyst, name="Gone Inc", slug="gone-inc")
    company_id = company.pk
    editing.page_delete(kind=PAGE_KINDS["company"], page=company, author=analyst)

    entries = results(reader.get(url_of("companies", company_id, "history")))

    assert [entry["action"] for entry in entries] == ["delete", "create"]
    assert entries[0]["data"]["slug"] == "gone-inc"


@pytest.mark.parametrize("resource", RESOURCES)
def test_the_history_of_an_id_that_never_existed_is_a_json_404(reader, world, resource):
    response = reader.get(url_of(resource, 987654, "history"))

    assert_json_error(response, 404, "not_found")


def test_a_relations_history_shows_its_fields_as_saved(reader, market, other_analyst):
    relation = market.amd_tsmc
    company_relation_update(relation=relation, author=other_analyst, note="Wafers and CoWoS", ended="2030")

    entries = results(reader.get(url_of("company-relations", relation.pk, "history")))

    assert [entry["action"] for entry in entries] == ["edit", "create"]
    assert [entry["user"] for entry in entries] == ["bob", "ana"]
    assert entries[0]["data"]["note"] == "Wafers and CoWoS"
    assert entries[0]["data"]["ended"] == "2030"
    assert entries[1]["data"] == {
        "subject": market.amd.pk,
        "kind": "customer_of",
        "object": market.tsmc.pk,
        "note": "Wafers",
        "claims": [market.rumour.pk],
        "started": "2019",
        "ended": None,
    }


def test_a_deleted_claim_relations_history_ends_with_its_deletion(reader, market, other_analyst):
    relation = market.contradicts
    relation_id = relation.pk
    claim_relation_delete(relation=relation, author=other_analyst, summary="Not a contradiction")

    entries = results(reader.get(url_of("claim-relations", relation_id, "history")))

    assert [entry["action"] for entry in entries] == ["delete", "create"]
    assert entries[0]["summary"] == "Not a contradiction"
    assert entries[0]["data"]["kind"] == "contradicts"


def test_a_long_history_is_cursor_paged(reader, edited_groq):
    first = reader.get(url_of("companies", edited_groq.pk, "history"), {"page_size": 2}).json()

    assert "count" not in first
    assert [entry["summary"] for entry in first["results"]] == ["Shorter", "Say what for"]
    rest = reader.get(first["next"]).json()
    assert [entry["summary"] for entry in rest["results"]] == ["First version"]
    assert rest["next"] is None


# ---------------------------------------------------------------------------
# 6. The change feed


def feed(client, **params) -> list[dict]:
    return every_page(client, "/api/changes/", {"page_size": 500, **params})


def test_the_change_feed_lists_changes_oldest_first(reader, world):
    changes = feed(reader)

    assert [(change["resource"], change["title"], change["action"]) for change in changes] == [
        ("companies", "Nvidia", "create"),
        ("architectures", "Blackwell", "create"),
        ("products", "GB200 NVL72", "create"),
        ("milestones", "GB200 NVL72 first shipments", "create"),
        ("sources", "GTC 2025 keynote", "create"),
        ("people", "Jensen Huang", "create"),
        ("claims", "GB200 NVL72 racks are shipping.", "create"),
        ("claims", "Nvidia's data-center revenue was 115.2 bn USD in fiscal 2025.", "create"),
        ("people", "Ada Notes", "create"),
    ]
    assert [change["id"] for change in changes] == sorted(change["id"] for change in changes)
    first = changes[0]
    assert first["object_id"] == world.nvidia.pk
    assert first["user"] == "ana"
    assert first["summary"] == "Created company"
    assert first["api_url"] == f"http://testserver/api/companies/{world.nvidia.pk}/"
    assert reader.get(first["api_url"]).json()["slug"] == "nvidia"


def test_edits_and_deletions_are_in_the_feed_deletions_as_tombstones(reader, world, other_analyst):
    service_edit(world.nvidia, other_analyst, summary="Founded earlier", founded=1992)
    claim_id = world.shipping.pk
    editing.page_delete(kind=PAGE_KINDS["claim"], page=world.shipping, author=other_analyst, summary="Duplicate")

    edit, tombstone = feed(reader)[-2:]

    assert (edit["action"], edit["resource"], edit["object_id"]) == ("edit", "companies", world.nvidia.pk)
    assert edit["summary"] == "Founded earlier"
    assert edit["user"] == "bob"
    assert edit["api_url"] == f"http://testserver/api/companies/{world.nvidia.pk}/"
    assert tombstone["action"] == "delete"
    assert tombstone["resource"] == "claims"
    assert tombstone["object_id"] == claim_id
    assert tombstone["api_url"] is None
    assert tombstone["title"] == "GB200 NVL72 racks are shipping."
    assert tombstone["summary"] == "Duplicate"


def test_since_resumes_the_feed_at_a_moment(reader, world, other_analyst):
    before = feed(reader)
    service_edit(world.nvidia, other_analyst, country="TW")
    service_edit(world.blackwell, other_analyst, introduced="2024-Q1")
    changes = feed(reader)
    new = changes[len(before) :]

    resumed = feed(reader, since=new[0]["at"])

    assert [change["id"] for change in resumed] == [change["id"] for change in new]
    assert [change["title"] for change in resumed] == ["Nvidia", "Blackwell"]


def test_since_takes_a_date_or_a_date_time_with_a_zone(reader, world, other_analyst):
    Revision.objects.update(date_created=datetime.datetime(2020, 6, 1, 12, tzinfo=datetime.UTC))
    service_edit(world.gb200, other_analyst, status="end_of_life")

    assert [change["title"] for change in feed(reader, since="2021-01-01")] == ["GB200 NVL72"]
    assert len(feed(reader, since="2020-06-01")) == 10
    assert len(feed(reader, since="2020-06-01T13:00:00+02:00")) == 10
    assert len(feed(reader, since="2020-06-01T13:00:00+00:00")) == 1
    # "+02:00" sent without encoding the plus arrives as a space, and is read as meant.
    response = reader.get("/api/changes/?since=2020-06-01T13:00:00+02:00")
    assert len(results(response)) == 10


def test_the_feed_takes_updated_since_as_every_list_does(reader, world, other_analyst):
    Revision.objects.update(date_created=datetime.datetime(2020, 6, 1, 12, tzinfo=datetime.UTC))
    service_edit(world.keynote, other_analyst, publisher="NVIDIA Corporation")

    assert [change["title"] for change in feed(reader, updated_since="2021-01-01T00:00:00Z")] == ["GTC 2025 keynote"]


@pytest.mark.parametrize("since", ["yesterday", "2025-02-30", "12:00"])
def test_a_bad_since_is_a_400_naming_it(reader, world, since):
    response = reader.get("/api/changes/", {"since": since})

    assert response.status_code == 400
    assert list(error_fields(response)) == ["since"]


def test_after_a_change_id_resumes_where_a_mirror_stopped(reader, world, other_analyst):
    processed = feed(reader)
    last = processed[-1]["id"]
    assert feed(reader, after=last) == []

    service_edit(world.jensen, other_analyst, role="Founder and CEO")
    person_create(author=other_analyst, name="Colette Kress", slug="colette-kress")

    resumed = feed(reader, after=last)
    assert [(change["action"], change["title"]) for change in resumed] == [
        ("edit", "Jensen Huang"),
        ("create", "Colette Kress"),
    ]
    assert [change["id"] for change in feed(reader, after=processed[3]["id"])] == [
        change["id"] for change in processed[4:] + resumed
    ]


def test_resource_and_action_filter_the_feed(reader, world, other_analyst):
    service_edit(world.revenue, other_analyst, credibility=2)
    company = company_create(author=other_analyst, name="Brief Co", slug="brief-co")
    editing.page_delete(kind=PAGE_KINDS["company"], page=company, author=other_analyst)

    claims = feed(reader, resource="claims")
    assert [(change["action"], change["object_id"]) for change in claims] == [
        ("create", world.shipping.pk),
        ("create", world.revenue.pk),
        ("edit", world.revenue.pk),
    ]
    deletions = feed(reader, action="delete")
    assert [(change["resource"], change["title"]) for change in deletions] == [("companies", "Brief Co")]
    assert feed(reader, resource="claims", action="delete") == []
    assert [change["action"] for change in feed(reader, action=["create", "delete"], resource="companies")] == [
        "create",
        "create",
        "delete",
    ]


@pytest.mark.parametrize(("parameter", "value"), [("resource", "planets"), ("action", "explode"), ("after", "-1")])
def test_a_bad_feed_filter_is_a_400_naming_it(reader, world, parameter, value):
    response = reader.get("/api/changes/", {parameter: value})

    assert response.status_code == 400
    assert list(error_fields(response)) == [parameter]


def test_relation_saves_and_deletions_are_in_the_feed(reader, market, other_analyst):
    start = feed(reader)[-1]["id"]
    company_relation_update(relation=market.nvidia_tsmc, author=other_analyst, note="CoWoS capacity")
    company_relation_delete(relation=market.amd_tsmc, author=other_analyst)
    supports = claim_relation_create(
        author=other_analyst, from_claim=market.world.revenue, kind="supports", to_claim=market.world.shipping
    )
    claim_relation_delete(relation=market.contradicts, author=other_analyst)

    changes = feed(reader, after=start)

    assert [(c["resource"], c["action"], c["object_id"]) for c in changes] == [
        ("company-relations", "edit", market.nvidia_tsmc.pk),
        ("company-relations", "delete", market.amd_tsmc.pk),
        ("claim-relations", "create", supports.pk),
        ("claim-relations", "delete", market.contradicts.pk),
    ]
    assert [c["api_url"] for c in changes] == [
        f"http://testserver/api/company-relations/{market.nvidia_tsmc.pk}/",
        None,
        f"http://testserver/api/claim-relations/{supports.pk}/",
        None,
    ]
    assert feed(reader, resource="company-relations", after=start) == changes[:2]
    assert feed(reader, resource="claim-relations", after=start) == changes[2:]


def test_relation_creations_are_in_the_feed(reader, market):
    created = feed(reader, resource="company-relations")
    linked = feed(reader, resource="claim-relations")

    assert [(c["action"], c["object_id"]) for c in created] == [
        ("create", market.amd_tsmc.pk),
        ("create", market.nvidia_tsmc.pk),
    ]
    assert [c["action"] for c in linked] == ["create", "create"]
    assert linked[0]["object_id"] == market.contradicts.pk


def test_deleting_a_claim_leaves_a_tombstone_for_the_claim_relations_it_takes_along(reader, market, other_analyst):
    # A mirror of /api/claim-relations/ learns of deletions only from the feed.
    relation_id = market.contradicts.pk
    editing.page_delete(kind=PAGE_KINDS["claim"], page=market.forecast, author=other_analyst)

    assert not ClaimRelation.objects.filter(pk=relation_id).exists()
    deletions = feed(reader, resource="claim-relations", action="delete")
    assert [change["object_id"] for change in deletions] == [relation_id]


def test_one_change_is_readable_on_its_own(reader, world):
    first = feed(reader)[0]

    response = reader.get(url_of("changes", first["id"]))

    assert response.status_code == 200
    assert response.json() == first


# ---------------------------------------------------------------------------
# 7. Query counts do not grow with the length of a list


def _claims_with_citations(count: int, *, tag: str) -> list[Claim]:
    """``count`` claims, each about a company and a product, with two citations (one with a speaker)."""
    sources = SourceFactory.create_batch(2)
    speaker = PersonFactory(affiliation=CompanyFactory())
    claims = []
    for number in range(count):
        company = CompanyFactory()
        claim = ClaimFactory(statement=f"{tag} claim {number}.")
        claim.companies.add(company)
        claim.products.add(
            Product.objects.create(name=f"{tag} P{number}", slug=f"{tag}-p{number}", vendor=company, kind="gpu")
        )
        claim.milestones.add(Milestone.objects.create(title=f"{tag} M{number}", company=company, kind="ship"))
        Citation.objects.create(claim=claim, source=sources[0], speaker=speaker, quote=f"Quote {number}.")
        Citation.objects.create(claim=claim, source=sources[1], quote=f"Another {number}.")
        claims.append(claim)
    return claims


def _grow(resource: str, count: int, tag: str, author) -> None:
    """Add ``count`` rows to the list of ``resource``, each with the links its response shows."""
    match resource:
        case "companies":
            CompanyFactory.create_batch(count)
        case "company-relations":
            claims = _claims_with_citations(2, tag=tag)
            for _ in range(count):
                relation = CompanyRelation.objects.create(
                    subject=CompanyFactory(), kind="supplier_of", object=CompanyFactory(), started="2024-Q1"
                )
                relation.claims.set(claims)
        case "architectures":
            for number in range(count):
                Architecture.objects.create(name=f"{tag} A{number}", slug=f"{tag}-a{number}", vendor=CompanyFactory())
        case "products":
            previous = None
            for number in range(count):
                vendor = CompanyFactory()
                architecture = Architecture.objects.create(
                    name=f"{tag} A{number}", slug=f"{tag}-a{number}", vendor=vendor
                )
                previous = Product.objects.create(
                    name=f"{tag} P{number}",
                    slug=f"{tag}-p{number}",
                    vendor=vendor,
                    architecture=architecture,
                    predecessor=previous,
                    kind="gpu",
                )
        case "milestones":
            for number in range(count):
                vendor = CompanyFactory()
                product = Product.objects.create(
                    name=f"{tag} P{number}", slug=f"{tag}-p{number}", vendor=vendor, kind="gpu"
                )
                Milestone.objects.create(title=f"{tag} M{number}", company=vendor, product=product, kind="ship")
        case "sources":
            SourceFactory.create_batch(
                count, moderated_by=author, moderation_state="approved", moderated_at=timezone.now()
            )
        case "people":
            for _ in range(count):
                PersonFactory(affiliation=CompanyFactory())
        case "claims":
            _claims_with_citations(count, tag=tag)
        case "citations":
            _claims_with_citations((count + 1) // 2, tag=tag)
        case "claim-relations":
            claims = _claims_with_citations(count + 1, tag=tag)
            for left, right in zip(claims, claims[1:], strict=False):
                ClaimRelation.objects.create(from_claim=left, kind="supports", to_claim=right)
        case "changes":
            for number in range(count):
                company_create(author=author, name=f"{tag} Co {number}", slug=f"{tag}-co-{number}")
        case _:
            raise ValueError(resource)


# Queries per list page whatever its length, measured (SQLite and PostgreSQL alike): the
# token, the savepoint pair of ATOMIC_REQUESTS, the COUNT of numbered pages, the rows and
# one query per prefetched link (claims: their citations, then all their links in one UNION).
LIST_QUERIES = {
    "companies": 5,
    "company-relations": 6,
    "architectures": 5,
    "products": 5,
    "milestones": 6,  # + the target history (slips) of the page of milestones
    "sources": 4,
    "people": 5,
    "claims": 6,
    "citations": 4,
    "claim-relations": 5,
    "changes": 4,
}


@pytest.mark.parametrize("resource", [*RESOURCES, "changes"])
def test_a_list_costs_the_same_queries_with_5_rows_as_with_60(reader, analyst, django_assert_max_num_queries, resource):
    model = Change if resource == "changes" else MODELS[resource]
    _grow(resource, 5, "small", analyst)
    small_total = model.objects.count()
    reader.get(url_of(resource))  # the content types and the token are read once per process
    with django_assert_max_num_queries(LIST_QUERIES[resource]) as small:
        response = reader.get(url_of(resource), {"page_size": 100})
    assert len(results(response)) == small_total >= 5

    _grow(resource, 55, "large", analyst)

    with django_assert_max_num_queries(LIST_QUERIES[resource]) as large:
        response = reader.get(url_of(resource), {"page_size": 100})
    assert len(results(response)) == model.objects.count() >= 60
    assert len(large) == len(small), [query["sql"][:150] for query in large.captured_queries]


# The token and savepoints, then the rows and their companies, products and citations as they stream.
CLAIMS_CSV_QUERIES = 7


def test_claims_csv_costs_the_same_queries_with_5_rows_as_with_60(reader, analyst, django_assert_max_num_queries):
    _claims_with_citations(5, tag="small")
    reader.get("/api/claims/")
    with django_assert_max_num_queries(CLAIMS_CSV_QUERIES) as small:
        _, rows = csv_table(reader.get("/api/claims/", {"format": "csv"}))
    assert len(rows) == 5

    _claims_with_citations(55, tag="large")

    with django_assert_max_num_queries(CLAIMS_CSV_QUERIES) as large:
        _, rows = csv_table(reader.get("/api/claims/", {"format": "csv"}))
    assert len(rows) == 60
    assert len(large) == len(small)


# The token and savepoints, the object's existence, its versions, their change lines; a claim adds
# the citations saved with them. (Claims also pay two queries that ClaimViewSet.paginate_queryset
# makes for list pages, here for the versions' ids: wasted, but bounded.)
HISTORY_QUERIES = {"claims": 9, "companies": 6}


def _history_of(resource: str, author):
    if resource == "claims":
        source = source_create(author=author, title="Long-running source")
        return claim_create(author=author, statement="Version 0.", citations=[{"source": source, "quote": "q0"}])
    return company_create(author=author, name="Versioned", slug="versioned")


def _edit_many(page, resource: str, author, numbers: range) -> None:
    for number in numbers:
        if resource == "claims":
            service_edit(page, author, statement=f"Version {number}.")
        else:
            service_edit(page, author, body=f"Version {number}.")


@pytest.mark.parametrize("resource", ["claims", "companies"])
def test_a_history_costs_the_same_queries_with_5_revisions_as_with_60(
    reader, analyst, django_assert_max_num_queries, resource
):
    page = _history_of(resource, analyst)
    _edit_many(page, resource, analyst, range(1, 5))
    url = url_of(resource, page.pk, "history")
    reader.get(url)
    with django_assert_max_num_queries(HISTORY_QUERIES[resource]) as small:
        response = reader.get(url, {"page_size": 100})
    assert len(results(response)) == 5

    _edit_many(page, resource, analyst, range(5, 60))

    with django_assert_max_num_queries(HISTORY_QUERIES[resource]) as large:
        response = reader.get(url, {"page_size": 100})
    assert len(results(response)) == 60
    assert len(large) == len(small), [query["sql"][:150] for query in large.captured_queries]


# ---------------------------------------------------------------------------
# 8. Reading a private wiki


PRIVATE_URLS = [
    "/api/claims/",
    "/api/claims/{claim}/",
    "/api/claims/{claim}/history/",
    "/api/companies/?format=csv",
    "/api/citations/",
    "/api/changes/",
]


@pytest.mark.parametrize("path", PRIVATE_URLS)
def test_on_a_private_wiki_an_anonymous_read_is_a_json_401(api_as, settings, world, path):
    settings.INTEL_PUBLIC_READ = False

    response = api_as("anonymous").get(path.format(claim=world.revenue.pk))

    assert_json_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("path", PRIVATE_URLS)
def test_on_a_private_wiki_a_readers_token_reads(api_as, settings, world, path):
    settings.INTEL_PUBLIC_READ = False

    response = api_as("reader").get(path.format(claim=world.revenue.pk))

    assert response.status_code == 200


def test_on_a_public_wiki_an_anonymous_visitor_reads(api_as, world):
    response = api_as("anonymous").get("/api/claims/")

    assert len(results(response)) == 2


def test_on_a_private_wiki_a_bad_token_is_a_401_not_a_read(settings, world):
    from rest_framework.test import APIClient

    settings.INTEL_PUBLIC_READ = False
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = client.get("/api/claims/")

    assert_json_error(response, 401, "authentication_failed")


@pytest.mark.parametrize("value", ["50%", "4%0A2", "%s%d", "%(label)s"])
def test_a_page_filter_with_a_percent_sign_is_a_400_naming_it_not_a_500(api_as, world, value):
    # Regression (issue 4, found by schemathesis): django-filter formats messages with %,
    # and a typed "%" inside the message made it raise TypeError.
    response = api_as("anonymous").get("/api/people/", {"company": value})
    assert response.status_code == 400
    assert response.json()["errors"]["company"] == [f"No company “{value.lower()}”."]


@pytest.mark.parametrize(
    ("resource", "params", "status"),
    [
        ("people", {"page_size": "abc"}, 400),
        ("people", {"page": "x"}, 404),
        ("claims", {"page_size": "0"}, 400),
        ("claims", {"cursor": "not-a-cursor"}, 404),
    ],
)
def test_a_csv_export_refuses_bad_page_parameters_as_the_json_list_does(api_as, world, resource, params, status):
    # Regression (issue 4, found by schemathesis): the export ignored them and answered 200.
    api = api_as("anonymous")
    as_json = api.get(f"/api/{resource}/", params)
    as_csv = api.get(f"/api/{resource}/", {**params, "format": "csv"})
    assert as_json.status_code == as_csv.status_code == status
    assert as_csv["Content-Type"].startswith("application/json")
