"""Every save through the services is a revision with its author and edit summary;
a claim saved with its citations is one revision."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from reversion.models import Revision, Version

from companies.services import company_create, company_relation_create
from intel.choices import ClaimKind, Role
from intel.models import Claim, Source
from intel.services import claim_create, claim_relation_create, person_create, source_create
from products.services import architecture_create, milestone_create, product_create
from tests.factories import CompanyFactory, ProductFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst():
    return UserFactory(username="ana", role=Role.ANALYST)


def test_a_claim_with_its_citations_is_one_revision_with_author_and_summary(analyst):
    source = SourceFactory()
    claim = claim_create(
        author=analyst,
        summary="Add Nvidia 2024 revenue",
        statement="Nvidia's 2024 revenue was 130.5 bn USD.",
        kind=ClaimKind.METRIC,
        metric="revenue",
        value="130.5",
        unit="bn USD",
        period="2024",
        citations=[
            {"source": source, "quote": "營收高達1305億美元", "translation": "revenue reached 130.5 bn USD"},
            {"source": source, "quote": "相比2023年增長114%"},
        ],
    )
    assert Revision.objects.count() == 1
    revision = Revision.objects.get()
    assert revision.user == analyst
    assert revision.comment == "Add Nvidia 2024 revenue"
    versioned = sorted(version.content_type.model for version in revision.version_set.all())
    assert versioned == ["citation", "citation", "claim"]
    assert Version.objects.get_for_object(claim).get().field_dict["statement"] == claim.statement


def test_every_kind_of_object_gets_a_revision_when_saved_through_its_service(analyst):
    nvidia = company_create(author=analyst, summary="New vendor", name="Nvidia", slug="nvidia")
    tsmc = company_create(author=analyst, summary="New foundry", name="TSMC", slug="tsmc")
    blackwell = architecture_create(author=analyst, name="Blackwell", slug="blackwell", vendor=nvidia)
    gpu = product_create(author=analyst, name="B200", slug="b200", vendor=nvidia, architecture=blackwell, kind="gpu")
    milestone = milestone_create(author=analyst, title="B200 ships", product=gpu, kind="ship", target="2025-H1")
    person = person_create(author=analyst, name="Haomin", slug="haomin", is_pseudonym=True)
    source = source_create(author=analyst, title="GTC coverage")
    first = claim_create(author=analyst, statement="One", citations=[{"source": source, "quote": "q"}])
    second = claim_create(author=analyst, statement="Two", citations=[{"source": source, "quote": "r"}])
    link = claim_relation_create(author=analyst, from_claim=first, kind="contradicts", to_claim=second)
    relation = company_relation_create(author=analyst, subject=nvidia, kind="customer_of", object=tsmc, claims=[first])

    for obj in (nvidia, tsmc, blackwell, gpu, milestone, person, source, first, second, link, relation):
        versions = Version.objects.get_for_object(obj)
        assert versions.count() == 1, obj
        assert versions.get().revision.user == analyst
    assert milestone.company == nvidia  # taken from the product's vendor
    assert Version.objects.get_for_object(relation).get().field_dict["claims"] == [first.pk]


def test_invalid_input_is_refused_before_anything_is_written(analyst):
    source = SourceFactory()
    with pytest.raises(ValidationError) as error:
        claim_create(
            author=analyst,
            statement="A metric without a unit",
            kind=ClaimKind.METRIC,
            metric="revenue",
            value="1",
            unit="",
            citations=[{"source": source, "quote": "fine"}],
        )
    assert "__all__" in error.value.message_dict or "unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        claim_create(author=analyst, statement="Bad citation", citations=[{"source": source, "quote": ""}])
    assert "citations-0" in error.value.message_dict
    assert not Claim.objects.exists()
    assert not Revision.objects.exists()


def test_a_bad_fuzzy_date_is_a_field_error_naming_the_accepted_forms(analyst):
    with pytest.raises(ValidationError) as error:
        milestone_create(author=analyst, title="x", company=CompanyFactory(), kind="ship", target="next year")
    assert "2025-Q3" in error.value.message_dict["target"][0]
    assert not Revision.objects.exists()


def test_readers_and_anonymous_callers_cannot_write(analyst):
    reader = UserFactory(username="rita", role=Role.READER)
    source = SourceFactory()
    for author in (reader, None, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            claim_create(author=author, statement="Sneaky", citations=[{"source": source, "quote": "q"}])
        with pytest.raises(PermissionDenied):
            company_create(author=author, name="Sneaky Co", slug="sneaky")
    assert not Claim.objects.exists()
    assert not Revision.objects.exists()


def test_a_claim_needs_at_least_one_citation(analyst):
    with pytest.raises(ValidationError) as error:
        claim_create(author=analyst, statement="Uncited", citations=[])
    assert "citations" in error.value.message_dict
    assert not Claim.objects.exists()


def test_a_milestone_product_must_belong_to_its_company(analyst):
    product = ProductFactory()
    with pytest.raises(ValidationError) as error:
        milestone_create(author=analyst, title="x", company=CompanyFactory(), product=product, kind="ship")
    assert "product" in error.value.message_dict


def test_a_failure_in_the_database_midway_leaves_no_claim_no_citation_no_revision(analyst, monkeypatch):
    """Validation is bypassed so the database itself refuses the second citation: the
    claim and its first citation, already written, are rolled back with the revision."""
    from intel.models import Citation

    monkeypatch.setattr(Citation, "full_clean", lambda self, *args, **kwargs: None)
    source = SourceFactory()
    with pytest.raises(IntegrityError):
        claim_create(
            author=analyst,
            statement="Half of this must not survive",
            citations=[{"source": source, "quote": "fine"}, {"source": source, "quote": ""}],
        )
    assert not Claim.objects.exists()
    assert not Citation.objects.exists()
    assert not Revision.objects.exists()


def test_a_new_source_starts_pending_and_unrated_even_if_asked_otherwise(analyst):
    source = source_create(
        author=analyst, title="Press release", moderation_state="approved", moderation_note="ok", reliability="A"
    )
    stored = Source.objects.get(pk=source.pk)
    assert stored.moderation_state == "pending"
    assert stored.moderation_note == ""
    assert stored.reliability == "F"  # only moderators rate sources
