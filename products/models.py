"""What vendors make and when: architectures, products and roadmap milestones."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CheckConstraint, F, Q, UniqueConstraint

from intel.fragments import cached_url
from intel.fuzzydates import FuzzyDateField, fuzzy_date_constraint
from intel.models.base import PRECISION_FIELD_OPTIONS, TimeStampedModel
from products.choices import LifecycleStatus, MilestoneKind, MilestoneStatus, ProductKind, TargetChange


class Architecture(TimeStampedModel):
    """An Architecture is one product generation of a vendor: Hopper, Blackwell, Rubin."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    vendor = models.ForeignKey("companies.Company", on_delete=models.PROTECT, related_name="architectures")
    introduced_date = models.DateField(null=True, blank=True)
    introduced_precision = models.CharField(**PRECISION_FIELD_OPTIONS)
    body = models.TextField(blank=True, help_text="Markdown.")

    introduced = FuzzyDateField()

    class Meta:
        ordering = ["vendor__name", "introduced_date", "name"]
        constraints = [
            UniqueConstraint(fields=["vendor", "name"], name="%(app_label)s_%(class)s_unique_name_per_vendor"),
            CheckConstraint(condition=~Q(name=""), name="%(app_label)s_%(class)s_name_not_empty"),
            CheckConstraint(condition=~Q(slug=""), name="%(app_label)s_%(class)s_slug_not_empty"),
            fuzzy_date_constraint("introduced"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_url("products:architecture_detail", "slug", self.slug)


class Product(TimeStampedModel):
    """A Product is something a vendor sells or ships: a GPU, a rack system, a switch, software."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    vendor = models.ForeignKey("companies.Company", on_delete=models.PROTECT, related_name="products")
    architecture = models.ForeignKey(
        Architecture, on_delete=models.SET_NULL, null=True, blank=True, related_name="products"
    )
    kind = models.CharField(max_length=32, choices=ProductKind)
    predecessor = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="successors")
    status = models.CharField(max_length=32, choices=LifecycleStatus, default=LifecycleStatus.ANNOUNCED)
    body = models.TextField(blank=True, help_text="Markdown.")

    class Meta:
        ordering = ["vendor__name", "name"]
        constraints = [
            CheckConstraint(
                condition=~Q(predecessor=F("pk")),
                name="%(app_label)s_%(class)s_not_own_predecessor",
                violation_error_message="A product cannot be its own predecessor.",
            ),
            CheckConstraint(condition=Q(kind__in=ProductKind.values), name="%(app_label)s_%(class)s_kind_valid"),
            CheckConstraint(
                condition=Q(status__in=LifecycleStatus.values), name="%(app_label)s_%(class)s_status_valid"
            ),
            CheckConstraint(condition=~Q(name=""), name="%(app_label)s_%(class)s_name_not_empty"),
            CheckConstraint(condition=~Q(slug=""), name="%(app_label)s_%(class)s_slug_not_empty"),
        ]
        indexes = [models.Index(fields=["vendor", "kind"]), models.Index(fields=["status"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_url("products:product_detail", "slug", self.slug)


class Milestone(TimeStampedModel):
    """A Milestone is a dated step on a vendor's roadmap: "Blackwell Ultra ships on socketed boards, Q3 2025".

    ``target`` is when it is expected, ``actual`` when it happened; both are fuzzy. Every
    change of the target is kept in the revision history, so slips are computed from it.
    """

    title = models.CharField(max_length=300)
    company = models.ForeignKey("companies.Company", on_delete=models.PROTECT, related_name="milestones")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, null=True, blank=True, related_name="milestones")
    kind = models.CharField(max_length=32, choices=MilestoneKind)
    target_date = models.DateField(null=True, blank=True)
    target_precision = models.CharField(**PRECISION_FIELD_OPTIONS)
    actual_date = models.DateField(null=True, blank=True)
    actual_precision = models.CharField(**PRECISION_FIELD_OPTIONS)
    target_citation = models.ForeignKey(
        "intel.Citation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestone_targets",
        verbose_name="target cited from",
        help_text="The citation that states the current target (a quote in a claim about this milestone).",
    )
    status = models.CharField(max_length=32, choices=MilestoneStatus, default=MilestoneStatus.PLANNED)
    body = models.TextField(blank=True, help_text="Markdown.")

    target = FuzzyDateField()
    actual = FuzzyDateField()

    class Meta:
        ordering = ["target_date", "title"]
        constraints = [
            fuzzy_date_constraint("target"),
            fuzzy_date_constraint("actual"),
            CheckConstraint(condition=Q(kind__in=MilestoneKind.values), name="%(app_label)s_%(class)s_kind_valid"),
            CheckConstraint(
                condition=Q(status__in=MilestoneStatus.values), name="%(app_label)s_%(class)s_status_valid"
            ),
            CheckConstraint(
                condition=~Q(status=MilestoneStatus.DONE) | Q(actual_date__isnull=False),
                name="%(app_label)s_%(class)s_done_has_actual",
            ),
            CheckConstraint(condition=~Q(title=""), name="%(app_label)s_%(class)s_title_not_empty"),
        ]
        indexes = [
            models.Index(fields=["company", "target_date"]),
            models.Index(fields=["product", "target_date"]),
            models.Index(fields=["status"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return cached_url("products:milestone_detail", "pk", self.pk)

    def clean(self):
        errors = {}
        if self.product_id and self.company_id and self.product.vendor_id != self.company_id:
            errors["product"] = "The product is not made by the milestone's company."
        if self.status == MilestoneStatus.DONE and self.actual_date is None:
            # Keyed by the column so the database check is not reported twice; forms show it at "actual".
            errors["actual_date"] = "A milestone that is done needs the date it happened."
        if errors:
            raise ValidationError(errors)


class MilestoneTarget(models.Model):
    """A MilestoneTarget is one target a milestone was given, as its revision history records it.

    Written by products.roadmap whenever a save changes the target or the citation that
    states it, in the same revision, and rebuilt from the stored revisions on demand
    (``manage.py rebuild_roadmap_history``): slips are computed from it, never typed.
    ``slip_days`` is how far the latest possible date moved later; ``reverted`` marks a
    target undone by a revert, which no longer counts.
    """

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="targets")
    revision = models.ForeignKey("reversion.Revision", on_delete=models.CASCADE, related_name="milestone_targets")
    target_date = models.DateField(null=True, blank=True)
    target_precision = models.CharField(**PRECISION_FIELD_OPTIONS)
    # No database constraint: a history row keeps the id of a quote whose claim was deleted, so undeleting
    # the claim brings the attribution back (and a rebuild from the revisions agrees with the live rows).
    citation = models.ForeignKey(
        "intel.Citation", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    change = models.CharField(max_length=16, choices=TargetChange)
    slip_days = models.PositiveIntegerField(default=0, help_text="Days the latest possible date moved later.")
    reverted = models.BooleanField(default=False, help_text="Undone by a later revert: no longer counts.")

    target = FuzzyDateField()

    class Meta:
        ordering = ["milestone_id", "revision_id"]
        constraints = [
            UniqueConstraint(fields=["milestone", "revision"], name="%(app_label)s_%(class)s_one_per_revision"),
            CheckConstraint(condition=Q(change__in=TargetChange.values), name="%(app_label)s_%(class)s_change_valid"),
            CheckConstraint(
                condition=Q(slip_days=0) | Q(change=TargetChange.SLIPPED),
                name="%(app_label)s_%(class)s_only_slips_have_days",
            ),
            fuzzy_date_constraint("target"),
        ]

    def __str__(self):
        return f"{self.milestone_id}: {self.target or 'no date'} ({self.get_change_display()})"
