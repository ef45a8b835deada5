"""Admin for the evidence app; moderation actions call the same services as the app."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from reversion.admin import VersionAdmin

from companies.models import CompanyRelation
from intel import editing
from intel.choices import ChangeAction, ModerationAction, Reliability
from intel.models import Citation, Claim, ClaimRelation, ModerationDecision, Person, Snapshot, Source
from intel.moderation import note_source_saved, sources_moderate
from intel.pages import kind_for_model, page_state
from intel.revisions import register_models
from intel.roles import can_moderate
from intel.services import ANCHOR_FIELDS, citation_anchor

RELATION_MODELS = (CompanyRelation, ClaimRelation)


class PageAdmin(VersionAdmin):
    """Admin of a wiki page kind: saves and deletions show in the wiki's history like any edit.

    VersionAdmin records the revision of a save; this adds its Change line. Deleting
    goes through the wiki's own delete (a revision, undeletable), and is refused
    while other pages refer to the page, as in the wiki.
    """

    def _reversion_autoregister(self, model, follow):
        """What a revision holds is the wiki's choice (intel.revisions), not the inlines': VersionAdmin would
        register Company following its relations, and each company edit would serialize all of them."""
        register_models()

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The admin's form also applies the kind's own edit rules (a milestone's target and its quote)."""
        form_class = super().get_form(request, obj, change=change, **kwargs)
        kind = kind_for_model(self.model)

        class PageRulesForm(form_class):
            def _post_clean(self):
                before = page_state(kind, self.instance) if self.instance.pk else {}
                super()._post_clean()
                if not self.errors:
                    try:
                        kind.check_edit(self.instance, before, page_state(kind, self.instance))
                    except ValidationError as error:
                        self._update_errors(error)

        return form_class if not kind.edit_check else PageRulesForm

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        editing.record_change(page=form.instance, created=not change)

    # django-reversion's own revert and recover screens would restore a page without the wiki's rules
    # (a revert that discounts a vandal's slips, an undelete that rebuilds derived rows): they send
    # the moderator to the wiki's history and undelete instead.
    def revision_view(self, request, object_id, version_id, extra_context=None):
        kind = kind_for_model(self.model)
        page = self.get_object(request, object_id)
        if page is None:
            return redirect("admin:index")
        messages.info(request, "Revert from the wiki's history: it records the revert with the wiki's rules.")
        return redirect(kind.url("history", kind.key_of(page)))

    def recover_view(self, request, version_id, extra_context=None):
        messages.info(request, "Undelete from the wiki's recent changes: the deletion there has an Undelete link.")
        return redirect("recent_changes")

    def recoverlist_view(self, request, extra_context=None):
        return self.recover_view(request, None)

    def save_formset(self, request, form, formset, change):
        """Relations edited inline (a company's relations, a claim's links) get their Change lines too;
        citations edited inline are looked up in their source's archived text, as everywhere else."""
        # Deleting clears an object's pk, so the deleted ones are noted with the pk they had.
        deleted = [(f.instance, f.instance.pk) for f in formset.deleted_forms if f.instance.pk]
        super().save_formset(request, form, formset, change)
        if formset.model is Citation:
            for citation in [*formset.new_objects, *(obj for obj, _ in formset.changed_objects)]:
                citation_anchor(citation, snapshot=editing.current_snapshot(citation.source_id))
                citation.save(update_fields=ANCHOR_FIELDS)
        if formset.model in RELATION_MODELS:
            for relation in formset.new_objects:
                editing.note_relation_change(relation, ChangeAction.CREATE)
            for relation, _ in formset.changed_objects:
                editing.note_relation_change(relation, ChangeAction.EDIT)
            for relation, pk in deleted:
                editing.note_relation_change(relation, ChangeAction.DELETE, pk=pk)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        kind = kind_for_model(self.model)
        for obj in objs:
            protected += [f"{obj}: {blocker}" for blocker in editing.deletion_blockers(kind, obj)]
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        editing.page_delete(kind=kind_for_model(self.model), page=obj, author=request.user, summary="Deleted in admin")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class RelationAdmin(VersionAdmin):
    """Admin of a relation (company or claim relation): its saves and deletions reach the change feed."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        editing.note_relation_change(form.instance, ChangeAction.EDIT if change else ChangeAction.CREATE)

    def delete_model(self, request, obj):
        editing.relation_delete(relation=obj, author=request.user, summary="Deleted in admin")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class CitationInline(admin.StackedInline):
    model = Citation
    extra = 0
    min_num = 1
    validate_min = True
    autocomplete_fields = ["source", "speaker"]
    fields = ["source", "speaker", "quote", "translation", "locator", "verification"]
    readonly_fields = ["verification"]


class ClaimRelationInline(admin.TabularInline):
    model = ClaimRelation
    fk_name = "from_claim"
    extra = 0
    autocomplete_fields = ["to_claim"]


@admin.register(Claim)
class ClaimAdmin(PageAdmin):
    # The status moves by the workflow's rules, with a reason: on the claim's page or through the API.
    readonly_fields = ["status", "status_note"]
    list_display = ["__str__", "kind", "metric", "value", "unit", "period_date", "status", "credibility", "updated"]
    list_filter = ["kind", "status", "credibility", "companies"]
    search_fields = ["statement", "metric", "citations__quote", "citations__translation"]
    autocomplete_fields = ["companies", "products", "milestones"]
    inlines = [CitationInline, ClaimRelationInline]
    date_hierarchy = "created"


@admin.register(Citation)
class CitationAdmin(VersionAdmin):
    """Citations are read here and edited on their claim, so a claim and its citations stay one revision."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    list_display = ["__str__", "claim", "speaker", "locator", "verification"]
    list_filter = ["verification", "source__language"]
    search_fields = ["quote", "translation", "claim__statement", "source__title"]
    autocomplete_fields = ["claim", "source", "speaker"]
    list_select_related = ["claim", "source", "speaker"]


@admin.register(ClaimRelation)
class ClaimRelationAdmin(RelationAdmin):
    list_display = ["from_claim", "kind", "to_claim"]
    list_filter = ["kind"]
    search_fields = ["from_claim__statement", "to_claim__statement", "note"]
    autocomplete_fields = ["from_claim", "to_claim"]


@admin.register(Person)
class PersonAdmin(PageAdmin):
    list_display = ["name", "is_pseudonym", "affiliation", "role"]
    list_filter = ["is_pseudonym"]
    search_fields = ["name", "aliases", "role"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["affiliation"]


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label="Reason or request", widget=forms.Textarea, help_text="Shown on the source page and in the queue."
    )


@admin.register(Source)
class SourceAdmin(PageAdmin):
    list_display = [
        "title",
        "publisher",
        "published_date",
        "language",
        "reliability",
        "moderation_state",
        "moderated_by",
    ]
    list_filter = ["moderation_state", "reliability", "kind", "language"]
    search_fields = ["title", "title_en", "publisher", "url"]
    readonly_fields = [
        "moderation_state",
        "moderated_by",
        "moderated_at",
        "moderation_note",
        "submitted_by",
        "snapshot",
    ]
    date_hierarchy = "published_date"
    actions = ["approve_sources", "reject_sources", "send_back_sources"]

    @admin.action(description="Approve selected sources", permissions=["moderate"])
    def approve_sources(self, request, queryset):
        self._decide(request, queryset, ModerationAction.APPROVE, note="")

    @admin.action(description="Reject selected sources (with a reason)", permissions=["moderate"])
    def reject_sources(self, request, queryset):
        """Asks for a reason on an intermediate page, then rejects every selected source."""
        return self._decide_with_note(request, queryset, ModerationAction.REJECT)

    @admin.action(description="Send selected sources back (with what to fix)", permissions=["moderate"])
    def send_back_sources(self, request, queryset):
        return self._decide_with_note(request, queryset, ModerationAction.SEND_BACK)

    def _decide_with_note(self, request, queryset, action: ModerationAction):
        form = RejectionForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            self._decide(request, queryset, action, note=form.cleaned_data["reason"])
            return None
        verb = "Reject" if action == ModerationAction.REJECT else "Send back"
        context = {
            **self.admin_site.each_context(request),
            "title": f"{verb} sources",
            "verb": verb,
            "action_name": "reject_sources" if action == ModerationAction.REJECT else "send_back_sources",
            "form": form,
            "sources": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/intel/source/reject_sources.html", context)

    def _decide(self, request, queryset, action: ModerationAction, *, note: str) -> None:
        """The moderation service's decision for every selected source, all or none."""
        try:
            done = sources_moderate(sources=queryset.order_by("pk"), moderator=request.user, action=action, note=note)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(
                request, "Nothing was changed: " + "; ".join(getattr(error, "messages", [str(error)])), messages.ERROR
            )
            return
        self.message_user(request, f"{action.label} {len(done)} source(s).", messages.SUCCESS)

    def has_moderate_permission(self, request):
        return request.user.has_perm("intel.moderate_source")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("moderated_by")

    def get_inlines(self, request, obj):
        return [SnapshotInline, DecisionInline] if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        # Only moderators rate sources, here as in the wiki; their ratings go to the decision log.
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if can_moderate(request.user) else [*readonly, "reliability"]

    def save_model(self, request, obj, form, change):
        before = Source.objects.filter(pk=obj.pk).values_list("reliability", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        note_source_saved(source=obj, author=request.user, reliability_before=before or Reliability.F)


class DecisionInline(admin.TabularInline):
    """The source's moderation log, read-only: decisions are made with the actions of the source list."""

    model = ModerationDecision
    fields = ["created", "moderator", "action", "state_before", "state_after", "reliability_after", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return can_moderate(request.user)


class SnapshotInline(admin.TabularInline):
    """A source's archived copies, read-only: a snapshot is never altered or deleted."""

    model = Snapshot
    fk_name = "source"
    fields = ["created", "created_by", "origin", "filename", "format", "encoding", "size", "sha256"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("original", "text").select_related("created_by")


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    """Archived copies can be looked at here; they are added in the wiki or with import_source."""

    list_display = ["source", "created", "created_by", "origin", "format", "encoding", "size"]
    list_filter = ["origin", "format", "encoding"]
    search_fields = ["sha256", "filename", "source__title"]
    readonly_fields = [
        "source",
        "created",
        "created_by",
        "origin",
        "filename",
        "content_type",
        "format",
        "encoding",
        "encoding_detected",
        "size",
        "sha256",
        "text",
    ]
    exclude = ["original"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # The list never reads a megabyte of text per row; the change page reads it.
        queryset = super().get_queryset(request).defer("original").select_related("source", "created_by")
        return queryset.defer("text") if request.resolver_match.url_name.endswith("changelist") else queryset
