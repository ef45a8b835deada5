"""Who may do what through the REST API: a generated matrix of resource × operation × role,
reading a private wiki, the moderators' right to rate sources, and the browser and the API
giving the same answer for the same person.

Each case starts from its own small set of objects made through the services, so a writer's
request can really succeed (valid payloads, deletable targets) and a refused one can be
checked to have saved nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from rest_framework.test import APIClient
from reversion.models import Revision

from companies.models import Company
from companies.services import company_create, company_relation_create
from intel.models import Claim, Source
from intel.roles import can_edit
from intel.services import claim_create, claim_relation_create, person_create, source_create
from products.services import architecture_create, milestone_create, product_create
from tests.api.apikit import MODELS, RESOURCES, ROLES, WRITERS, token_client, user_with_role
from tests.intel.pagekit import form_data, is_login_redirect, logged_in, submit

pytestmark = pytest.mark.django_db

OPERATIONS = ("list", "retrieve", "create", "update", "partial_update", "destroy", "history")
READS = ("list", "retrieve", "history")

# The rule, written out once: reading is open (INTEL_PUBLIC_READ on), writing needs the
# analyst role — visitors are told to authenticate (401), readers are refused (403).
EXPECTED = {
    #            list retrieve create update partial destroy history
    "anonymous": (200, 200, 401, 401, 401, 401, 200),
    "reader": (200, 200, 403, 403, 403, 403, 200),
    "analyst": (200, 200, 201, 200, 200, 204, 200),
    "moderator": (200, 200, 201, 200, 200, 204, 200),
    "admin": (200, 200, 201, 200, 200, 204, 200),
}
MATRIX = [
    pytest.param(resource, operation, role, EXPECTED[role][index], id=f"{resource}-{operation}-{role}")
    for resource in RESOURCES
    for index, operation in enumerate(OPERATIONS)
    for role in ROLES
]


# ---------------------------------------------------------------------------
# The objects each case works on


@dataclass
class Base:
    """What targets and payloads point at: a vendor, a source, and a claim with two citations."""

    author: object
    vendor: Company
    rival: Company
    source: Source
    claim: Claim
    other_claim: Claim


@pytest.fixture
def base(analyst):
    vendor = company_create(author=analyst, name="Nvidia", slug="nvidia", kind="chip_vendor")
    rival = company_create(author=analyst, name="AMD", slug="amd", kind="chip_vendor")
    source = source_create(author=analyst, title="GTC 2025 keynote", kind="keynote")
    claim = claim_create(
        author=analyst,
        statement="Blackwell is in full production.",
        companies=[vendor],
        citations=[{"source": source, "quote": "In full production."}, {"source": source, "quote": "Shipping now."}],
    )
    other_claim = claim_create(
        author=analyst, statement="GB200 racks ship.", citations=[{"source": source, "quote": "Racks ship."}]
    )
    return Base(analyst, vendor, rival, source, claim, other_claim)


def make_target(resource: str, b: Base):
    """An object of the resource that nothing refers to, so any operation on it can succeed."""
    a = b.author
    match resource:
        case "companies":
            return company_create(author=a, name="Lone Co", slug="lone-co")
        case "company-relations":
            customer = company_create(author=a, name="Customer Co", slug="customer-co")
            return company_relation_create(author=a, subject=b.vendor, kind="supplier_of", object=customer)
        case "architectures":
            return architecture_create(author=a, name="Hopper", slug="hopper", vendor=b.vendor)
        case "products":
            return product_create(author=a, name="H100", slug="h100", vendor=b.vendor, kind="gpu")
        case "milestones":
            return milestone_create(author=a, title="Hopper announced", company=b.vendor, kind="announce")
        case "sources":
            return source_create(author=a, title="An interview", kind="interview")
        case "people":
            return person_create(author=a, name="Colette Kress", slug="colette-kress")
        case "claims":
            return claim_create(author=a, statement="Hopper sold out.", citations=[{"source": b.source, "quote": "Q."}])
        case "citations":
            return b.claim.citations.order_by("pk").first()
        case "claim-relations":
            return claim_relation_create(author=a, from_claim=b.claim, kind="supports", to_claim=b.other_claim)
    raise ValueError(resource)


def create_payload(resource: str, b: Base) -> dict:
    return {
        "companies": {"name": "Cerebras", "slug": "cerebras", "kind": "chip_vendor"},
        "company-relations": {"subject": b.vendor.pk, "kind": "competes_with", "object": b.rival.pk},
        "architectures": {"name": "Rubin", "slug": "rubin", "vendor": b.vendor.pk, "introduced": "2026-H2"},
        "products": {"name": "Rubin NVL144", "slug": "rubin-nvl144", "vendor": b.vendor.pk, "kind": "system"},
        "milestones": {"title": "Rubin ships", "company": b.vendor.pk, "kind": "ship", "target": "2026-Q3"},
        "sources": {"title": "Hot Chips 2025 talk", "kind": "keynote", "authors": ["A. Author"]},
        "people": {"name": "Lisa Su", "slug": "lisa-su", "role": "CEO"},
        "claims": {
            "statement": "Rubin ships in 2026.",
            "kind": "plan",
            "companies": [b.vendor.pk],
            "citations": [{"source": b.source.pk, "quote": "Rubin is on track."}],
        },
        "citations": {"claim": b.other_claim.pk, "source": b.source.pk, "quote": "Racks ship this quarter."},
        "claim-relations": {"from_claim": b.other_claim.pk, "kind": "contradicts", "to_claim": b.claim.pk},
    }[resource]


def put_payload(resource: str, b: Base, target) -> dict:
    """A full representation of ``target`` with something changed."""
    match resource:
        case "companies":
            return {"name": "Lone Company", "slug": "lone-co", "kind": "other", "country": "DE"}
        case "company-relations":
            return {"subject": b.vendor.pk, "kind": "partners_with", "object": target.object_id, "started": "2024"}
        case "architectures":
            return {"name": "Hopper", "slug": "hopper", "vendor": b.vendor.pk, "introduced": "2022-03"}
        case "products":
            return {"name": "H100 SXM", "slug": "h100", "vendor": b.vendor.pk, "kind": "gpu", "status": "shipping"}
        case "milestones":
            return {"title": "Hopper announced", "company": b.vendor.pk, "kind": "announce", "target": "2022-03"}
        case "sources":
            return {"title": "An interview, transcribed", "kind": "interview", "authors": []}
        case "people":
            return {"name": "Colette Kress", "slug": "colette-kress", "role": "CFO"}
        case "claims":
            row = target.citations.get()
            return {
                "statement": "Hopper sold out in 2023.",
                "citations": [{"id": row.pk, "source": row.source_id, "quote": row.quote, "locator": "p. 2"}],
            }
        case "citations":
            return {"claim": target.claim_id, "source": target.source_id, "quote": "In full production now."}
        case "claim-relations":
            return {"from_claim": b.claim.pk, "kind": "breaks_down", "to_claim": b.other_claim.pk, "note": "Parts."}
    raise ValueError(resource)


PATCH_PAYLOADS = {
    "companies": {"country": "TW"},
    "company-relations": {"note": "HBM."},
    "architectures": {"introduced": "2022"},
    "products": {"status": "end_of_life"},
    "milestones": {"status": "delayed"},
    "sources": {"publisher": "Nvidia"},
    "people": {"role": "CFO"},
    "claims": {"credibility": 2},
    "citations": {"locator": "00:12:30"},
    "claim-relations": {"note": "Partly."},
}


def url_of(resource: str, pk=None, action: str = "") -> str:
    path = f"/api/{resource}/"
    if pk is not None:
        path += f"{pk}/"
    return path + (f"{action}/" if action else "")


def perform(client, resource: str, operation: str, b: Base, target):
    detail = url_of(resource, target.pk)
    match operation:
        case "list":
            return client.get(url_of(resource))
        case "retrieve":
            return client.get(detail)
        case "history":
            return client.get(url_of(resource, target.pk, "history"))
        case "create":
            return client.post(url_of(resource), create_payload(resource, b), format="json")
        case "update":
            return client.put(detail, put_payload(resource, b, target), format="json")
        case "partial_update":
            return client.patch(detail, PATCH_PAYLOADS[resource], format="json")
        case "destroy":
            return client.delete(detail)
    raise ValueError(operation)


# ---------------------------------------------------------------------------
# 1. The matrix


@pytest.mark.parametrize(("resource", "operation", "role", "expected"), MATRIX)
def test_the_role_gets_the_status_the_rule_gives(api_as, base, resource, operation, role, expected):
    target = make_target(resource, base)
    client = api_as(role)
    revisions = Revision.objects.count()

    response = perform(client, resource, operation, base, target)

    assert response.status_code == expected, response.content[:500]
    if operation in READS:
        assert Revision.objects.count() == revisions
        return
    if expected >= 400:
        body = response.json()
        assert body["code"] == ("not_authenticated" if expected == 401 else "permission_denied"), body
        assert Revision.objects.count() == revisions  # refused before anything was saved
        assert MODELS[resource].objects.filter(pk=target.pk).exists()
    else:
        assert Revision.objects.count() == revisions + 1
        assert Revision.objects.order_by("-pk").first().user.username == f"{role}-user"


def test_the_matrix_covers_every_resource_operation_and_role():
    assert len(MATRIX) == len(RESOURCES) * len(OPERATIONS) * len(ROLES) == 350
    assert set(ROLES) - set(WRITERS) == {"anonymous", "reader"}


# ---------------------------------------------------------------------------
# 2. A private wiki


@pytest.mark.parametrize("operation", READS)
@pytest.mark.parametrize("resource", RESOURCES)
def test_on_a_private_wiki_an_anonymous_read_is_a_401(api_as, base, settings, resource, operation):
    settings.INTEL_PUBLIC_READ = False
    target = make_target(resource, base)

    response = perform(api_as("anonymous"), resource, operation, base, target)

    assert response.status_code == 401, response.content[:300]
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("operation", READS)
@pytest.mark.parametrize("resource", RESOURCES)
def test_on_a_private_wiki_a_reader_reads(api_as, base, settings, resource, operation):
    settings.INTEL_PUBLIC_READ = False
    target = make_target(resource, base)

    response = perform(api_as("reader"), resource, operation, base, target)

    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize("path", ["/api/changes/", "/api/"])
def test_on_a_private_wiki_the_change_feed_and_the_index_need_a_token_too(api_as, base, settings, path):
    settings.INTEL_PUBLIC_READ = False

    assert api_as("anonymous").get(path).status_code == 401
    assert api_as("reader").get(path).status_code == 200


def test_on_a_private_wiki_writing_still_needs_the_analyst_role(api_as, base, settings):
    settings.INTEL_PUBLIC_READ = False
    payload = create_payload("companies", base)

    assert api_as("anonymous").post(url_of("companies"), payload, format="json").status_code == 401
    assert api_as("reader").post(url_of("companies"), payload, format="json").status_code == 403
    assert api_as("analyst").post(url_of("companies"), payload, format="json").status_code == 201


# ---------------------------------------------------------------------------
# 3. Only moderators rate sources


def _reliability(source) -> str:
    return Source.objects.get(pk=source.pk).reliability


@pytest.mark.parametrize("method", ["put", "patch"])
def test_an_analyst_who_sets_a_sources_reliability_gets_a_403_and_changes_nothing(api_as, base, method):
    source = base.source
    revisions = Revision.objects.count()
    payload = {"title": "Rated by an analyst", "kind": "keynote", "reliability": "A"}
    if method == "patch":
        payload = {"reliability": "A", "publisher": "Nvidia"}

    response = getattr(api_as("analyst"), method)(url_of("sources", source.pk), payload, format="json")

    assert response.status_code == 403, response.content[:300]
    assert response.json()["code"] == "permission_denied"
    assert "moderator" in response.json()["detail"].lower()
    fresh = Source.objects.get(pk=source.pk)
    assert (fresh.reliability, fresh.title, fresh.publisher) == ("F", "GTC 2025 keynote", "")
    assert Revision.objects.count() == revisions


def test_an_analyst_who_creates_a_rated_source_gets_a_403_and_nothing_is_made(api_as, base):
    payload = {"title": "Self-rated", "kind": "article", "reliability": "A"}

    response = api_as("analyst").post(url_of("sources"), payload, format="json")

    assert response.status_code == 403
    assert not Source.objects.filter(title="Self-rated").exists()


def test_an_analyst_may_send_the_reliability_unchanged(api_as, base):
    source = base.source
    moderator = token_client(user_with_role("moderator", "mona"))
    assert moderator.patch(url_of("sources", source.pk), {"reliability": "B"}, format="json").status_code == 200

    response = api_as("analyst").patch(
        url_of("sources", source.pk), {"reliability": "B", "publisher": "Nvidia"}, format="json"
    )

    assert response.status_code == 200, response.content[:300]
    fresh = Source.objects.get(pk=source.pk)
    assert (fresh.reliability, fresh.publisher) == ("B", "Nvidia")


def test_an_analysts_put_without_reliability_keeps_the_moderators_rating(api_as, base):
    source = base.source
    rated = token_client(user_with_role("moderator", "mona")).patch(
        url_of("sources", source.pk), {"reliability": "B"}, format="json"
    )
    assert rated.status_code == 200

    response = api_as("analyst").put(
        url_of("sources", source.pk), {"title": "GTC 2025", "kind": "keynote"}, format="json"
    )

    assert response.status_code == 200, response.content[:300]
    assert response.json()["reliability"] == "B"
    assert _reliability(source) == "B"


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_moderators_and_admins_rate_a_source(api_as, base, role):
    response = api_as(role).patch(url_of("sources", base.source.pk), {"reliability": "B"}, format="json")

    assert response.status_code == 200, response.content[:300]
    assert response.json()["reliability"] == "B"
    assert _reliability(base.source) == "B"


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_moderators_and_admins_create_a_rated_source(api_as, base, role):
    response = api_as(role).post(
        url_of("sources"), {"title": "Rated", "kind": "report", "reliability": "C"}, format="json"
    )

    assert response.status_code == 201, response.content[:300]
    assert response.json()["reliability"] == "C"
    assert Source.objects.get(title="Rated").reliability == "C"


def test_nobody_sets_a_sources_moderation_state_through_a_write(api_as, base):
    response = api_as("moderator").patch(
        url_of("sources", base.source.pk), {"moderation_state": "approved", "publisher": "Nvidia"}, format="json"
    )

    assert response.status_code == 200
    assert Source.objects.get(pk=base.source.pk).moderation_state == "pending"  # read-only: the queue decides


# ---------------------------------------------------------------------------
# 4. The browser and the API give the same answer


def _user_and_clients(role: str):
    """The user of a role and a browser session and a token client for them (anonymous: neither)."""
    if role == "anonymous":
        return AnonymousUser(), Client(), APIClient()
    if role == "inactive analyst":
        user = user_with_role("analyst", "gone")
        browser, api = logged_in(user), token_client(user)
        user.is_active = False
        user.save(update_fields=["is_active"])
        return user, browser, api
    user = user_with_role(role)
    return user, logged_in(user), token_client(user)


@pytest.mark.parametrize("role", [*ROLES, "inactive analyst"])
def test_the_browser_edit_page_and_the_api_allow_the_same_people_to_edit(base, role):
    user, browser, api = _user_and_clients(role)
    edit_url = "/companies/nvidia/edit/"

    page = browser.get(edit_url)
    if page.status_code == 200:
        saved = submit(browser, edit_url, {**form_data(page), "country": "TW", "summary": "Browser"})
        browser_allows = saved.status_code == 302 and Company.objects.get(slug="nvidia").country == "TW"
    else:
        assert page.status_code == 403 or is_login_redirect(page, edit_url), page.status_code
        browser_allows = False
    response = api.patch(url_of("companies", base.vendor.pk), {"country": "CA"}, format="json")
    assert response.status_code in (200, 401, 403), response.content[:300]
    api_allows = response.status_code == 200 and Company.objects.get(slug="nvidia").country == "CA"

    assert browser_allows == api_allows == can_edit(user)
    assert can_edit(user) == (role in WRITERS)


@pytest.mark.parametrize("role", ["anonymous", "reader"])
def test_who_cannot_edit_is_told_the_same_way_at_both_doors(base, role):
    _, browser, api = _user_and_clients(role)

    page = browser.get("/companies/nvidia/edit/")
    response = api.patch(url_of("companies", base.vendor.pk), {"country": "CA"}, format="json")

    if role == "anonymous":  # asked to sign in
        assert is_login_redirect(page, "/companies/nvidia/edit/") and response.status_code == 401
    else:  # refused
        assert page.status_code == 403 and response.status_code == 403


def test_a_signed_in_browser_session_writes_to_the_api_only_with_the_csrf_token(base):
    # The API also accepts the wiki's session (SessionAuthentication): without CSRF checks a page
    # on another site could make a signed-in analyst's browser write.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user_with_role("analyst"))
    body = json.dumps(create_payload("companies", base))

    refused = browser.post(url_of("companies"), body, content_type="application/json")

    assert refused.status_code == 403, refused.content[:300]
    assert "CSRF" in refused.json()["detail"]
    assert not Company.objects.filter(slug="cerebras").exists()
    browser.get("/companies/nvidia/edit/")  # a page with a form sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    allowed = browser.post(url_of("companies"), body, content_type="application/json", headers={"X-CSRFToken": token})
    assert allowed.status_code == 201, allowed.content[:300]
