from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CheckConstraint, Q, UniqueConstraint

from intel.choices import ModerationAction, ModerationState, Reliability, SnapshotOrigin, SourceKind
from intel.fragments import cached_url
from intel.models.base import TimeStampedModel, UnicodeJSONEncoder, validate_text_list


class Source(TimeStampedModel):
    """A Source is a document claims are drawn from: an article, a filing, a keynote, an earnings call.

    It keeps an archived snapshot of its text (with the sha256 of the original bytes),
    its reliability on the Admiralty scale (A–F), and the moderators' decision on
    whether it counts (pending → approved / rejected, by whom, when, why).
    """

    kind = models.CharField(max_length=32, choices=SourceKind, default=SourceKind.ARTICLE)
    title = models.CharField(max_length=500)
    title_en = models.CharField("English title", max_length=500, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    authors = models.JSONField(encoder=UnicodeJSONEncoder, default=list, blank=True, validators=[validate_text_list])
    language = models.CharField(max_length=16, blank=True, help_text="BCP 47 tag, e.g. en, zh-Hans, zh-Hant.")
    published_date = models.DateField(null=True, blank=True)
    retrieved_at = models.DateTimeField(null=True, blank=True)
    body = models.TextField(blank=True, help_text="Markdown: what the source is, notes on it.")
    # The newest archived copy (see Snapshot): the one citations are anchored in.
    snapshot = models.ForeignKey(
        "intel.Snapshot",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="current_of",
        editable=False,
    )
    reliability = models.CharField(max_length=1, choices=Reliability, default=Reliability.F)
    moderation_state = models.CharField(max_length=16, choices=ModerationState, default=ModerationState.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderated_sources",
        editable=False,
    )
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderation_note = models.TextField(blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_sources",
        editable=False,
        help_text="Who put the source in the wiki: the moderation queue shows it.",
    )

    class Meta:
        ordering = ["-published_date", "-id"]
        permissions = [("moderate_source", "Can approve or reject sources")]
        constraints = [
            CheckConstraint(
                condition=Q(reliability__in=Reliability.values), name="%(app_label)s_%(class)s_reliability_a_to_f"
            ),
            CheckConstraint(condition=Q(kind__in=SourceKind.values), name="%(app_label)s_%(class)s_kind_valid"),
            CheckConstraint(
                condition=Q(moderation_state__in=ModerationState.values),
                name="%(app_label)s_%(class)s_moderation_state_valid",
            ),
            # A decision records when it was made; a rejection also says why.
            CheckConstraint(
                condition=Q(moderation_state=ModerationState.PENDING) | Q(moderated_at__isnull=False),
                name="%(app_label)s_%(class)s_decision_has_time",
            ),
            CheckConstraint(
                condition=~Q(moderation_state=ModerationState.REJECTED) | ~Q(moderation_note=""),
                name="%(app_label)s_%(class)s_rejection_has_reason",
            ),
            CheckConstraint(
                condition=~Q(moderation_state=ModerationState.SENT_BACK) | ~Q(moderation_note=""),
                name="%(app_label)s_%(class)s_sending_back_says_what_to_fix",
            ),
            CheckConstraint(condition=~Q(title=""), name="%(app_label)s_%(class)s_title_not_empty"),
            UniqueConstraint(fields=["url"], condition=~Q(url=""), name="%(app_label)s_%(class)s_unique_url"),
        ]
        indexes = [
            models.Index(fields=["moderation_state", "-published_date"]),
            models.Index(fields=["published_date"]),
            models.Index(fields=["language"]),
            models.Index(fields=["reliability"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return cached_url("intel:source_detail", "pk", self.pk)

    def clean(self):
        # The database checks this too; here the message can name the field.
        if self.url and Source.objects.filter(url=self.url).exclude(pk=self.pk).exists():
            raise ValidationError({"url": "A source with this URL is in the wiki already: cite that one."})


class Snapshot(models.Model):
    """A Snapshot is an archived copy of a source's text at one moment: the original bytes as
    uploaded or pasted, their sha256, and the plain text extracted from them.

    Never altered once saved, so an anchor's offsets stay true: a newer copy is a new
    snapshot, and the source points at its newest one.
    """

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="snapshots")
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="snapshots"
    )
    origin = models.CharField(max_length=16, choices=SnapshotOrigin, default=SnapshotOrigin.UPLOAD)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True, help_text="As the upload declared it.")
    format = models.CharField(max_length=8, help_text="html or text: how the text was extracted.")
    encoding = models.CharField(max_length=32, help_text="The codec the original bytes were decoded with.")
    encoding_detected = models.BooleanField(default=True, help_text="False when the uploader chose the encoding.")
    size = models.PositiveBigIntegerField(help_text="Bytes of the original.")
    sha256 = models.CharField(max_length=64, help_text="Of the original bytes.")
    original = models.BinaryField(help_text="The bytes as uploaded (pasted text: its UTF-8).")
    text = models.TextField(help_text="The extracted plain text that quotes are anchored in.")

    class Meta:
        ordering = ["-created", "-id"]
        get_latest_by = ["created", "id"]
        constraints = [
            CheckConstraint(condition=Q(sha256__length=64), name="%(app_label)s_%(class)s_sha256_length"),
            CheckConstraint(condition=~Q(text=""), name="%(app_label)s_%(class)s_text_not_empty"),
            CheckConstraint(condition=Q(origin__in=SnapshotOrigin.values), name="%(app_label)s_%(class)s_origin_valid"),
            CheckConstraint(condition=Q(format__in=["html", "text"]), name="%(app_label)s_%(class)s_format_valid"),
        ]
        indexes = [models.Index(fields=["source", "-created"]), models.Index(fields=["sha256"])]

    def __str__(self):
        return f"{self.source} — snapshot {self.sha256[:12]}"

    def save(self, *args, **kwargs):
        # Same-row integrity, not a business rule: anchors hold offsets into this text.
        if not self._state.adding:
            raise ValueError("A snapshot is never altered: add a new one instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_url("intel:source_reader", "pk", self.source_id) + f"?snapshot={self.pk}"


class ModerationDecision(models.Model):
    """A ModerationDecision is one entry of a source's moderation log: who decided what about it,
    when and why (approved, rejected, sent back, resubmitted, reliability rated).

    Written only by the moderation services, never changed; the source page shows the log.
    """

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="decisions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_decisions",
        help_text="Who decided (for a resubmission: the analyst who resubmitted).",
    )
    action = models.CharField(max_length=16, choices=ModerationAction)
    state_before = models.CharField(max_length=16, choices=ModerationState)
    state_after = models.CharField(max_length=16, choices=ModerationState)
    reliability_before = models.CharField(max_length=1, choices=Reliability)
    reliability_after = models.CharField(max_length=1, choices=Reliability)
    note = models.TextField(blank=True, help_text="Why: the reason of a rejection, what to fix when sent back.")
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            CheckConstraint(
                condition=Q(action__in=ModerationAction.values), name="%(app_label)s_%(class)s_action_valid"
            ),
            CheckConstraint(
                condition=Q(state_before__in=ModerationState.values, state_after__in=ModerationState.values),
                name="%(app_label)s_%(class)s_states_valid",
            ),
            CheckConstraint(
                condition=~Q(action__in=[ModerationAction.REJECT, ModerationAction.SEND_BACK]) | ~Q(note=""),
                name="%(app_label)s_%(class)s_reason_given",
            ),
        ]
        indexes = [models.Index(fields=["source", "-created"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.source}"

    def get_absolute_url(self):
        return self.source.get_absolute_url() + f"#decision-{self.pk}"
