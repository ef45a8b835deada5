"""Edit forms of the wiki's pages, and the pieces every page form shares.

Forms only turn what was typed into values and say what is wrong with it, next to
the field; the services in :mod:`intel.editing` decide and write. Every page form
carries the revision it started from (``base_revision``) and an edit summary.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html

from companies.models import Company
from intel.choices import ClaimStatus, ModerationAction, ModerationState, Reliability
from intel.extraction import (
    ENCODINGS,
    ExtractedText,
    ExtractionError,
    extract_paste,
    extract_upload,
    refuse_oversize,
)
from intel.fuzzydates import ACCEPTED_FORMS, FuzzyDate
from intel.models import Citation, Claim, Person, Source
from intel.moderation import DECISIONS
from intel.pages import MAX_ID, PAGE_KINDS, parse_id
from intel.roles import can_moderate


class FuzzyDateFormField(forms.CharField):
    """A fuzzy date typed as text: "2025", "2025-H2", "2025-Q3", "2025-03" or "2025-03-24"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", f"A date as precise as known: {ACCEPTED_FORMS}.")
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", "20")

    def prepare_value(self, value):
        return str(value) if isinstance(value, FuzzyDate) else value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > 20:
            raise forms.ValidationError(f"Too long for a date; use {ACCEPTED_FORMS}.", code="max_length")
        try:
            return FuzzyDate.parse(text)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class LinesField(forms.CharField):
    """A list of short texts (aliases, authors), one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "One per line.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value) or ""
        lines = [line.strip() for line in text.splitlines()]
        return list(dict.fromkeys(line for line in lines if line))


class PageChoiceField(forms.ModelChoiceField):
    """A link to another page; an id that cannot be one ("²", 30 digits) is an invalid choice, not a 500."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(value) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class PageMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            if parse_id(item) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(item)[:20]}
                )
        return super()._check_values(value)


def use_page_choice_fields(form) -> None:
    """Links to other pages in ``form`` take only ids that can exist (the fields' classes, narrowed)."""
    for field in form.fields.values():
        if type(field) is forms.ModelChoiceField:
            field.__class__ = PageChoiceField
        elif type(field) is forms.ModelMultipleChoiceField:
            field.__class__ = PageMultipleChoiceField


class AutocompleteMixin:
    """A select that lists only its selected options and is filled as the analyst types.

    Without JavaScript it is a plain select of what is chosen; static/js/intel.js adds
    a search box that asks ``/lookup/<kind>/?q=`` and offers the matches, so a form
    never lists 100,000 sources.
    """

    def __init__(self, lookup_kind: str, attrs=None):
        super().__init__(attrs)
        self.lookup_kind = lookup_kind

    def optgroups(self, name, value, attrs=None):
        field = self.choices.field
        selected = {str(item) for item in value if str(item) not in field.empty_values}
        options = []
        if not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "—", not selected, 0))
        ids = [parse_id(item) for item in selected if parse_id(item) is not None]
        chosen = field.queryset.filter(pk__in=ids) if ids else []
        for index, obj in enumerate(chosen, start=1):
            options.append(self.create_option(name, str(obj.pk), field.label_from_instance(obj), True, index))
        return [(None, options, 0)]

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        input_id = f"{(attrs or {}).get('id', name)}-search"
        kind = PAGE_KINDS[self.lookup_kind]
        return format_html(
            '<div class="autocomplete" data-lookup="{}">'
            '<input type="search" id="{}" class="autocomplete-search" placeholder="Type to search {}…" '
            'autocomplete="off" aria-label="Search {}" hidden>{}</div>',
            reverse("lookup", kwargs={"kind": self.lookup_kind}),
            input_id,
            kind.label_plural,
            kind.label_plural,
            select,
        )


class AutocompleteSelect(AutocompleteMixin, forms.Select):
    pass


class AutocompleteSelectMultiple(AutocompleteMixin, forms.SelectMultiple):
    pass


class PageForm(forms.ModelForm):
    """What every page form shares: the revision it started from, an edit summary, fuzzy dates, size limits."""

    page_kind = ""  # a key of PAGE_KINDS

    base_revision = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    summary = forms.CharField(
        label="Edit summary", required=False, max_length=300, help_text="Briefly, what you changed and why."
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        # Declared fields (fuzzy dates) in their place among the model's fields, as the page lists them.
        self.order_fields([*self.kind.fields, "summary"])
        use_page_choice_fields(self)
        for name in self.kind.fuzzy_fields:
            if self.instance.pk and name not in self.initial:
                self.initial[name] = getattr(self.instance, name)

    @property
    def kind(self):
        return PAGE_KINDS[self.page_kind]

    def clean(self):
        cleaned = super().clean()
        limit = settings.INTEL_MAX_BODY_BYTES
        for name in self.kind.text_fields:
            text = cleaned.get(name) or ""
            if len(text.encode()) > limit:
                self.add_error(
                    name,
                    f"This text is {len(text.encode()):,} bytes; the limit is {limit:,}. Shorten it or split the page.",
                )
        # Fuzzy dates are two columns on the model; set them so the model's own checks see them.
        for name in self.kind.fuzzy_fields:
            if name in cleaned:
                setattr(self.instance, name, cleaned[name])
        return cleaned

    def add_error(self, field, error):
        """Errors the model reports on a fuzzy date's columns show at the date's one field;
        errors on fields the form does not have show at the top of the form."""
        if field is None and isinstance(error, forms.ValidationError) and hasattr(error, "error_dict"):
            renamed: dict[str, list] = {}
            for name, errors in error.error_dict.items():
                renamed.setdefault(self._form_field_for(name), []).extend(errors)
            error = forms.ValidationError(renamed)
        elif field is not None:
            field = self._form_field_for(field)
        super().add_error(field, error)

    def _form_field_for(self, name: str) -> str:
        for fuzzy in self.kind.fuzzy_fields:
            if name in (f"{fuzzy}_date", f"{fuzzy}_precision"):
                name = fuzzy
        return name if name in self.fields else NON_FIELD_ERRORS

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        for name in self.kind.fuzzy_fields:
            exclusions.discard(f"{name}_date")
            exclusions.discard(f"{name}_precision")
        return exclusions

    def page_values(self) -> dict:
        """The submitted value of every page field, for the editing services."""
        return {name: self.cleaned_data[name] for name in self.kind.fields if name in self.cleaned_data}


class SourceForm(PageForm):
    page_kind = "source"

    authors = LinesField()

    class Meta:
        model = Source
        fields = ["title", "title_en", "kind", "url", "publisher", "authors", "language", "published_date"]
        fields += ["reliability", "body"]
        widgets = {"published_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_moderate(self.user):
            self.fields["reliability"].disabled = True
            self.fields["reliability"].help_text = "Moderators rate sources."


class PersonForm(PageForm):
    page_kind = "person"

    aliases = LinesField()

    class Meta:
        model = Person
        fields = ["name", "slug", "aliases", "is_pseudonym", "affiliation", "role", "body"]
        widgets = {"affiliation": AutocompleteSelect("company")}


class ClaimForm(PageForm):
    page_kind = "claim"

    period = FuzzyDateFormField(help_text="For metrics: the period the value is about, e.g. 2024 or 2025-Q3.")

    class Meta:
        model = Claim
        fields = ["statement", "kind", "metric", "value", "unit", "status", "credibility"]
        fields += ["companies", "products", "milestones", "body"]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "companies": AutocompleteSelectMultiple("company"),
            "products": AutocompleteSelectMultiple("product"),
            "milestones": AutocompleteSelectMultiple("milestone"),
        }


class CitationForm(forms.ModelForm):
    """One citation row: pick a source, or describe a new one that starts pending moderation."""

    new_source_title = forms.CharField(label="New source: title", required=False, max_length=500)
    new_source_url = forms.URLField(label="New source: URL", required=False, max_length=2000, assume_scheme="https")
    new_source_publisher = forms.CharField(label="New source: publisher", required=False, max_length=200)

    class Meta:
        model = Citation
        fields = ["source", "speaker", "quote", "translation", "locator"]
        widgets = {
            "source": AutocompleteSelect("source"),
            "speaker": AutocompleteSelect("person"),
            "quote": forms.Textarea(attrs={"rows": 2}),
            "translation": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].required = False
        use_page_choice_fields(self)

    def clean(self):
        cleaned = super().clean()
        title = cleaned.get("new_source_title")
        if cleaned.get("source") and title:
            self.add_error("new_source_title", "Pick an existing source or describe a new one, not both.")
        elif not cleaned.get("source") and not title and not cleaned.get("DELETE"):
            self.add_error("source", "Pick a source, or give the title of a new one below.")
        url = cleaned.get("new_source_url")
        if title and url and Source.objects.filter(url=url).exists():
            self.add_error("new_source_url", "A source with this URL exists already: pick it above.")
        return cleaned

    def _post_clean(self):
        # The source may be a new one, created by the service; the model's own check would refuse a blank source.
        if self.cleaned_data.get("source") or not self.cleaned_data.get("new_source_title"):
            super()._post_clean()

    def row(self) -> dict:
        """The citation as the editing services take it."""
        row = {name: self.cleaned_data.get(name) for name in ("source", "speaker", "quote", "translation", "locator")}
        # The id as submitted: a citation someone removed since the form was opened is still
        # named, so the three-way merge can tell "removed by them" from "edited by me".
        row["id"] = self.instance.pk or self.cleaned_data.get("id")
        if self.cleaned_data.get("new_source_title"):
            row["source"] = None
            row["new_source"] = {
                "title": self.cleaned_data["new_source_title"],
                "url": self.cleaned_data.get("new_source_url") or "",
                "publisher": self.cleaned_data.get("new_source_publisher") or "",
            }
        return row


class BaseCitationFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Django checks a row's id against the citations that exist now; a citation removed by
        # another analyst meanwhile would make the form unsavable. The editing service decides.
        existing = None if form.instance._state.adding else form.instance.pk
        form.fields["id"] = forms.IntegerField(
            required=False, min_value=1, max_value=MAX_ID, initial=existing, widget=forms.HiddenInput
        )

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [form for form in self.forms if form.has_changed() or form.instance.pk]
        if not [form for form in rows if not self._should_delete_form(form)]:
            raise forms.ValidationError("A claim needs at least one citation to a source.")

    def rows(self) -> list[dict]:
        return [
            form.row()
            for form in self.forms
            if (form.has_changed() or form.instance.pk) and not self._should_delete_form(form)
        ]


CitationFormSet = inlineformset_factory(
    Claim, Citation, form=CitationForm, formset=BaseCitationFormSet, extra=1, can_delete=True, max_num=200
)


def form_data_for_state(kind, state: dict, *, claim_id=None, base_revision=None, summary: str = "") -> QueryDict:
    """POST data that a page form would send for ``state``: used to show the merged edit again
    after a conflict, so the analyst resolves only what clashed and saves everything else as merged."""
    data = QueryDict(mutable=True)
    for name in kind.fields:
        value = state.get(name)
        field_type = kind.field_type(name)
        if field_type == "m2m":
            data.setlist(name, [str(pk) for pk in value or []])
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list):
            data[name] = "\n".join(str(item) for item in value)
        else:
            data[name] = "" if value is None else str(value)
    data["base_revision"] = str(base_revision or "")
    data["summary"] = summary
    if kind.has_citations:
        existing = set(Citation.objects.filter(claim_id=claim_id).values_list("pk", flat=True)) if claim_id else set()
        rows = sorted(state.get("citations", []), key=lambda row: row.get("id") not in existing)
        prefix = "citations"
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(sum(1 for row in rows if row.get("id") in existing))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for index, row in enumerate(rows):
            row_prefix = f"{prefix}-{index}"
            data[f"{row_prefix}-id"] = str(row["id"]) if row.get("id") in existing else ""
            data[f"{row_prefix}-claim"] = str(claim_id or "")
            for name in ("source", "speaker", "quote", "translation", "locator"):
                value = row.get(name)
                data[f"{row_prefix}-{name}"] = "" if value is None else str(value)
            new_source = row.get("new_source") or {}
            for name in ("title", "url", "publisher"):
                data[f"{row_prefix}-new_source_{name}"] = new_source.get(name, "")
    return data


class SnapshotForm(forms.Form):
    """Archive a source's text: upload the file as published (HTML or plain text) or paste the text.

    The text is extracted and decoded here, so a bad file is a form error next to the
    field; the service then only stores what was accepted.
    """

    file = forms.FileField(
        required=False,
        label="File",
        help_text="HTML (its main text is extracted) or plain text in UTF-8, GBK/GB18030, Big5…",
    )
    encoding = forms.ChoiceField(
        choices=ENCODINGS,
        required=False,
        label="Encoding",
        help_text="Of a plain-text file; detected when left as it is.",
    )
    text = forms.CharField(
        required=False, strip=False, label="…or paste the text", widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.extracted: ExtractedText | None = None
        self.original = b""

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if upload and text.strip():
            raise forms.ValidationError("Upload a file or paste the text, not both.")
        if not upload and not text.strip():
            if self.has_error("file"):  # Django's own message (e.g. "The submitted file is empty.") says it
                return cleaned
            raise forms.ValidationError("Choose a file to upload, or paste the source's text.")
        try:
            if upload:
                self.original = self._read(upload)
                self.extracted = extract_upload(
                    self.original,
                    filename=upload.name or "",
                    content_type=getattr(upload, "content_type", "") or "",
                    encoding=cleaned.get("encoding") or "",
                    max_bytes=self.max_bytes,
                )
            else:
                self.extracted = extract_paste(text, max_bytes=self.max_bytes)
                self.original = text.encode()
        except ExtractionError as error:
            field = "file" if upload else "text"
            self.add_error("encoding" if error.code == "encoding_mismatch" else field, str(error))
        return cleaned

    def _read(self, upload) -> bytes:
        refuse_oversize(upload.size, max_bytes=self.max_bytes)  # before reading a hundred megabytes into memory
        return upload.read()


class ModerationForm(forms.Form):
    """One decision about one source (the service checks who may and from which state)."""

    action = forms.ChoiceField(choices=[(action.value, action.label) for action in DECISIONS], widget=forms.HiddenInput)
    reliability = forms.ChoiceField(choices=[("", "Keep the rating"), *Reliability.choices], required=False)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    expected_state = forms.ChoiceField(choices=ModerationState.choices, required=False, widget=forms.HiddenInput)


class IdListField(forms.Field):
    """Several ids from checkboxes of the same name (all must be ids)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        ids = [parse_id(item) for item in values]
        if any(item is None for item in ids):
            raise forms.ValidationError("Those are not sources of the queue.")
        return sorted(set(ids))


class BulkModerationForm(forms.Form):
    """The same decision about every selected source in the queue."""

    sources = IdListField(error_messages={"required": "Select at least one source."})
    action = forms.ChoiceField(
        choices=[(action.value, action.label) for action in DECISIONS if action != ModerationAction.RESUBMIT]
    )
    reliability = forms.ChoiceField(choices=[("", "Keep the rating"), *Reliability.choices], required=False)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ClaimStatusForm(forms.Form):
    """Move a claim to another status; the workflow's rules decide (intel.workflow)."""

    status = forms.ChoiceField(choices=ClaimStatus.choices)
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    override = forms.BooleanField(
        required=False, label="Moderator override: set it against the rule, for the reason given"
    )


class RollbackForm(forms.Form):
    """Which of a user's edits to roll back: everything they saved from ``since`` (to ``until``)."""

    since = forms.DateTimeField(
        label="From", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), help_text="UTC."
    )
    until = forms.DateTimeField(
        label="Until",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="UTC; leave empty for up to now.",
    )
    summary = forms.CharField(required=False, max_length=500, label="Edit summary")

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The end of the window is before its start.")
        return cleaned


class MetricFilterForm(forms.Form):
    """The page's GET filter: a company (by slug) and a metric, each chosen from those that have series."""

    company = forms.ChoiceField(required=False, error_messages={"invalid_choice": "There is no company “%(value)s”."})
    metric = forms.ChoiceField(required=False, error_messages={"invalid_choice": "No claim measures “%(value)s” yet."})

    def __init__(self, data, *, companies: list[Company], metrics: list[str]):
        super().__init__(data)
        self.fields["company"].choices = [("", "All companies"), *((c.slug, c.name) for c in companies)]
        self.fields["metric"].choices = [("", "All metrics"), *((metric, metric) for metric in metrics)]
