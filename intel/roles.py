"""The wiki's roles as Django groups: reader, analyst, moderator, admin.

A role is a group with a fixed set of model permissions; code asks for the
permission (``user.has_perm("intel.moderate_source")``), never for the group name,
so the browser, the API and the admin agree on who may do what.
"""

from django.contrib.auth.models import Group, Permission

from intel.choices import Role

# (app_label, model) pairs an analyst edits.
EDITABLE_MODELS = [
    ("companies", "company"),
    ("companies", "companyrelation"),
    ("products", "architecture"),
    ("products", "product"),
    ("products", "milestone"),
    ("intel", "source"),
    ("intel", "snapshot"),
    ("intel", "person"),
    ("intel", "claim"),
    ("intel", "citation"),
    ("intel", "claimrelation"),
]


def _codenames_for(role: Role) -> set[tuple[str, str]]:
    view = {(app, f"view_{model}") for app, model in EDITABLE_MODELS}
    edit = {(app, f"{action}_{model}") for app, model in EDITABLE_MODELS for action in ("add", "change", "delete")}
    match role:
        case Role.READER:
            return view
        case Role.ANALYST:
            return view | edit
        case Role.MODERATOR:
            return view | edit | {("intel", "moderate_source"), ("reversion", "view_revision")}
        case Role.ADMIN:
            users = {
                ("auth", f"{action}_{model}")
                for model in ("user", "group")
                for action in ("add", "change", "delete", "view")
            }
            return view | edit | users | {("intel", "moderate_source"), ("reversion", "view_revision")}
    raise ValueError(role)


def sync_roles() -> dict[str, Group]:
    """Create or update one group per role with exactly its permissions."""
    groups = {}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = _codenames_for(role)
        permissions = [
            permission
            for permission in Permission.objects.select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        group.permissions.set(permissions)
        groups[role.value] = group
    return groups


def sync_roles_after_migrate(sender, using="default", **kwargs):
    """post_migrate receiver: keeps the role groups in step with the models."""
    if Permission.objects.using(using).exists():
        sync_roles()


def can_edit(user) -> bool:
    """Analysts, moderators and admins edit pages; readers and visitors only read."""
    return user.is_authenticated and user.is_active and user.has_perm("intel.change_claim")


def can_moderate(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("intel.moderate_source")
