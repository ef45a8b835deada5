from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CheckConstraint, F, Q, UniqueConstraint

from intel.choices import ClaimKind, ClaimRelationKind, ClaimStatus, Credibility
from intel.fragments import cached_url
from intel.fuzzydates import FuzzyDateField, fuzzy_date_constraint
from intel.models.base import PRECISION_FIELD_OPTIONS, TimeStampedModel


class Claim(TimeStampedModel):
    """A Claim is one statement about companies, products or milestones, in the analyst's words,
    backed by citations.

    A metric claim also carries a value, a unit and the period it is about
    ("Nvidia revenue: 130.5 bn USD in 2024"). Credibility is on the Admiralty scale (1–6).
    """

    statement = models.TextField()
    kind = models.CharField(max_length=16, choices=ClaimKind, default=ClaimKind.FACT)
    metric = models.CharField(max_length=200, blank=True, help_text="What is measured, e.g. revenue.")
    value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    unit = models.CharField(max_length=50, blank=True, help_text="e.g. bn USD, M GPUs, %.")
    period_date = models.DateField(null=True, blank=True)
    period_precision = models.CharField(**PRECISION_FIELD_OPTIONS)
    status = models.CharField(max_length=16, choices=ClaimStatus, default=ClaimStatus.UNVERIFIED)
    status_note = models.TextField(
        blank=True, editable=False, help_text="Why the claim has its status: a moderator's reason, the dispute."
    )
    credibility = models.PositiveSmallIntegerField(choices=Credibility, default=Credibility.CANNOT_JUDGE)
    body = models.TextField(blank=True, help_text="Markdown: context and reasoning.")
    companies = models.ManyToManyField("companies.Company", blank=True, related_name="claims")
    products = models.ManyToManyField("products.Product", blank=True, related_name="claims")
    milestones = models.ManyToManyField("products.Milestone", blank=True, related_name="claims")

    period = FuzzyDateField()

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            CheckConstraint(
                condition=Q(credibility__gte=1, credibility__lte=6), name="%(app_label)s_%(class)s_credibility_1_to_6"
            ),
            CheckConstraint(condition=Q(kind__in=ClaimKind.values), name="%(app_label)s_%(class)s_kind_valid"),
            CheckConstraint(condition=Q(status__in=ClaimStatus.values), name="%(app_label)s_%(class)s_status_valid"),
            CheckConstraint(
                condition=~Q(kind=ClaimKind.METRIC) | (Q(value__isnull=False) & ~Q(unit="") & ~Q(metric="")),
                name="%(app_label)s_%(class)s_metric_has_value_and_unit",
            ),
            CheckConstraint(condition=~Q(statement=""), name="%(app_label)s_%(class)s_statement_not_empty"),
            fuzzy_date_constraint("period"),
        ]
        indexes = [
            models.Index(fields=["kind", "-created"]),
            models.Index(fields=["status"]),
            models.Index(fields=["credibility"]),
            models.Index(fields=["metric", "period_date"]),
            models.Index(fields=["-created", "-id"], name="intel_claim_created_id_idx"),
        ]

    def __str__(self):
        return self.statement if len(self.statement) <= 80 else self.statement[:79] + "…"

    def get_absolute_url(self):
        return cached_url("intel:claim_detail", "pk", self.pk)

    def clean(self):
        # The database checks this too; here each message can name its field.
        if self.kind == ClaimKind.METRIC:
            errors = {}
            if not self.metric:
                errors["metric"] = "A metric claim names what is measured, e.g. revenue."
            if self.value is None:
                errors["value"] = "A metric claim needs its value."
            if not self.unit:
                errors["unit"] = "A metric claim needs a unit, e.g. bn USD."
            if errors:
                raise ValidationError(errors)


class ClaimRelation(TimeStampedModel):
    """A ClaimRelation links two claims: one supports, contradicts, supersedes or breaks down another.

    Read it as from_claim → kind → to_claim: "2.5x from the new chip" breaks down "40x faster".
    """

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_out")
    kind = models.CharField(max_length=16, choices=ClaimRelationKind)
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_in")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            CheckConstraint(
                condition=~Q(from_claim=F("to_claim")),
                name="%(app_label)s_%(class)s_not_self",
                violation_error_message="A claim cannot be linked to itself.",
            ),
            CheckConstraint(condition=Q(kind__in=ClaimRelationKind.values), name="%(app_label)s_%(class)s_kind_valid"),
            UniqueConstraint(fields=["from_claim", "kind", "to_claim"], name="%(app_label)s_%(class)s_unique"),
        ]

    def __str__(self):
        return f"#{self.from_claim_id} {self.get_kind_display()} #{self.to_claim_id}"

    def get_absolute_url(self):
        return self.from_claim.get_absolute_url() + f"#relation-{self.pk}"
