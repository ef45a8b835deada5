"""Choices for the evidence app: sources, claims, citations and their states."""

from django.db import models


class Precision(models.TextChoices):
    """How much of a fuzzy date is known. Ordered from finest to coarsest."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    HALF = "half", "Half-year"
    YEAR = "year", "Year"


class SourceKind(models.TextChoices):
    ARTICLE = "article", "Article"
    FILING = "filing", "Filing"
    EARNINGS_CALL = "earnings_call", "Earnings call"
    KEYNOTE = "keynote", "Keynote"
    PRESS_RELEASE = "press_release", "Press release"
    REPORT = "report", "Report"
    INTERVIEW = "interview", "Interview"
    OTHER = "other", "Other"


class Reliability(models.TextChoices):
    """Source reliability on the Admiralty (NATO) scale."""

    A = "A", "A: completely reliable"
    B = "B", "B: usually reliable"
    C = "C", "C: fairly reliable"
    D = "D", "D: not usually reliable"
    E = "E", "E: unreliable"
    F = "F", "F: reliability cannot be judged"


class Credibility(models.IntegerChoices):
    """Information credibility on the Admiralty (NATO) scale."""

    CONFIRMED = 1, "1: confirmed by other sources"
    PROBABLY_TRUE = 2, "2: probably true"
    POSSIBLY_TRUE = 3, "3: possibly true"
    DOUBTFUL = 4, "4: doubtful"
    IMPROBABLE = 5, "5: improbable"
    CANNOT_JUDGE = 6, "6: truth cannot be judged"


class ModerationState(models.TextChoices):
    """Whether a source counts: moderators approve or reject it, or send it back to be fixed first."""

    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SENT_BACK = "sent_back", "Sent back"


class ModerationAction(models.TextChoices):
    """What one entry of a source's moderation log did."""

    APPROVE = "approve", "Approved"
    REJECT = "reject", "Rejected"
    SEND_BACK = "send_back", "Sent back"
    RESUBMIT = "resubmit", "Resubmitted"
    RATE = "rate", "Rated reliability"


class SnapshotOrigin(models.TextChoices):
    """How an archived copy of a source came in."""

    UPLOAD = "upload", "Uploaded file"
    PASTE = "paste", "Pasted text"
    IMPORT = "import", "Imported (import_source)"
    API = "api", "Through the API"


class ClaimKind(models.TextChoices):
    FACT = "fact", "Fact"
    METRIC = "metric", "Metric"
    FORECAST = "forecast", "Forecast"
    OPINION = "opinion", "Opinion"
    PLAN = "plan", "Plan"


class ClaimStatus(models.TextChoices):
    UNVERIFIED = "unverified", "Unverified"
    CORROBORATED = "corroborated", "Corroborated"
    DISPUTED = "disputed", "Disputed"
    RETRACTED = "retracted", "Retracted"
    SUPERSEDED = "superseded", "Superseded"


# A claim in one of these states no longer stands: not drawn on charts, not an open dispute, not "recent".
SETTLED_CLAIM_STATUSES = (ClaimStatus.RETRACTED, ClaimStatus.SUPERSEDED)


class VerificationState(models.TextChoices):
    """Whether a citation's quote was found in its source's snapshot."""

    UNCHECKED = "unchecked", "Not checked yet"
    VERIFIED = "verified", "Verified"
    NORMALISED = "normalised", "Verified after normalisation"
    APPROXIMATE = "approximate", "Approximate match"
    AMBIGUOUS = "ambiguous", "Ambiguous"
    NOT_FOUND = "not_found", "Not found"
    NO_SNAPSHOT = "no_snapshot", "No snapshot"


class ClaimRelationKind(models.TextChoices):
    """How one claim stands to another ("A contradicts B", "A breaks down B")."""

    SUPPORTS = "supports", "supports"
    CONTRADICTS = "contradicts", "contradicts"
    SUPERSEDES = "supersedes", "supersedes"
    BREAKS_DOWN = "breaks_down", "breaks down"


class Role(models.TextChoices):
    """The wiki's roles; each is a Django group of the same name."""

    READER = "reader", "Reader"
    ANALYST = "analyst", "Analyst"
    MODERATOR = "moderator", "Moderator"
    ADMIN = "admin", "Admin"


class ChangeAction(models.TextChoices):
    """What one save did to a page, as history and recent changes show it."""

    CREATE = "create", "Created"
    EDIT = "edit", "Edited"
    REVERT = "revert", "Reverted"
    DELETE = "delete", "Deleted"
    UNDELETE = "undelete", "Undeleted"
