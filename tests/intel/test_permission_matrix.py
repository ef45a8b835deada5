"""Who may do what, for every URL the wiki serves: each view, API endpoint and admin list × each role.

The matrix is generated from the URL configuration itself: every route must have a line in
POLICY below (a new view without one fails the test), and every line is tried with a GET
and with a write (POST for pages, the resource's write methods for the API) as a visitor,
a reader, an analyst, a moderator and an admin. A role that may is never answered 401/403
or sent to log in; a role that may not is sent to log in (a visitor on a page), answered
401 (a visitor on the API) or 403 (anyone signed in), and nothing is saved. Each try runs in
a savepoint rolled back afterwards, so one role's delete does not hide the page from the next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from reversion.models import Revision

from companies.services import company_create, company_relation_create
from intel.extraction import extract_paste
from intel.models import Change, Snapshot
from intel.services import claim_relation_create, snapshot_add
from tests.api.apikit import ROLES, user_with_role

pytestmark = pytest.mark.django_db

ANYONE, USER, EDITOR, MODERATOR, ADMIN = range(5)  # the least role that may, as a rank in ROLES
NOT_OFFERED = None  # the method is not this URL's (405, or not tried)
RANK = {role: rank for rank, role in enumerate(ROLES)}


@dataclass(frozen=True)
class Rule:
    read: int | None  # GET
    write: int | None  # POST (pages), or the API's write methods


READ_ONLY, EDIT, READ_AND_EDIT = Rule(ANYONE, NOT_OFFERED), Rule(EDITOR, EDITOR), Rule(ANYONE, EDITOR)

PAGE_ROUTES = {
    "create": EDIT,
    "detail": READ_ONLY,
    "edit": EDIT,
    "history": READ_ONLY,
    "diff": READ_ONLY,
    "revision": READ_ONLY,
    "revert": EDIT,
    "delete": EDIT,
    "undelete": Rule(NOT_OFFERED, EDITOR),
    "watch": Rule(NOT_OFFERED, USER),
    "feed": READ_ONLY,
}
KINDS = {
    "intel": ("claim", "source", "person"),
    "companies": ("company",),
    "products": ("architecture", "product", "milestone"),
}
POLICY: dict[str, Rule] = {
    f"{namespace}:{kind}_{route}": rule
    for namespace, kinds in KINDS.items()
    for kind in kinds
    for route, rule in PAGE_ROUTES.items()
} | {
    "home": READ_ONLY,
    "intel:claim_list": READ_ONLY,
    "intel:claim_status": Rule(NOT_OFFERED, EDITOR),
    "intel:source_snapshot": EDIT,
    "intel:source_reader": READ_ONLY,
    "intel:source_moderate": Rule(NOT_OFFERED, MODERATOR),
    "intel:source_snapshot_original": READ_ONLY,
    "companies:company_battlecard": READ_ONLY,
    "companies:company_battlecard_markdown": READ_ONLY,
    "products:roadmap": READ_ONLY,
    "recent_changes": READ_ONLY,
    "recent_changes_feed": READ_ONLY,
    "watchlist": Rule(USER, NOT_OFFERED),
    "moderation_queue": Rule(MODERATOR, MODERATOR),
    "disputes": READ_ONLY,
    "metrics": READ_ONLY,
    "contributions": READ_ONLY,
    "user_rollback": Rule(MODERATOR, MODERATOR),
    "search": READ_ONLY,
    "lookup": READ_ONLY,
    "page_new": READ_ONLY,  # which kind of page to make; readers are told they cannot
    "account": Rule(USER, NOT_OFFERED),
    "account_token": Rule(NOT_OFFERED, USER),
    "login": Rule(ANYONE, ANYONE),
    "logout": Rule(NOT_OFFERED, ANYONE),
    "password_change": Rule(USER, USER),
    "password_change_done": Rule(USER, NOT_OFFERED),
    "password_reset": Rule(ANYONE, ANYONE),
    "password_reset_done": READ_ONLY,
    "password_reset_confirm": READ_ONLY,
    "password_reset_complete": READ_ONLY,
    "healthz": READ_ONLY,
    "readyz": READ_ONLY,
    # The API: reads are open (INTEL_PUBLIC_READ), writes need an analyst, decisions a moderator.
    "api:api-root": READ_ONLY,
    "api:schema": READ_ONLY,
    "api:docs": READ_ONLY,
    "api:search": READ_ONLY,
    "api:changes-list": READ_ONLY,
    "api:changes-detail": READ_ONLY,
    "api:metrics-list": READ_ONLY,
    "api:snapshots-list": READ_AND_EDIT,
    "api:snapshots-detail": READ_ONLY,
    "api:snapshots-original": READ_ONLY,
    "api:sources-decisions": READ_ONLY,
    "api:sources-moderate": Rule(NOT_OFFERED, MODERATOR),
    "api:sources-moderate-many": Rule(NOT_OFFERED, MODERATOR),
    "api:claims-change-status": Rule(NOT_OFFERED, EDITOR),
} | {
    f"api:{resource}-{route}": rule
    for resource in (
        "companies", "company-relations", "architectures", "products", "milestones", "sources", "people", "claims",
        "citations", "claim-relations",
    )
    for route, rule in (("list", READ_AND_EDIT), ("detail", READ_AND_EDIT), ("history", READ_ONLY))
}  # fmt: skip
# Routes that are not views of ours to check here: the API's catch-all 404 and the admin (checked below).
UNCHECKED = {"api:?"}


def routes(patterns=None, namespace: str = "") -> list[tuple[str, URLPattern]]:
    """(name with namespace, pattern) of every named route outside the admin."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += routes(entry.url_patterns, inner)
        else:
            found.append((f"{namespace}{entry.name or '?'}", entry))
    return found


def test_every_route_has_a_line_in_the_policy():
    names = {name for name, _ in routes()} - UNCHECKED
    assert names - POLICY.keys() == set(), "routes without a policy: say who may use them"
    assert POLICY.keys() - names == set(), "policy lines for routes that no longer exist"


@dataclass
class Scene:
    world: object
    snapshot: Snapshot
    revisions: dict[str, int]
    relations: dict[str, object]


@pytest.fixture
def scene(world, analyst):
    text = "The keynote as archived."
    snapshot = snapshot_add(
        source=world.keynote, author=analyst, extracted=extract_paste(text, max_bytes=10**6), original=text.encode()
    )
    amd = company_create(author=analyst, name="AMD", slug="amd", kind="chip_vendor")
    relations = {
        "company-relations": company_relation_create(
            author=analyst, subject=amd, kind="competes_with", object=world.nvidia, started="2024"
        ),
        "claim-relations": claim_relation_create(
            author=analyst, from_claim=world.revenue, kind="supports", to_claim=world.shipping
        ),
    }
    kinds = ("company", "architecture", "product", "milestone", "source", "person", "claim")
    revisions = {
        kind: Revision.objects.filter(version__object_id=str(world.page(kind).pk)).latest("pk").pk for kind in kinds
    }
    return Scene(world=world, snapshot=snapshot, revisions=revisions, relations=relations)


API_OBJECTS = {
    "companies": "nvidia", "architectures": "blackwell", "products": "gb200", "milestones": "ships",
    "sources": "keynote", "people": "jensen", "claims": "revenue",
}  # fmt: skip


def api_object(resource: str, scene: Scene):
    """The object a detail URL of this API resource reaches."""
    if resource in API_OBJECTS:
        return getattr(scene.world, API_OBJECTS[resource])
    if resource in scene.relations:
        return scene.relations[resource]
    return {
        "citations": lambda: scene.world.revenue.citations.first(),
        "changes": lambda: Change.objects.first(),
        "snapshots": lambda: scene.snapshot,
    }[resource]()


def url_of(name: str, pattern: URLPattern, scene: Scene) -> str:
    """A URL of the route that reaches a real object."""
    world = scene.world
    kwargs = {}
    converters = set(pattern.pattern.converters) | set(re.findall(r"\(\?P<(\w+)>", str(pattern.pattern)))
    if name.startswith("api:"):
        if "pk" in converters:
            resources = [*API_OBJECTS, *scene.relations, "citations", "changes", "snapshots"]
            resource = max((key for key in resources if name.startswith(f"api:{key}-")), key=len)
            kwargs["pk"] = api_object(resource, scene).pk
        return reverse(name, kwargs=kwargs)
    kind = name.split(":")[-1].split("_")[0]
    page = world.page(kind) if kind in {k for kinds in KINDS.values() for k in kinds} else None
    for converter in converters:
        match converter:
            case "pk":
                kwargs["pk"] = page.pk if page is not None else world.keynote.pk
            case "slug":
                kwargs["slug"] = page.slug
            case "revision_id":
                kwargs["revision_id"] = scene.revisions[kind]
            case "snapshot_id":
                kwargs["snapshot_id"] = scene.snapshot.pk
            case "username":
                kwargs["username"] = "ana"
            case "kind":
                kwargs["kind"] = "company"
            case "uidb64":
                kwargs["uidb64"] = "MQ"
            case "token":
                kwargs["token"] = "set-password"
    return reverse(name, kwargs=kwargs)


def answer(client: Client, method: str, url: str, scene: Scene):
    """The route's answer to an empty write, or to a decision where the route decides about sources."""
    if method == "GET":
        return client.get(url)
    if url.startswith("/api/"):
        body = {}
        if url.endswith("/moderate/"):  # an analyst may resubmit here; approving is the moderators'
            body = {"action": "approve", "sources": [scene.world.keynote.pk]}
        return getattr(client, method.lower())(url, body, content_type="application/json")
    return client.post(url, {})


def write_methods(name: str) -> list[str]:
    if not name.startswith("api:"):
        return ["POST"]
    if name.endswith("-detail"):
        return ["PATCH", "PUT", "DELETE"]
    return ["POST"]


def verdict(response, url: str, role: str) -> str:
    """ "allowed", or how the request was refused: "login", "401", "403"."""
    status = response.status_code
    assert status < 500, f"{url} as {role}: {status}"
    if status == 302 and urlsplit(response["Location"]).path in ("/accounts/login/", "/admin/login/"):
        return "login"
    if status in (401, 403):
        return str(status)
    return "allowed"


def expected_refusal(url: str, role: str) -> str:
    if role != "anonymous":
        return "403"
    return "401" if url.startswith("/api/") else "login"


def clients() -> dict[str, Client]:
    made = {"anonymous": Client()}
    for role in ROLES[1:]:
        client = Client()
        client.force_login(user_with_role(role))
        made[role] = client
    return made


@pytest.mark.parametrize("name", sorted(POLICY))
def test_each_role_may_do_exactly_what_the_policy_says(scene, name):
    pattern = dict(routes())[name]
    url = url_of(name, pattern, scene)
    rule = POLICY[name]
    by_role = clients()
    mismatches = []
    for method, least in [("GET", rule.read)] + [(m, rule.write) for m in write_methods(name)]:
        if least is NOT_OFFERED:
            continue
        for role, client in by_role.items():
            with transaction.atomic():
                got = verdict(answer(client, method, url, scene), url, role)
                transaction.set_rollback(True)
            wanted = "allowed" if RANK[role] >= least else expected_refusal(url, role)
            if got != wanted:
                mismatches.append(f"{method} {url} as {role}: {got}, the policy says {wanted}")
    assert not mismatches, "\n".join(mismatches)


# The admin: readers and analysts are not staff; moderators see what their role may view; admins all.
MODERATOR_ADMIN = {
    "companies.company", "companies.companyrelation", "products.architecture", "products.product",
    "products.milestone", "intel.source", "intel.snapshot", "intel.person", "intel.claim", "intel.citation",
    "intel.claimrelation", "reversion.revision",
}  # fmt: skip


@pytest.mark.parametrize("model", sorted(m._meta.label_lower for m in admin.site._registry))
def test_each_role_sees_the_admin_lists_its_role_allows(db, model):
    app_label, model_name = model.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    for role, client in clients().items():
        got = verdict(client.get(url), url, role)
        if role in ("anonymous", "reader", "analyst"):
            wanted = "login"
        elif role == "moderator":
            wanted = "allowed" if model in MODERATOR_ADMIN else "403"
        else:
            wanted = "allowed"
        assert got == wanted, f"{url} as {role}: {got}, wanted {wanted}"
