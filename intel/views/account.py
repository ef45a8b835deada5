"""The account page: who you are, your roles, and your API token."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from intel.choices import Role
from intel.roles import can_edit
from intel.tokens import token_create, token_revoke


@login_required
def account(request):
    return render(request, "wiki/account.html", _context(request))


@login_required
@require_POST
def account_token(request):
    """Make a new token (shown once, on this response) or revoke the current one."""
    if request.POST.get("action") == "revoke":
        if token_revoke(user=request.user):
            messages.success(request, "Your API token is revoked: scripts using it now get 401.")
        return redirect("account")
    token = token_create(user=request.user)
    return render(request, "wiki/account.html", _context(request, new_key=token.key))


def _context(request, *, new_key: str = "") -> dict:
    token = Token.objects.filter(user=request.user).first()
    roles = [Role(name).label for name in request.user.groups.values_list("name", flat=True) if name in Role.values]
    return {
        "token": token,
        "new_key": new_key,
        "roles": roles,
        "can_write": can_edit(request.user),
    }


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers a login attempt after too many wrong passwords (429, Too Many Requests)."""
    context = {
        "username": (credentials or {}).get("username") or request.POST.get("username", ""),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
