"""The moderation queue and the moderation forms on a source's page: thin, the decisions are
:mod:`intel.moderation`'s."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from intel import selectors
from intel.choices import ModerationAction, ModerationState, Reliability
from intel.forms import BulkModerationForm, ModerationForm, RollbackForm
from intel.models import Source
from intel.moderation import moderator_choices, source_moderate, sources_moderate
from intel.pages import PAGE_KINDS
from intel.roles import can_edit, can_moderate
from intel.rollback import rollback_plan, user_rollback
from intel.views.pages import get_page, role_required

SOURCE = PAGE_KINDS["source"]
QUEUE_STATES = [ModerationState.PENDING, ModerationState.SENT_BACK, ModerationState.REJECTED, ModerationState.APPROVED]


moderator_required = role_required(can_moderate, "This page is for moderators.")


@moderator_required
def moderation_queue(request):
    """Sources waiting for a decision, oldest first, each with what a moderator needs to decide."""
    state = request.GET.get("state") or ModerationState.PENDING
    if state not in QUEUE_STATES:
        state = ModerationState.PENDING
    bulk = BulkModerationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if bulk.is_valid():
            ids = bulk.cleaned_data["sources"]
            sources = Source.objects.filter(pk__in=ids).order_by("pk")
            try:
                done = sources_moderate(
                    sources=sources,
                    moderator=request.user,
                    action=bulk.cleaned_data["action"],
                    note=bulk.cleaned_data["note"],
                    reliability=bulk.cleaned_data["reliability"] or None,
                    expected_states={pk: state for pk in ids},
                )
            except ValidationError as error:
                _form_errors(bulk, error)
            else:
                label = ModerationAction(bulk.cleaned_data["action"]).label.lower()
                messages.success(request, f"{label.capitalize()} {len(done)} source{'s' if len(done) != 1 else ''}.")
                return redirect(f"{request.path}?state={state}")
        status = 400
    entries = selectors.moderation_queue(state=state)
    counts = selectors.moderation_counts()
    context = {
        "state": state,
        "state_label": ModerationState(state).label,
        "shown_of": counts.get(state, 0) if counts.get(state, 0) > len(entries) else None,
        "states": [(value, ModerationState(value).label, counts.get(value, 0)) for value in QUEUE_STATES],
        "entries": entries,
        "bulk": bulk,
        "reliabilities": Reliability.choices,
        "actions": moderator_choices(state),
    }
    return render(request, "intel/moderation_queue.html", context, status=status)


@require_POST
def source_moderate_view(request, pk: int):
    """One decision about one source, from its page or from the queue; back where it came from."""
    if not request.user.is_authenticated:
        return redirect_to_login(SOURCE.url("detail", pk))
    source = get_page(SOURCE, pk, queryset=Source.objects.all())
    form = ModerationForm(request.POST)
    action = request.POST.get("action")
    allowed = can_edit(request.user) if action == ModerationAction.RESUBMIT else can_moderate(request.user)
    if not allowed:
        raise PermissionDenied("Only moderators decide about sources.")
    back = request.POST.get("next") or source.get_absolute_url()
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = source.get_absolute_url()
    if form.is_valid():
        try:
            source_moderate(
                source=source,
                moderator=request.user,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
                reliability=form.cleaned_data["reliability"] or None,
                expected_state=form.cleaned_data["expected_state"] or None,
            )
        except ValidationError as error:
            text = " ".join(error.messages)
            if getattr(error, "code", None) != "stale":
                text = f"“{source}”: {text} Nothing was changed."
            messages.error(request, text)
        else:
            label = ModerationAction(form.cleaned_data["action"]).label
            messages.success(request, f"{label}: “{source}”.")
    else:
        problems = [message for messages_ in form.errors.values() for message in messages_]
        messages.error(request, f"“{source}”: " + " ".join(problems) + " Nothing was changed.")
    return redirect(back)


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error)


@moderator_required
def user_rollback_view(request, username: str):
    """Preview, then roll back, everything one user saved in a time window."""
    person = get_object_or_404(get_user_model(), username=username)
    data = request.POST if request.method == "POST" else (request.GET if "since" in request.GET else None)
    form = RollbackForm(data, initial={"since": (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")})
    plan, done = None, None
    status = 200
    if form.is_bound and form.is_valid():
        window = {"since": form.cleaned_data["since"], "until": form.cleaned_data["until"]}
        if request.method == "POST":
            try:
                done = user_rollback(
                    moderator=request.user, user=person, summary=form.cleaned_data["summary"], **window
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                undone = sum(1 for step in done if step.action != "skip")
                messages.success(request, f"Rolled back {undone} page{'s' if undone != 1 else ''} of {username}.")
        if done is None:
            plan = rollback_plan(user=person, **window)
    elif form.is_bound:
        status = 400
    context = {"person": person, "form": form, "plan": plan, "done": done}
    return render(request, "wiki/user_rollback.html", context, status=status)
