from django.http import HttpRequest
from django.urls import reverse

from accounts import access
from reference.models import Municipality


def navigation(request: HttpRequest) -> dict:
    """What the navigation bar needs; memberships are cached on the user, so no per-page
    queries beyond the one that loads them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    people = [
        reverse("accounts:municipality_people", args=[scope.number])
        if isinstance(scope, Municipality)
        else reverse("accounts:region_people", args=[scope.pk])
        for scope in access.people_pages_for(user)
    ]
    return {
        "nav_is_adviser": access.is_adviser(user),
        "nav_is_admin": access.is_administrator(user),
        "nav_region_ids": sorted(access.region_ids_for(user)),
        # The municipality or office whose people the user manages (the first, if several).
        "nav_people_url": people[0] if people else "",
    }
