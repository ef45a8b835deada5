"""Roles are groups with fixed permissions; code asks for permissions, never group names."""

import pytest

from intel.choices import Role
from intel.roles import can_edit, can_moderate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "edits", "moderates", "manages_users"),
    [
        (Role.READER, False, False, False),
        (Role.ANALYST, True, False, False),
        (Role.MODERATOR, True, True, False),
        (Role.ADMIN, True, True, True),
    ],
)
def test_each_role_can_do_exactly_its_part(role, edits, moderates, manages_users):
    user = UserFactory(username=f"someone-{role}", role=role)
    assert can_edit(user) is edits
    assert can_moderate(user) is moderates
    assert user.has_perm("auth.change_user") is manages_users
    assert user.has_perm("intel.view_claim")


def test_an_inactive_analyst_cannot_edit():
    user = UserFactory(username="gone", role=Role.ANALYST, is_active=False)
    assert not can_edit(user)
