"""factory_boy factories: the smallest valid object of each kind.

They save through the ORM directly (no revision): tests of the history call the
services, which are the only writers that record revisions.
"""

import factory
from django.contrib.auth import get_user_model

from companies.choices import CompanyKind
from companies.models import Company
from intel.choices import ClaimKind, Role
from intel.models import Citation, Claim, Person, Source
from intel.roles import sync_roles
from products.choices import MilestoneKind, ProductKind
from products.models import Milestone, Product


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """UserFactory(role=Role.MODERATOR) puts the user in that role's group."""
        if create and extracted:
            self.groups.add(sync_roles()[Role(extracted).value])
            if extracted in (Role.MODERATOR, Role.ADMIN):
                self.is_staff = True
                self.save(update_fields=["is_staff"])


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    kind = CompanyKind.CHIP_VENDOR


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    vendor = factory.SubFactory(CompanyFactory)
    kind = ProductKind.GPU


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    title = factory.Sequence(lambda n: f"Milestone {n}")
    product = factory.SubFactory(ProductFactory)
    company = factory.SelfAttribute("product.vendor")
    kind = MilestoneKind.SHIP


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Source {n}")
    publisher = "Example Wire"
    language = "en"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    statement = factory.Sequence(lambda n: f"Statement number {n}.")
    kind = ClaimKind.FACT


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    quote = "a short verbatim quote"


def metric_claims_bulk(
    count: int, *, companies, start: int = 0, metrics: int = 7, unit: str = "bn USD", years: int = 25
) -> None:
    """``count`` metric claims (``metrics`` distinct metrics over ``years`` years), each about all
    ``companies`` and cited twice, in a few queries: for the tests that count queries on big sets."""
    from decimal import Decimal

    source = SourceFactory()
    claims = Claim.objects.bulk_create(
        Claim(
            statement=f"Metric {start + n}.",
            kind=ClaimKind.METRIC,
            metric=f"metric_{(start + n) % metrics}",
            value=Decimal(start + n),
            unit=unit,
            period=f"{2000 + (start + n) % years}",
        )
        for n in range(count)
    )
    through = Claim.companies.through
    through.objects.bulk_create(through(claim=claim, company=company) for claim in claims for company in companies)
    Citation.objects.bulk_create(
        Citation(claim=claim, source=source, quote=f"Quote {n}.") for claim in claims for n in range(2)
    )
