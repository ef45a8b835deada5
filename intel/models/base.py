"""Pieces every model of the wiki shares."""

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
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


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """JSON with non-ASCII text kept as itself (英偉達, not \\u82f1…): SQLite stores JSON as text, and
    only then does matching on it (aliases__icontains) find Chinese names as PostgreSQL does."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


def validate_text_list(value) -> None:
    """A JSON list of names (aliases, authors) holds plain texts: PostgreSQL's jsonb cannot store a NUL
    character, and a value of another shape would break every page that lists them."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("Give a list of texts.", code="invalid")
    if any("\x00" in item for item in value):
        raise ValidationError("Null characters are not allowed.", code="null_characters_not_allowed")
