"""Companies and how they stand to each other."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CheckConstraint, F, Q, UniqueConstraint

from companies.choices import CompanyKind, RelationKind
from intel.fragments import cached_url
from intel.fuzzydates import FuzzyDateField, fuzzy_date_constraint
from intel.models.base import PRECISION_FIELD_OPTIONS, TimeStampedModel, UnicodeJSONEncoder, validate_text_list


class Company(TimeStampedModel):
    """A Company is a vendor, customer, lab or investor the wiki keeps a page on.

    ``tracked`` marks the competitors we follow; the others appear because claims
    or relations name them.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    aliases = models.JSONField(
        encoder=UnicodeJSONEncoder,
        default=list,
        blank=True,
        validators=[validate_text_list],
        help_text="Other spellings and languages, e.g. NVIDIA, 英偉達, 輝達, 英伟达.",
    )
    kind = models.CharField(max_length=32, choices=CompanyKind, default=CompanyKind.OTHER)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code, e.g. US, CN, TW.")
    website = models.URLField(blank=True)
    founded = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Year founded.")
    body = models.TextField(blank=True, help_text="Markdown.")
    tracked = models.BooleanField(default=False, help_text="A competitor we follow.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"
        constraints = [
            CheckConstraint(
                condition=Q(founded__isnull=True) | Q(founded__gte=1600, founded__lte=2200),
                name="%(app_label)s_%(class)s_founded_plausible",
            ),
            CheckConstraint(condition=~Q(name=""), name="%(app_label)s_%(class)s_name_not_empty"),
            CheckConstraint(condition=~Q(slug=""), name="%(app_label)s_%(class)s_slug_not_empty"),
        ]
        indexes = [models.Index(fields=["tracked", "name"]), models.Index(fields=["kind"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_url("companies:company_detail", "slug", self.slug)

    def clean(self):
        # The database checks this too; here the message can name the field.
        if self.founded is not None and not 1600 <= self.founded <= 2200:
            raise ValidationError({"founded": "Give the year the company was founded, between 1600 and 2200."})


class CompanyRelation(TimeStampedModel):
    """A CompanyRelation says how one company stands to another: "AMD acquired ZT Systems (2024)".

    Read it as subject → kind → object. The claims that back it are its evidence.
    """

    subject = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="relations_out")
    kind = models.CharField(max_length=32, choices=RelationKind)
    object = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="relations_in")
    started_date = models.DateField(null=True, blank=True)
    started_precision = models.CharField(**PRECISION_FIELD_OPTIONS)
    ended_date = models.DateField(null=True, blank=True)
    ended_precision = models.CharField(**PRECISION_FIELD_OPTIONS)
    note = models.TextField(blank=True)
    claims = models.ManyToManyField("intel.Claim", blank=True, related_name="company_relations")

    started = FuzzyDateField()
    ended = FuzzyDateField()

    class Meta:
        ordering = ["subject__name", "kind", "object__name"]
        constraints = [
            CheckConstraint(
                condition=~Q(subject=F("object")),
                name="%(app_label)s_%(class)s_not_self",
                violation_error_message="A company cannot be related to itself.",
            ),
            CheckConstraint(condition=Q(kind__in=RelationKind.values), name="%(app_label)s_%(class)s_kind_valid"),
            UniqueConstraint(fields=["subject", "kind", "object"], name="%(app_label)s_%(class)s_unique"),
            fuzzy_date_constraint("started"),
            fuzzy_date_constraint("ended"),
            CheckConstraint(
                condition=Q(started_date__isnull=True)
                | Q(ended_date__isnull=True)
                | Q(ended_date__gte=F("started_date")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message="A relation cannot end before it started.",
            ),
        ]
        indexes = [models.Index(fields=["kind"])]

    def __str__(self):
        return f"{self.subject} {self.get_kind_display()} {self.object}"

    def get_absolute_url(self):
        return self.subject.get_absolute_url() + f"#relation-{self.pk}"
