import pytest

from accounts.models import Profile, Role
from tests.factories import make_user


def colleague(username: str, email: str, *, number: str, role=Role.EDITOR, language: str = ""):
    user = make_user(
        username, role=role, municipality=number, email=email, first_name=username.title()
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
