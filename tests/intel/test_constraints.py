"""The rules the database itself enforces: bad values are refused even when code
bypasses the forms and services, and nothing is half saved."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from companies.models import Company, CompanyRelation
from intel.choices import ClaimKind, ModerationState
from intel.models import Citation, Claim, ClaimRelation, Source
from products.choices import MilestoneStatus
from products.models import Milestone
from tests.factories import (
    CitationFactory,
    ClaimFactory,
    CompanyFactory,
    MilestoneFactory,
    ProductFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def refused(callable_):
    """Run a write in a savepoint and report whether the database refused it."""
    try:
        with transaction.atomic():
            callable_()
    except IntegrityError:
        return True
    return False


def test_credibility_outside_one_to_six_is_refused():
    assert refused(lambda: Claim.objects.create(statement="x", credibility=9))
    assert refused(lambda: Claim.objects.create(statement="x", credibility=0))
    assert not refused(lambda: Claim.objects.create(statement="x", credibility=1))


def test_reliability_outside_a_to_f_is_refused():
    assert refused(lambda: Source.objects.create(title="x", reliability="G"))
    assert not refused(lambda: Source.objects.create(title="y", reliability="A"))


def test_a_metric_claim_needs_a_value_a_unit_and_a_metric():
    def metric(**fields):
        return lambda: Claim.objects.create(statement="Revenue", kind=ClaimKind.METRIC, **fields)

    assert refused(metric(metric="revenue", value=Decimal("130.5"), unit=""))
    assert refused(metric(metric="revenue", value=None, unit="bn USD"))
    assert refused(metric(metric="", value=Decimal("130.5"), unit="bn USD"))
    assert not refused(metric(metric="revenue", value=Decimal("130.5"), unit="bn USD"))


def test_a_fuzzy_date_needs_a_valid_precision_with_its_date():
    assert refused(lambda: Claim.objects.create(statement="x", period_date="2025-01-01", period_precision=""))
    assert refused(lambda: Claim.objects.create(statement="x", period_date="2025-01-01", period_precision="decade"))
    assert refused(lambda: Claim.objects.create(statement="x", period_date=None, period_precision="year"))
    assert not refused(lambda: Claim.objects.create(statement="x", period="2025-Q3"))
    assert str(Claim.objects.get(period_precision="quarter").period) == "2025-Q3"


def test_duplicate_slugs_are_refused():
    CompanyFactory(slug="nvidia")
    assert refused(lambda: Company.objects.create(name="Nvidia again", slug="nvidia"))
    assert Company.objects.filter(slug="nvidia").count() == 1


def test_a_duplicate_source_url_is_refused_but_many_sources_may_have_none():
    SourceFactory(url="https://example.com/a")
    assert refused(lambda: Source.objects.create(title="copy", url="https://example.com/a"))
    assert not refused(lambda: Source.objects.create(title="no url 1", url=""))
    assert not refused(lambda: Source.objects.create(title="no url 2", url=""))


def test_a_rejection_needs_a_reason_and_a_decision_a_time():
    source = SourceFactory()
    source.moderation_state = ModerationState.REJECTED
    source.moderation_note = ""
    assert refused(lambda: source.save())
    source.moderation_state = ModerationState.APPROVED
    assert refused(lambda: source.save())  # no moderated_at


def test_a_company_cannot_relate_to_itself_nor_twice_the_same_way():
    amd, zt = CompanyFactory(), CompanyFactory()
    assert refused(lambda: CompanyRelation.objects.create(subject=amd, kind="acquired", object=amd))
    CompanyRelation.objects.create(subject=amd, kind="acquired", object=zt)
    assert refused(lambda: CompanyRelation.objects.create(subject=amd, kind="acquired", object=zt))


def test_a_claim_cannot_contradict_itself():
    claim = ClaimFactory()
    assert refused(lambda: ClaimRelation.objects.create(from_claim=claim, kind="contradicts", to_claim=claim))


def test_a_done_milestone_needs_an_actual_date():
    product = ProductFactory()
    done = {"title": "Shipped", "company": product.vendor, "product": product, "kind": "ship"}
    assert refused(lambda: Milestone.objects.create(status=MilestoneStatus.DONE, **done))
    assert not refused(lambda: Milestone.objects.create(status=MilestoneStatus.DONE, actual="2025-03", **done))


def test_a_citation_needs_a_quote():
    assert refused(lambda: CitationFactory(quote=""))


def test_a_cited_source_cannot_be_deleted_and_a_company_with_products_neither():
    citation = CitationFactory()
    with pytest.raises(ProtectedError):
        citation.source.delete()
    product = ProductFactory()
    with pytest.raises(ProtectedError):
        product.vendor.delete()


def test_deleting_a_claim_takes_its_citations_and_relations_with_it():
    citation = CitationFactory()
    other = ClaimFactory()
    ClaimRelation.objects.create(from_claim=citation.claim, kind="supports", to_claim=other)
    citation.claim.delete()
    assert not Citation.objects.filter(pk=citation.pk).exists()
    assert not ClaimRelation.objects.exists()
    assert Source.objects.filter(pk=citation.source_id).exists()


def test_a_refused_write_leaves_nothing_half_saved():
    """A claim whose second citation breaks a rule is not saved, nor is its first citation."""
    source = SourceFactory()

    def claim_with_a_bad_citation():
        claim = Claim.objects.create(statement="Two citations, one bad")
        Citation.objects.create(claim=claim, source=source, quote="fine")
        Citation.objects.create(claim=claim, source=source, quote="")

    assert refused(claim_with_a_bad_citation)
    assert not Claim.objects.filter(statement="Two citations, one bad").exists()
    assert not Citation.objects.exists()


def test_milestone_fuzzy_dates_round_trip_through_the_database():
    milestone = MilestoneFactory(target="2025-Q3")
    milestone.refresh_from_db()
    assert str(milestone.target) == "2025-Q3"
    assert milestone.target.label == "Q3 2025"
    assert milestone.actual is None
