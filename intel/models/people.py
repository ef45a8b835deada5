from django.db import models
from django.db.models import CheckConstraint, Q

from intel.fragments import cached_url
from intel.models.base import TimeStampedModel, UnicodeJSONEncoder, validate_text_list


class Person(TimeStampedModel):
    """A Person is someone a source quotes, described as the source describes them.

    Sources often quote people under pseudonyms; ``is_pseudonym`` says so, and the
    name is then the pseudonym, never a guess at the real name.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    aliases = models.JSONField(
        encoder=UnicodeJSONEncoder,
        default=list,
        blank=True,
        validators=[validate_text_list],
        help_text="Other spellings, e.g. the name in Chinese.",
    )
    is_pseudonym = models.BooleanField(default=False)
    affiliation = models.ForeignKey(
        "companies.Company", on_delete=models.SET_NULL, null=True, blank=True, related_name="people"
    )
    role = models.CharField(max_length=300, blank=True, help_text="As the source describes it.")
    body = models.TextField(blank=True, help_text="Markdown.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            CheckConstraint(condition=~Q(name=""), name="%(app_label)s_%(class)s_name_not_empty"),
            CheckConstraint(condition=~Q(slug=""), name="%(app_label)s_%(class)s_slug_not_empty"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_url("intel:person_detail", "slug", self.slug)
