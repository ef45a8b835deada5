"""The search index: one entry per page, kept current on every save (see search/indexing.py)."""

from django.db import models


class SearchEntry(models.Model):
    """One page as search sees it: its tokens by weight (with its key and title, for people reading the table).

    The tokens are made in Python (search/text.py). The databases index them: on PostgreSQL a
    generated, weighted ``tsvector`` column with a GIN index; on SQLite an FTS5 table kept in
    step by triggers. Neither is a model field: both are made by this app's migrations.
    """

    kind = models.CharField(max_length=16, help_text="The page kind: company, product, claim…")
    object_id = models.BigIntegerField()
    key = models.CharField(max_length=200, help_text="The page's slug or id in its URL.")
    title = models.CharField(max_length=500)
    # Weights, highest first: A names and titles, B claim statements, C quotes, translations and
    # related names, D bodies and archived copies.
    tokens_a = models.TextField(blank=True)
    tokens_b = models.TextField(blank=True)
    tokens_c = models.TextField(blank=True)
    tokens_d = models.TextField(blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="%(app_label)s_%(class)s_one_per_page"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.title}"


class SearchName(models.Model):
    """A name or alias of a page, or one word of it, for exact and typo-tolerant name matches."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.DB_CASCADE, related_name="names")
    name = models.CharField(max_length=300, help_text="Folded, words unstemmed (search.text.name_key).")
    whole = models.BooleanField(default=True, help_text="The whole name, not one word of it.")
    words = models.PositiveSmallIntegerField(default=1, help_text="Typos are looked for among names of as many words.")

    class Meta:
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name
