from django.http import HttpRequest

from accounts import access


def navigation(request: HttpRequest) -> dict:
    """What the navigation bar needs; memberships are cached on the user, so no per-page
    queries beyond the one that loads them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_is_adviser": access.is_adviser(user),
        "nav_is_admin": access.is_administrator(user),
        "nav_region_ids": sorted(access.region_ids_for(user)),
    }
