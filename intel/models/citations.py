from django.db import models
from django.db.models import CheckConstraint, F, Q

from intel.choices import VerificationState
from intel.fragments import cached_url
from intel.models.base import TimeStampedModel


class Citation(TimeStampedModel):
    """A Citation ties a claim to the exact words of a source: who said it, the verbatim quote,
    an optional translation and where in the source it stands.

    The anchor fields hold the quote's place in the source's snapshot as a W3C
    TextQuoteSelector (exact, prefix, suffix) plus the character offsets found;
    ``verification`` says how (or whether) the quote was found.
    """

    claim = models.ForeignKey("intel.Claim", on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey("intel.Source", on_delete=models.PROTECT, related_name="citations")
    speaker = models.ForeignKey(
        "intel.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="citations"
    )
    quote = models.TextField(help_text="Verbatim, in the source's language.")
    translation = models.TextField(blank=True)
    locator = models.CharField(max_length=200, blank=True, help_text="Section, paragraph, page or timestamp.")
    anchor_exact = models.TextField(blank=True, editable=False)
    anchor_prefix = models.CharField(max_length=64, blank=True, editable=False)
    anchor_suffix = models.CharField(max_length=64, blank=True, editable=False)
    anchor_start = models.PositiveIntegerField(null=True, blank=True, editable=False)
    anchor_end = models.PositiveIntegerField(null=True, blank=True, editable=False)
    snapshot = models.ForeignKey(
        "intel.Snapshot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="citations",
        editable=False,
        help_text="The snapshot the anchor's offsets point into.",
    )
    anchor_similarity = models.FloatField(null=True, blank=True, editable=False)
    anchor_note = models.CharField(
        max_length=300, blank=True, editable=False, help_text="How the quote was found, or why not, in words."
    )
    verification = models.CharField(
        max_length=16, choices=VerificationState, default=VerificationState.UNCHECKED, editable=False
    )

    class Meta:
        ordering = ["claim_id", "id"]
        constraints = [
            CheckConstraint(condition=~Q(quote=""), name="%(app_label)s_%(class)s_quote_not_empty"),
            CheckConstraint(
                condition=Q(verification__in=VerificationState.values),
                name="%(app_label)s_%(class)s_verification_valid",
            ),
            CheckConstraint(
                condition=Q(anchor_start__isnull=True, anchor_end__isnull=True)
                | Q(anchor_start__isnull=False, anchor_end__isnull=False, anchor_end__gte=F("anchor_start")),
                name="%(app_label)s_%(class)s_anchor_offsets",
            ),
        ]
        indexes = [models.Index(fields=["source", "claim"]), models.Index(fields=["verification"])]

    def __str__(self):
        return f"{self.source}: “{self.quote[:60]}”"

    def get_absolute_url(self):
        return cached_url("intel:claim_detail", "pk", self.claim_id) + f"#citation-{self.pk}"
