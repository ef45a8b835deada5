"""The wiki's page kinds, and a page's state as plain values.

Every company, architecture, product, milestone, source, person and claim is a page:
it has a stable URL, an edit form, a history, diffs, revert, delete and undelete.
:data:`PAGE_KINDS` says, for each kind, what the generic machinery needs to know —
which fields an analyst edits, which of them are prose (merged paragraph by
paragraph), which are links to other pages — so editing, history and the API treat
every kind the same way.

A page's *state* is a dict of its editable fields as plain, comparable values
(foreign keys as ids, fuzzy dates as their canonical text, many-to-many links as
sorted id lists, a claim's citations as rows). The same dict is built from a live
object (:func:`page_state`) and from a stored revision (:func:`page_state_at`), so
diffs, three-way merges and reverts all compare like with like.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.module_loading import import_string

from intel.fuzzydates import FuzzyDate, FuzzyDateField

CITATION_FIELDS = ("source", "speaker", "quote", "translation", "locator")


@dataclass(frozen=True)
class PageKind:
    """One kind of page and what the generic wiki machinery needs to know about it."""

    key: str
    model_label: str
    namespace: str
    url_prefix: str
    lookup: str  # "slug" or "pk": what identifies the page in its URL
    title_field: str
    form_path: str
    fields: tuple[str, ...]
    text_fields: tuple[str, ...] = ("body",)
    has_citations: bool = False
    # Reverse relations that are part of the page and travel with it when it is
    # deleted or undeleted (a claim's citations and the relations it starts).
    owned_relations: tuple[str, ...] = field(default=())
    # Called for every change of a page of this kind, inside its revision, with ``page`` and
    # ``action`` (a ChangeAction): what the kind derives from its history (a milestone's targets).
    change_hook: str = ""
    # Reverse relations derived from the page's history (a milestone's targets): they go with the
    # page when it is deleted, never block the deletion, and the change hook rebuilds them on undelete.
    derived_relations: tuple[str, ...] = field(default=())
    # Fields that only make sense together (a target and the quote that states it): a concurrent edit
    # takes them from one side as a group, and two sides changing the group differently conflict.
    linked_fields: tuple[tuple[str, ...], ...] = field(default=())
    # Called before a save with the page and its state before ({} for a new page) and after (page_state);
    # raises ValidationError for an edit the kind's own rules refuse (a milestone's stale target citation).
    edit_check: str = ""

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def label_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def form_class(self):
        return import_string(self.form_path)

    def note_change(self, page, action: str) -> None:
        if self.change_hook:
            import_string(self.change_hook)(page=page, action=action)

    def check_edit(self, page, before: dict, after: dict) -> None:
        if self.edit_check:
            import_string(self.edit_check)(page=page, before=before, after=after)

    @cached_property
    def m2m_fields(self) -> tuple[str, ...]:
        return tuple(name for name in self.fields if self.field_type(name) == "m2m")

    @cached_property
    def fuzzy_fields(self) -> tuple[str, ...]:
        return tuple(name for name in self.fields if self.field_type(name) == "fuzzy")

    def field_type(self, name: str) -> str:
        attribute = getattr(self.model, name, None)
        if isinstance(attribute, FuzzyDateField):
            return "fuzzy"
        model_field = self.model._meta.get_field(name)
        if model_field.many_to_many:
            return "m2m"
        if model_field.many_to_one:
            return "fk"
        return "plain"

    def field_label(self, name: str) -> str:
        if name == "citations":
            return "citations"
        if self.field_type(name) == "fuzzy":
            return str(self.model._meta.get_field(f"{name}_date").verbose_name).removesuffix(" date")
        return str(self.model._meta.get_field(name).verbose_name)

    def url(self, action: str, key, **extra) -> str:
        """The URL of one of the page's views: detail, edit, history, diff, delete, watch, feed…"""
        return reverse(f"{self.namespace}:{self.key}_{action}", kwargs={self.lookup: key, **extra})

    def create_url(self) -> str:
        return reverse(f"{self.namespace}:{self.key}_create")

    def key_of(self, page) -> str:
        return str(getattr(page, self.lookup))

    def title_of(self, page) -> str:
        return str(page)


PAGE_KINDS: dict[str, PageKind] = {
    kind.key: kind
    for kind in (
        PageKind(
            key="company",
            model_label="companies.Company",
            namespace="companies",
            url_prefix="companies",
            lookup="slug",
            title_field="name",
            form_path="companies.forms.CompanyForm",
            fields=("name", "slug", "aliases", "kind", "country", "website", "founded", "tracked", "body"),
        ),
        PageKind(
            key="architecture",
            model_label="products.Architecture",
            namespace="products",
            url_prefix="architectures",
            lookup="slug",
            title_field="name",
            form_path="products.forms.ArchitectureForm",
            fields=("name", "slug", "vendor", "introduced", "body"),
        ),
        PageKind(
            key="product",
            model_label="products.Product",
            namespace="products",
            url_prefix="products",
            lookup="slug",
            title_field="name",
            form_path="products.forms.ProductForm",
            fields=("name", "slug", "vendor", "architecture", "kind", "predecessor", "status", "body"),
        ),
        PageKind(
            key="milestone",
            model_label="products.Milestone",
            namespace="products",
            url_prefix="milestones",
            lookup="pk",
            title_field="title",
            form_path="products.forms.MilestoneForm",
            fields=("title", "company", "product", "kind", "target", "target_citation", "actual", "status", "body"),
            change_hook="products.roadmap.milestone_note_target",
            derived_relations=("targets",),
            linked_fields=(("target", "target_citation"),),
            edit_check="products.roadmap.milestone_check_edit",
        ),
        PageKind(
            key="source",
            model_label="intel.Source",
            namespace="intel",
            url_prefix="sources",
            lookup="pk",
            title_field="title",
            form_path="intel.forms.SourceForm",
            fields=(
                "title",
                "title_en",
                "kind",
                "url",
                "publisher",
                "authors",
                "language",
                "published_date",
                "reliability",
                "body",
            ),
        ),
        PageKind(
            key="person",
            model_label="intel.Person",
            namespace="intel",
            url_prefix="people",
            lookup="slug",
            title_field="name",
            form_path="intel.forms.PersonForm",
            fields=("name", "slug", "aliases", "is_pseudonym", "affiliation", "role", "body"),
        ),
        PageKind(
            key="claim",
            model_label="intel.Claim",
            namespace="intel",
            url_prefix="claims",
            lookup="pk",
            title_field="statement",
            form_path="intel.forms.ClaimForm",
            fields=(
                "statement",
                "kind",
                "metric",
                "value",
                "unit",
                "period",
                "status",
                "credibility",
                "companies",
                "products",
                "milestones",
                "body",
            ),
            text_fields=("statement", "body"),
            has_citations=True,
            owned_relations=("citations", "relations_out", "relations_in"),
        ),
    )
}


def kind_for_model(model) -> PageKind | None:
    label = model._meta.label
    return next((kind for kind in PAGE_KINDS.values() if kind.model_label == label), None)


def kind_for_content_type_id(content_type_id: int) -> PageKind | None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return kind_for_model(model) if model else None


def content_type_of(kind: PageKind) -> ContentType:
    return ContentType.objects.get_for_model(kind.model)


# ---------------------------------------------------------------------------
# State: a page's editable fields as plain values


def plain_value(value):
    """A field value as a plain, comparable value: ids for objects, text for dates and numbers."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FuzzyDate):
        return str(value)
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.QuerySet | list | tuple | set) and kind_is_id_list(value):
        return sorted(item.pk if isinstance(item, models.Model) else item for item in value)
    return value


def kind_is_id_list(value) -> bool:
    return all(isinstance(item, models.Model | int) for item in value)


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def page_state(kind: PageKind, page, *, citations: list[dict] | None = None) -> dict:
    """The editable state of a live page (its many-to-many links and citations read from the database)."""
    state = {}
    for name in kind.fields:
        match kind.field_type(name):
            case "fk":
                state[name] = getattr(page, f"{name}_id")
            case "m2m":
                state[name] = sorted(getattr(page, name).values_list("pk", flat=True)) if page.pk else []
            case _:
                state[name] = plain_value(getattr(page, name))
    if kind.has_citations:
        state["citations"] = citations if citations is not None else citation_rows(page)
    return state


def citation_rows(claim) -> list[dict]:
    if not claim.pk:
        return []
    rows = claim.citations.order_by("pk").values("pk", "source_id", "speaker_id", "quote", "translation", "locator")
    return [_citation_row(row["pk"], row, suffix="_id") for row in rows]


def _citation_row(pk, values: dict, *, suffix: str) -> dict:
    return {
        "id": pk,
        "source": values[f"source{suffix}"],
        "speaker": values[f"speaker{suffix}"],
        "quote": values["quote"],
        "translation": values["translation"],
        "locator": values["locator"],
    }


def page_state_at(kind: PageKind, version, *, citations: list[dict] | None = None) -> dict:
    """The editable state stored in a reversion Version of the page (``citations``: already read, see below)."""
    stored = version.field_dict
    state = {}
    for name in kind.fields:
        match kind.field_type(name):
            case "fk":
                state[name] = stored.get(f"{name}_id")
            case "m2m":
                state[name] = sorted(stored.get(name) or [])
            case "fuzzy":
                date, precision = stored.get(f"{name}_date"), stored.get(f"{name}_precision")
                state[name] = str(FuzzyDate(date, precision)) if date and precision else None
            case _:
                state[name] = plain_value(stored.get(name))
    if kind.has_citations:
        state["citations"] = citations if citations is not None else citation_rows_at(version)
    return state


def page_states_at(kind: PageKind, versions) -> list[dict]:
    """page_state_at of many versions of one page; a claim's citations for all of them in one query."""
    if not kind.has_citations or not versions:
        return [page_state_at(kind, version) for version in versions]
    rows = _citation_rows_by_revision(int(versions[0].object_id), [version.revision_id for version in versions])
    return [page_state_at(kind, version, citations=rows[version.revision_id]) for version in versions]


def citation_rows_at(version) -> list[dict]:
    """The claim's citations as they were saved in the same revision as ``version``."""
    return _citation_rows_by_revision(int(version.object_id), [version.revision_id])[version.revision_id]


def _citation_rows_by_revision(claim_id: int, revision_ids: list[int]) -> dict[int, list[dict]]:
    """Revision id → the claim's citation rows saved in it (by id), read in one query."""
    from reversion.models import Version

    from intel.models import Citation

    rows: dict[int, list[dict]] = {revision_id: [] for revision_id in revision_ids}
    for citation_version in Version.objects.get_for_model(Citation).filter(revision_id__in=revision_ids):
        stored = citation_version.field_dict
        if stored.get("claim_id") == claim_id:
            rows[citation_version.revision_id].append(
                _citation_row(int(citation_version.object_id), stored, suffix="_id")
            )
    for revision_rows in rows.values():
        revision_rows.sort(key=lambda row: row["id"])
    return rows


def page_size(kind: PageKind, state: dict) -> int:
    """Characters of page text, as history shows it: the text of every value, citations included;
    links to other pages and yes/no fields are not text and count nothing."""
    size = 0
    for name, value in state.items():
        if name == "citations":
            size += sum(len(row["quote"]) + len(row["translation"]) + len(row["locator"]) for row in value)
        elif kind.field_type(name) in ("fk", "m2m") or isinstance(value, bool) or value in (None, ""):
            continue
        elif isinstance(value, list):
            size += sum(len(str(item)) for item in value)
        else:
            size += len(str(value))
    return size


MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """An id typed in a URL or a form, or None: ASCII digits only ("²" is a digit to Python
    but not a number to int()), and no larger than the databases' 64-bit integers."""
    text = str(value or "").strip()
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
