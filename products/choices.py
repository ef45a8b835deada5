"""Choices for architectures, products and milestones."""

from django.db import models


class ProductKind(models.TextChoices):
    GPU = "gpu", "GPU"
    CPU = "cpu", "CPU"
    ACCELERATOR = "accelerator", "Accelerator (ASIC)"
    SYSTEM = "system", "System / rack"
    INTERCONNECT = "interconnect", "Interconnect"
    NETWORKING = "networking", "Networking"
    SOFTWARE = "software", "Software"
    SERVICE = "service", "Service"


class LifecycleStatus(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    SAMPLING = "sampling", "Sampling"
    IN_PRODUCTION = "in_production", "In production"
    SHIPPING = "shipping", "Shipping"
    END_OF_LIFE = "end_of_life", "End of life"
    CANCELLED = "cancelled", "Cancelled"


class MilestoneKind(models.TextChoices):
    ANNOUNCE = "announce", "Announcement"
    SAMPLE = "sample", "Sampling"
    VOLUME_PRODUCTION = "volume_production", "Volume production"
    SHIP = "ship", "First shipments"
    GA = "ga", "General availability"
    END_OF_LIFE = "end_of_life", "End of life"
    OTHER = "other", "Other"


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    DELAYED = "delayed", "Delayed"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


# A milestone in one of these states is behind us: not "upcoming", never overdue.
CLOSED_MILESTONE_STATUSES = (MilestoneStatus.DONE, MilestoneStatus.CANCELLED)


class TargetChange(models.TextChoices):
    """How a milestone's new target stands to the one before it (see products.roadmap)."""

    DATED = "dated", "first dated"
    SLIPPED = "slipped", "slipped"
    PULLED_IN = "pulled_in", "pulled in"
    NARROWED = "narrowed", "narrowed"
    WIDENED = "widened", "widened"
    RESTATED = "restated", "restated"
    UNDATED = "undated", "date withdrawn"
