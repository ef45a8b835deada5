"""Loads the demo dataset (intel/demo_data.py) through the services, idempotently.

Each object is looked up by its natural key first and created only when missing, so
a second run changes nothing and never overwrites what analysts edited since.
"""

import datetime
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from reversion.models import Revision

from companies.models import Company, CompanyRelation
from companies.services import company_create, company_relation_create
from intel import demo_data
from intel.choices import ClaimStatus, ModerationState, Role
from intel.editing import latest_revision_id, page_update
from intel.models import Claim, ClaimRelation, Person, Source
from intel.moderation import source_approve
from intel.pages import PAGE_KINDS
from intel.roles import sync_roles
from intel.services import (
    claim_create,
    claim_relation_create,
    person_create,
    source_create,
    source_import,
)
from intel.workflow import claim_set_status
from products.models import Architecture, Milestone, Product
from products.services import architecture_create, milestone_create, product_create

SUMMARY = "Demo data from the GTC 2025 roadmap article"


@dataclass
class DemoReport:
    """What a run did that the caller must tell the user: the random passwords it chose."""

    passwords: dict[str, str] = field(default_factory=dict)


def demo_users_ensure(*, password: str | None, report: DemoReport) -> dict[str, object]:
    """One user per role. New users get ``password``, or a random one reported once;
    existing users keep theirs."""
    groups = sync_roles()
    User = get_user_model()
    users = {}
    for role in Role:
        user = User.objects.filter(username=role.value).first()
        if user is None:
            user_password = password or secrets.token_urlsafe(12)
            user = User.objects.create_user(
                username=role.value,
                password=user_password,
                is_staff=role in (Role.MODERATOR, Role.ADMIN),
                is_superuser=role == Role.ADMIN,
            )
            if not password:
                report.passwords[role.value] = user_password
        user.groups.add(groups[role.value])
        users[role.value] = user
    return users


@transaction.atomic
def load_demo(*, password: str | None = None) -> DemoReport:
    report = DemoReport()
    users = demo_users_ensure(password=password, report=report)
    author = users[Role.ADMIN.value]

    companies = {}
    for row in demo_data.COMPANIES:
        company = Company.objects.filter(slug=row["slug"]).first()
        companies[row["slug"]] = company or company_create(author=author, summary=SUMMARY, **row)

    architectures = {}
    for row in demo_data.ARCHITECTURES:
        architecture = Architecture.objects.filter(slug=row["slug"]).first() or architecture_create(
            author=author, summary=SUMMARY, **{**row, "vendor": companies[row["vendor"]]}
        )
        architectures[row["slug"]] = architecture

    products = {}
    for row in demo_data.PRODUCTS:  # in order, so a predecessor is created before its successor
        product = Product.objects.filter(slug=row["slug"]).first()
        if product is None:
            product = product_create(
                author=author,
                summary=SUMMARY,
                **{
                    **row,
                    "vendor": companies[row["vendor"]],
                    "architecture": architectures.get(row["architecture"]),
                    "predecessor": products.get(row["predecessor"]),
                },
            )
        products[row["slug"]] = product

    milestones = {}
    for row in demo_data.MILESTONES:
        fields = {k: v for k, v in row.items() if k != "key"}
        fields.update(company=companies[row["company"]], product=products.get(row["product"]))
        milestone = Milestone.objects.filter(company=fields["company"], title=row["title"]).first()
        milestones[row["key"]] = milestone or milestone_create(author=author, summary=SUMMARY, **fields)

    source = _source_ensure(author=author, moderator=users[Role.MODERATOR.value])
    for row in demo_data.PENDING_SOURCES:
        if not Source.objects.filter(title=row["title"]).exists():
            fields = {k: v for k, v in row.items() if k != "published"}
            source_create(author=users[Role.ANALYST.value], summary=SUMMARY, published_date=row["published"], **fields)
    _seed_snapshot_ensure(source=source, author=author)

    people = {}
    for row in demo_data.PEOPLE:
        person = Person.objects.filter(slug=row["slug"]).first()
        people[row["slug"]] = person or person_create(
            author=author, summary=SUMMARY, **{**row, "affiliation": companies.get(row["affiliation"])}
        )

    claims = {}
    statuses = {}
    for row in demo_data.CLAIMS:
        claim = Claim.objects.filter(statement=row["statement"]).first()
        if claim is None:
            fields = {
                k: v
                for k, v in row.items()
                if k not in {"key", "companies", "products", "milestones", "citations", "status"}
            }
            if row.get("status", ClaimStatus.UNVERIFIED) != ClaimStatus.UNVERIFIED:
                statuses[row["key"]] = row["status"]  # set once the claims it depends on are linked
            claim = claim_create(
                author=author,
                summary=SUMMARY,
                companies=[companies[slug] for slug in row["companies"]],
                products=[products[slug] for slug in row["products"]],
                milestones=[milestones[key] for key in row["milestones"]],
                citations=[
                    {**citation, "source": source, "speaker": people.get(citation["speaker"])}
                    for citation in row["citations"]
                ],
                **fields,
            )
        claims[row["key"]] = claim

    for row in demo_data.CLAIM_RELATIONS:
        from_claim, to_claim = claims[row["from_claim"]], claims[row["to_claim"]]
        if not ClaimRelation.objects.filter(from_claim=from_claim, kind=row["kind"], to_claim=to_claim).exists():
            claim_relation_create(
                author=author, from_claim=from_claim, kind=row["kind"], to_claim=to_claim, note=row.get("note", "")
            )

    for key, edits in demo_data.MILESTONE_HISTORY.items():
        _milestone_history_ensure(milestones[key], edits, claims=claims, author=users[Role.ANALYST.value])

    for key, status in statuses.items():
        # The workflow's rules hold for the demo too: "disputed" once the contradicting claim is linked.
        claim_set_status(claim=claims[key], author=author, status=status, reason="Demo: the sources disagree.")

    for row in demo_data.RELATIONS:
        subject, object_ = companies[row["subject"]], companies[row["object"]]
        if not CompanyRelation.objects.filter(subject=subject, kind=row["kind"], object=object_).exists():
            company_relation_create(
                author=author,
                subject=subject,
                kind=row["kind"],
                object=object_,
                started=row.get("started"),
                claims=[claims[key] for key in row.get("claims", [])],
            )
    return report


def _milestone_history_ensure(milestone: Milestone, edits: list[dict], *, claims: dict, author) -> None:
    """Replay a milestone's demo edits through the wiki, each recorded on its day, so its slips are real history."""
    if milestone.target is not None:
        return  # replayed already
    kind = PAGE_KINDS["milestone"]
    # The page was created just now: date its creation the day before the first edit, so the history reads in order.
    first_day = datetime.datetime.fromisoformat(edits[0]["recorded"] + "T09:00:00+00:00") - datetime.timedelta(days=1)
    Revision.objects.filter(pk=latest_revision_id(milestone)).update(date_created=first_day)
    for edit in edits:
        citation = None
        if cite := edit.get("cite"):
            claim_key, index = cite
            citation = claims[claim_key].citations.order_by("pk")[index]
        result = page_update(
            kind=kind,
            page=milestone,
            author=author,
            values={"target": edit["target"], "status": edit["status"], "target_citation": citation},
            base_revision=latest_revision_id(milestone),
            summary=edit["summary"],
        )
        milestone = result.page
        recorded = datetime.datetime.fromisoformat(edit["recorded"] + "T09:00:00+00:00")
        Revision.objects.filter(pk=latest_revision_id(milestone)).update(date_created=recorded)


def seed_article_path() -> Path:
    """The seed article the demo is drawn from: ``shared/seeds/`` beside the repository
    (or INTEL_DEMO_SEED). It is not part of the repository, so the demo works without it."""
    configured = os.environ.get("INTEL_DEMO_SEED")
    if configured:
        return Path(configured)
    return Path(settings.BASE_DIR).parent / "shared" / "seeds" / "gtc2025-roadmap-article.txt"


def _seed_snapshot_ensure(*, source: Source, author) -> None:
    """Archive the seed article as the demo source's snapshot when it is at hand and not archived yet."""
    path = seed_article_path()
    if source.snapshot_id is None and path.is_file():
        source_import(author=author, data=path.read_bytes(), filename=path.name, source=source)


def _source_ensure(*, author, moderator) -> Source:
    """The seed article as a source, approved by the demo moderator."""
    row = demo_data.SOURCE
    source = Source.objects.filter(title=row["title"], published_date=row["published"]).first()
    if source is None:
        fields = {k: v for k, v in row.items() if k != "published"}
        source = source_create(author=author, summary=SUMMARY, published_date=row["published"], **fields)
    if source.moderation_state == ModerationState.PENDING:
        source = source_approve(source=source, moderator=moderator, note="Demo: a named trade publication.")
    return source
