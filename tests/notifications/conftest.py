import pytest
from django.contrib.auth.models import User

from accounts.models import Membership, Profile, Role
from reference.models import Municipality


def colleague(username: str, email: str, *, number: str, role=Role.EDITOR, language: str = ""):
    user = User.objects.create_user(username=username, email=email, first_name=username.title())
    Membership.objects.create(
        user=user, role=role, municipality=Municipality.objects.get(number=number)
    )
    if language:
        Profile.objects.create(user=user, language=language)
    return user


@pytest.fixture
def with_emails(planner, reader, adviser, outside_adviser, other_planner):
    """The personas with e-mail addresses (the shared fixtures have none)."""
    for user in (planner, reader, adviser, outside_adviser, other_planner):
        user.email = f"{user.username}@example.test"
        user.save(update_fields=["email"])
