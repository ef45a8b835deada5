"""A claim's status workflow in the browser: the status form on a claim's page, and the disputes page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from companies.models import Company
from intel import selectors
from intel.choices import ClaimStatus
from intel.forms import ClaimStatusForm
from intel.models import Claim
from intel.pages import PAGE_KINDS
from intel.roles import can_edit
from intel.views.pages import get_page
from intel.workflow import claim_set_status

CLAIM = PAGE_KINDS["claim"]


@require_POST
def claim_status(request, pk: int):
    """Move a claim to another status under the workflow's rules; the reason is kept with it."""
    if not request.user.is_authenticated:
        return redirect_to_login(CLAIM.url("detail", pk))
    if not can_edit(request.user):
        raise PermissionDenied("Changing a claim's status needs the analyst role.")
    claim = get_page(CLAIM, pk, queryset=Claim.objects.all())
    form = ClaimStatusForm(request.POST)
    if form.is_valid():
        try:
            claim_set_status(
                claim=claim,
                author=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                override=form.cleaned_data["override"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages) + " The status was not changed.")
        else:
            label = ClaimStatus(form.cleaned_data["status"]).label.lower()
            messages.success(request, f"The claim is {label} now.")
    else:
        problems = [message for errors in form.errors.values() for message in errors]
        messages.error(request, " ".join(problems) + " The status was not changed.")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
        return redirect(back)  # settled from the disputes page: back to it
    return redirect(CLAIM.url("detail", pk))


def disputes(request):
    """Claims that contradict each other, side by side with their citations and sources, and the
    claims marked disputed: what a moderator settles (``?company=<slug>`` for one company's)."""
    company_key = request.GET.get("company", "").strip()
    wanted = company_key[:200].lower()
    # A NUL byte cannot be in a slug (and PostgreSQL refuses it in a query): no such company.
    company = Company.objects.filter(slug=wanted).first() if wanted and "\x00" not in wanted else None
    if company_key and company is None:
        shown = company_key[:60].replace("\x00", "\ufffd")
        context = {
            "disputes": [],
            "disputes_total": 0,
            "disputed_alone": [],
            "disputed_alone_total": 0,
            "company_error": f"No company “{shown}”.",
        }
        return render(request, "intel/disputes.html", context, status=400)
    context = selectors.disputes_page(company=company, limit=selectors.DISPUTES_SHOWN)
    context.update(
        company=company,
        can_settle=can_edit(request.user),
        settle_choices=ClaimStatus.choices,
    )
    return render(request, "intel/disputes.html", context)
