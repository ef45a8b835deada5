"""Pieces every model of the wiki shares."""

from django.db import models

from intel.choices import Precision

# The precision column of a fuzzy date (see intel.fuzzydates); "" when there is no date.
PRECISION_FIELD_OPTIONS = {"max_length": 8, "choices": Precision.choices, "blank": True, "default": ""}


class TimeStampedModel(models.Model):
    """Creation and last-change times; who changed what is in the revision history."""

    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True
