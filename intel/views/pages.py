"""The views every page kind shares: create, edit (with conflicts), history, diff, revert,
delete, undelete, watch, and the per-page feed.

Each takes the page kind from its URL pattern (see :func:`page_urls`), calls the
services in :mod:`intel.editing` and renders one template per view for every kind.
Permissions are checked here (a 403 or the login page) and again in the services.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST
from reversion.models import Version

from intel import editing
from intel.choices import ChangeAction, VerificationState
from intel.diffing import diff_html
from intel.display import citation_rows_diff, citation_texts, infobox_rows, state_rows
from intel.forms import CitationFormSet, form_data_for_state
from intel.models import Change, Claim, Watch
from intel.pages import PAGE_KINDS, PageKind, content_type_of, page_state, page_state_at, parse_id
from intel.roles import can_edit
from intel.selectors import claim_sections, claims_with_citations, newest_claims
from intel.wikilinks import LINKS_HERE_SHOWN, render_page_markdown, what_links_here


def role_required(allowed, message: str):
    """A view for users ``allowed(user)`` says yes to: visitors go to the login page, others get a 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Writing needs the analyst role.
editor_required = role_required(can_edit, "Editing needs the analyst role.")


def get_page(kind: PageKind, key, *, queryset=None):
    """The page with this slug or id; a 404 that says so otherwise (see page_missing for deleted pages)."""
    queryset = queryset if queryset is not None else kind.model.objects.all()
    try:
        return queryset.get(**{kind.lookup: key})
    except (kind.model.DoesNotExist, ValueError):
        raise Http404(f"No {kind.label} “{key}”.") from None


def deleted_change(kind: PageKind, key) -> Change | None:
    """The deletion that removed the page with this key, if that is why it is missing."""
    change = (
        Change.objects.filter(content_type=content_type_of(kind), object_key=str(key))
        .select_related("revision__user")
        .first()
    )
    return change if change and change.action == ChangeAction.DELETE else None


def page_missing(request, kind: PageKind, key):
    """A 404 page; for a deleted page it says who deleted it and offers history and undelete."""
    change = deleted_change(kind, key)
    if change is None:
        raise Http404(f"No {kind.label} “{key}”.")
    context = {"kind": kind, "key": key, "change": change, "can_edit": can_edit(request.user)}
    return render(request, "wiki/page_deleted.html", context, status=404)


def page_context(
    request, kind: PageKind, page, *, claims=None, claims_query: dict | None = None, extra_links=()
) -> dict:
    """What every page shows around its own content: infobox, body, claims with footnotes, links here.

    ``claims`` about the page: with ``claims_query`` (the claims list's filter for them, e.g.
    {"company": "nvidia"}) only the newest of each kind are shown, each kind with more linking
    to the list; without it (a claim's own page) all of them, with their citations.
    """
    state = page_state(kind, page)
    links_here = what_links_here(kind, page, limit=LINKS_HERE_SHOWN + 1)
    if claims is None:
        sections, footnotes = [], []
    elif claims_query is None:
        sections, footnotes = claim_sections(claims_with_citations(claims))
    else:
        shown, more = newest_claims(claims)
        sections, footnotes = claim_sections(shown, more=more, list_query=claims_query)
    last_change = (
        Change.objects.filter(content_type=content_type_of(kind), object_id=str(page.pk))
        .select_related("revision__user")
        .first()
    )
    watching = (
        request.user.is_authenticated
        and Watch.objects.filter(user=request.user, content_type=content_type_of(kind), object_id=str(page.pk)).exists()
    )
    return {
        "kind": kind,
        "page": page,
        "page_key": kind.key_of(page),
        "infobox": infobox_rows(kind, state),
        "body_html": render_page_markdown(getattr(page, "body", "")),
        "claim_sections": sections,
        "footnotes": footnotes,
        "links_here": links_here[:LINKS_HERE_SHOWN],
        "links_here_more": len(links_here) > LINKS_HERE_SHOWN,
        "extra_links": extra_links,
        "last_change": last_change,
        "watching": watching,
        "can_edit": can_edit(request.user),
    }


# ---------------------------------------------------------------------------
# Create and edit


def _form_for(kind: PageKind, request, *, instance=None, data=None, initial=None):
    return kind.form_class(data, instance=instance, initial=initial, user=request.user)


def _formset_for(kind: PageKind, *, instance=None, data=None):
    if not kind.has_citations:
        return None
    return CitationFormSet(data, instance=instance, prefix="citations")


def _add_service_errors(form, formset, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names, or at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages_ in error.message_dict.items():
        if formset is not None and (name == "citations" or name.startswith("citations-")):
            formset._non_form_errors = formset.error_class(list(formset.non_form_errors()) + messages_)
        else:
            form.add_error(name, messages_)  # PageForm puts errors on fields it lacks at the top


def _render_form(request, kind, form, formset, *, page=None, preview=None, conflict=None, status=200):
    context = {
        "kind": kind,
        "page": page,
        "page_key": kind.key_of(page) if page else None,
        "form": form,
        "formset": formset,
        "preview": preview,
        "conflict": conflict,
    }
    return render(request, "wiki/page_form.html", context, status=status)


def _preview(kind: PageKind, form) -> dict | None:
    """Rendered prose of a submitted form, shown above it before saving."""
    if not form.is_bound:
        return None
    return {
        name: render_page_markdown(form.data.get(name, ""))
        for name in kind.text_fields
        if name in form.fields and form.data.get(name)
    }


@editor_required
def page_create(request, kind_key: str):
    kind = PAGE_KINDS[kind_key]
    if request.method != "POST":
        initial = _initial_from_query(kind, request.GET)
        return _render_form(request, kind, _form_for(kind, request, initial=initial), _formset_for(kind))
    form = _form_for(kind, request, data=request.POST)
    formset = _formset_for(kind, data=request.POST)
    if "preview" in request.POST:
        form.is_valid()
        return _render_form(request, kind, form, formset, preview=_preview(kind, form))
    if form.is_valid() and (formset is None or formset.is_valid()):
        try:
            page = editing.page_create(
                kind=kind,
                author=request.user,
                values=form.page_values(),
                summary=form.cleaned_data["summary"],
                citations=formset.rows() if formset is not None else None,
            )
        except ValidationError as error:
            _add_service_errors(form, formset, error)
        else:
            messages.success(request, f"Created {kind.label} “{page}”.")
            _warn_about_quotes(request, page)
            return redirect(page)
    return _render_form(request, kind, form, formset, status=400)


def _initial_from_query(kind: PageKind, query) -> dict:
    """Prefill a new page from its link: ?title= from a missing wiki link, ?company=<slug> and the like."""
    initial = {}
    if title := query.get("title", "")[:200]:
        initial[kind.title_field] = title
    for name in kind.fields:
        if name in query and name != kind.title_field:
            value = query.get(name)
            field_type = kind.field_type(name)
            if field_type in ("fk", "m2m"):
                related = kind.model._meta.get_field(name).related_model
                if parse_id(value) is not None:
                    obj = related.objects.filter(pk=parse_id(value)).first()
                elif hasattr(related, "slug"):
                    obj = related.objects.filter(slug=value[:200]).first()
                else:
                    obj = None  # a prefill that names nothing is ignored
                if obj is not None:
                    initial[name] = [obj.pk] if field_type == "m2m" else obj.pk
            else:
                initial[name] = value
    return initial


@editor_required
def page_edit(request, kind_key: str, **key):
    kind = PAGE_KINDS[kind_key]
    page = get_page(kind, key[kind.lookup])
    if request.method != "POST":
        page, base_revision = editing.page_for_edit(page)
        form = _form_for(kind, request, instance=page, initial={"base_revision": base_revision})
        return _render_form(request, kind, form, _formset_for(kind, instance=page), page=page)
    form = _form_for(kind, request, instance=page, data=request.POST)
    formset = _formset_for(kind, instance=page, data=request.POST)
    if "preview" in request.POST:
        form.is_valid()
        return _render_form(request, kind, form, formset, page=page, preview=_preview(kind, form))
    if form.is_valid() and (formset is None or formset.is_valid()):
        try:
            result = editing.page_update(
                kind=kind,
                page=page,
                author=request.user,
                values=form.page_values(),
                base_revision=form.cleaned_data.get("base_revision"),
                summary=form.cleaned_data["summary"],
                citations=formset.rows() if formset is not None else None,
            )
        except editing.EditConflict as conflict:
            return _render_conflict(request, kind, page, conflict)
        except ValidationError as error:
            _add_service_errors(form, formset, error)
        else:
            if not result.changed:
                messages.info(request, "Nothing changed, so no revision was saved.")
            elif result.merged:
                messages.success(
                    request,
                    "Someone saved this page while you were editing; your changes did not overlap, "
                    "so both were merged and saved.",
                )
            else:
                messages.success(request, f"Saved {kind.label} “{result.page}”.")
            if result.changed:
                _warn_about_quotes(request, result.page)
            return redirect(result.page)
    return _render_form(request, kind, form, formset, page=page, status=400)


def _warn_about_quotes(request, page) -> None:
    """After a claim is saved: say which quotes were not found word for word in their sources' text."""
    if not isinstance(page, Claim):
        return
    doubtful = (VerificationState.APPROXIMATE, VerificationState.AMBIGUOUS, VerificationState.NOT_FOUND)
    for number, citation in enumerate(page.citations.order_by("pk"), start=1):
        if citation.verification in doubtful:
            messages.warning(request, f"Citation {number} (“{citation.quote[:60]}”): {citation.anchor_note}")


def _render_conflict(request, kind: PageKind, page, conflict: editing.EditConflict):
    """Refused save: the form now holds everything that merged, the analyst's own text where the
    edits clashed, and starts from the current revision; the current text and the difference are
    shown beside it, field by field. Saving it again keeps both sides' other changes."""
    current = kind.model.objects.get(pk=page.pk)
    data = form_data_for_state(
        kind,
        conflict.proposed_state,
        claim_id=current.pk if kind.has_citations else None,
        base_revision=conflict.current_revision,
        summary=request.POST.get("summary", "")[:300],
    )
    form = _form_for(kind, request, instance=current, data=data)
    formset = _formset_for(kind, instance=current, data=data)
    conflict_rows = []
    fields = [item for item in conflict.conflicts if item.name in kind.fields]
    mine_rows = {row.name: row for row in state_rows(kind, {c.name: c.mine for c in fields}, conflict.current_state)}
    for item in conflict.conflicts:
        if item.name in mine_rows:
            row = mine_rows[item.name]
            conflict_rows.append({"label": row.label, "current": row.after, "mine": row.before, "diff": row.diff})
            continue
        # A citation (or the citation list) both edits changed: each side's rows as text.
        mine_rows_ = item.mine if isinstance(item.mine, list) else [item.mine]
        theirs_rows = item.theirs if isinstance(item.theirs, list) else [item.theirs]
        mine_text = "\n".join(citation_texts(mine_rows_))
        current_text = "\n".join(citation_texts(theirs_rows))
        conflict_rows.append(
            {
                "label": item.name,
                "current": current_text,
                "mine": mine_text,
                "diff": diff_html(mine_text, current_text),
            }
        )
    latest = Change.objects.filter(revision_id=conflict.current_revision).select_related("revision__user").first()
    return _render_form(
        request,
        kind,
        form,
        formset,
        page=current,
        conflict={"rows": conflict_rows, "change": latest},
        status=409,
    )


# ---------------------------------------------------------------------------
# History, diff, revisions, revert


def _versions(kind: PageKind, object_id):
    return (
        Version.objects.get_for_object_reference(kind.model, object_id)
        .select_related("revision__user")
        .order_by("-revision_id")
    )


def _page_or_deleted(kind: PageKind, key):
    """The live page, or (None, deletion) for a deleted one, so history stays readable."""
    try:
        return get_page(kind, key), None
    except Http404:
        change = deleted_change(kind, key)
        if change is None:
            raise
        return None, change


# Revisions a history page shows; older ones are a page further (?before=<revision>).
HISTORY_PER_PAGE = 50


def page_history(request, kind_key: str, **key):
    """A page's revisions, newest first, 50 at a time: the same cost at the thousandth edit as at the tenth."""
    kind = PAGE_KINDS[kind_key]
    page, deletion = _page_or_deleted(kind, key[kind.lookup])
    object_id = str(page.pk) if page else deletion.object_id
    before = _int_param(request, "before")
    versions = _versions(kind, object_id)
    if before is not None:
        versions = versions.filter(revision_id__lt=before)
    versions = list(versions[: HISTORY_PER_PAGE + 1])
    more = len(versions) > HISTORY_PER_PAGE
    versions = versions[:HISTORY_PER_PAGE]
    changes = {
        change.revision_id: change
        for change in Change.objects.filter(
            content_type=content_type_of(kind), object_id=object_id, revision_id__in=[v.revision_id for v in versions]
        )
    }
    rows = [
        {
            "version": version,
            "change": changes.get(version.revision_id),
            "latest": before is None and number == 0,
            "has_older": more or number < len(versions) - 1,
        }
        for number, version in enumerate(versions)
    ]
    context = {
        "kind": kind,
        "page": page,
        "page_key": key[kind.lookup],
        "deletion": deletion,
        "rows": rows,
        "older": versions[-1].revision_id if more else None,
        "paged": before is not None,
        "can_edit": can_edit(request.user),
    }
    return render(request, "wiki/page_history.html", context)


def _state_at(kind: PageKind, object_id, revision_id):
    if parse_id(revision_id) is None:
        raise Http404(f"Revision {str(revision_id)[:20]} is not a revision of this page.")
    version = Version.objects.get_for_object_reference(kind.model, object_id).filter(revision_id=revision_id).first()
    if version is None:
        raise Http404(f"Revision {revision_id} is not a revision of this page.")
    return version, page_state_at(kind, version)


def _int_param(request, name):
    value = request.GET.get(name, "")
    if not value:
        return None
    number = parse_id(value)
    if number is None:
        raise Http404(f"“{value[:20]}” is not a revision number.")
    return number


def page_diff(request, kind_key: str, **key):
    """Two revisions side by side: ?from=<revision>&to=<revision> (by default the latest against the one before)."""
    kind = PAGE_KINDS[kind_key]
    page, deletion = _page_or_deleted(kind, key[kind.lookup])
    object_id = str(page.pk) if page else deletion.object_id
    revision_ids = list(_versions(kind, object_id).values_list("revision_id", flat=True))
    if not revision_ids:
        raise Http404("This page has no history yet.")
    to_id = _int_param(request, "to") or revision_ids[0]
    from_id = _int_param(request, "from")
    if from_id is None:
        older = [rid for rid in revision_ids if rid < to_id]
        from_id = older[0] if older else to_id
    if from_id > to_id:
        from_id, to_id = to_id, from_id
    from_version, before = _state_at(kind, object_id, from_id)
    to_version, after = _state_at(kind, object_id, to_id)
    context = {
        "kind": kind,
        "page": page,
        "page_key": key[kind.lookup],
        "from_version": from_version,
        "to_version": to_version,
        "rows": [row for row in state_rows(kind, before, after) if row.changed],
        "citations": citation_rows_diff(before.get("citations", []), after.get("citations", []))
        if kind.has_citations
        else [],
        "changes": {c.revision_id: c for c in Change.objects.filter(revision_id__in=[from_id, to_id])},
        "can_edit": can_edit(request.user),
    }
    return render(request, "wiki/page_diff.html", context)


def page_revision(request, kind_key: str, revision_id: int, **key):
    """The page's fields as they were in one revision."""
    kind = PAGE_KINDS[kind_key]
    page, deletion = _page_or_deleted(kind, key[kind.lookup])
    object_id = str(page.pk) if page else deletion.object_id
    version, state = _state_at(kind, object_id, revision_id)
    context = {
        "kind": kind,
        "page": page,
        "page_key": key[kind.lookup],
        "version": version,
        "rows": state_rows(kind, None, state),
        "citations": citation_rows_diff([], state.get("citations", [])) if kind.has_citations else [],
        "body_html": render_page_markdown(state.get("body") or ""),
        "can_edit": can_edit(request.user),
    }
    return render(request, "wiki/page_revision.html", context)


@editor_required
def page_revert(request, kind_key: str, revision_id: int, **key):
    kind = PAGE_KINDS[kind_key]
    page = get_page(kind, key[kind.lookup])
    if parse_id(revision_id) is None:
        raise Http404(f"Revision {str(revision_id)[:20]} is not a revision of this page.")
    if request.method != "POST":
        version, state = _state_at(kind, page.pk, revision_id)
        context = {"kind": kind, "page": page, "page_key": key[kind.lookup], "version": version}
        return render(request, "wiki/page_revert.html", context)
    try:
        result = editing.page_revert(
            kind=kind, page=page, author=request.user, revision_id=revision_id, summary=request.POST.get("summary", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(kind.url("history", kind.key_of(page)))
    if result.changed:
        messages.success(request, f"Reverted to revision {revision_id}.")
    else:
        messages.info(request, f"The page already matches revision {revision_id}; nothing was saved.")
    return redirect(result.page)


@editor_required
def page_delete(request, kind_key: str, **key):
    kind = PAGE_KINDS[kind_key]
    page = get_page(kind, key[kind.lookup])
    blockers = editing.deletion_blockers(kind, page)
    if request.method != "POST":
        context = {"kind": kind, "page": page, "page_key": key[kind.lookup], "blockers": blockers}
        return render(request, "wiki/page_delete.html", context)
    try:
        editing.page_delete(kind=kind, page=page, author=request.user, summary=request.POST.get("summary", "")[:300])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(page)
    messages.success(request, f"Deleted {kind.label} “{page}”. It can be undeleted from its history.")
    return redirect("recent_changes")


@editor_required
@require_POST
def page_undelete(request, kind_key: str, **key):
    kind = PAGE_KINDS[kind_key]
    change = deleted_change(kind, key[kind.lookup])
    if change is None:
        raise Http404(f"No deleted {kind.label} “{key[kind.lookup]}”.")
    try:
        page = editing.page_undelete(
            kind=kind, change=change, author=request.user, summary=request.POST.get("summary", "")[:300]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(kind.url("history", key[kind.lookup]))
    messages.success(request, f"Undeleted {kind.label} “{page}”.")
    return redirect(page)


@require_POST
def page_watch(request, kind_key: str, **key):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    kind = PAGE_KINDS[kind_key]
    page = get_page(kind, key[kind.lookup])
    if request.POST.get("action") == "unwatch":
        editing.unwatch(user=request.user, page=page)
        messages.info(request, f"Removed “{page}” from your watchlist.")
    else:
        editing.watch(user=request.user, page=page)
        messages.success(request, f"Added “{page}” to your watchlist.")
    return redirect(page)


# ---------------------------------------------------------------------------
# URLs


def page_urls(kind_key: str, detail_view) -> list:
    """The URL patterns of one page kind: /<prefix>/new/, /<prefix>/<key>/ and its sub-pages."""
    from intel.views.changes import PageFeed

    kind = PAGE_KINDS[kind_key]
    key = "<slug:slug>" if kind.lookup == "slug" else "<int:pk>"
    base = f"{kind.url_prefix}/{key}/"
    extra = {"kind_key": kind_key}
    return [
        path(f"{kind.url_prefix}/new/", page_create, extra, name=f"{kind_key}_create"),
        path(base, detail_view, name=f"{kind_key}_detail"),
        path(f"{base}edit/", page_edit, extra, name=f"{kind_key}_edit"),
        path(f"{base}history/", page_history, extra, name=f"{kind_key}_history"),
        path(f"{base}diff/", page_diff, extra, name=f"{kind_key}_diff"),
        path(f"{base}revisions/<int:revision_id>/", page_revision, extra, name=f"{kind_key}_revision"),
        path(f"{base}revert/<int:revision_id>/", page_revert, extra, name=f"{kind_key}_revert"),
        path(f"{base}delete/", page_delete, extra, name=f"{kind_key}_delete"),
        path(f"{base}undelete/", page_undelete, extra, name=f"{kind_key}_undelete"),
        path(f"{base}watch/", page_watch, extra, name=f"{kind_key}_watch"),
        path(f"{base}feed/", PageFeed(), extra, name=f"{kind_key}_feed"),
    ]
