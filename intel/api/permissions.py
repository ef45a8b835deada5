"""Who may use the API: the wiki's own roles, asked through the same functions as the browser."""

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission

from intel.roles import can_edit


class WikiRolePermission(BasePermission):
    """Reading: everybody when INTEL_PUBLIC_READ is on, signed-in users otherwise.
    Writing: analysts, moderators and admins (:func:`intel.roles.can_edit`).

    The services check again (and decide what only moderators may do); this check
    answers early, before the request body is validated, with 401 or 403.
    """

    message = "Writing needs the analyst role; your account can only read."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return settings.INTEL_PUBLIC_READ or request.user.is_authenticated
        return can_edit(request.user)
