"""Language choice: the user's own choice (the language cookie set by the switcher) first,
else the målform of the user's municipality (språklova § 15: a state body writes to a
municipality in the form it has chosen), else bokmål. The browser's Accept-Language is not
used: a Norwegian public service speaks Norwegian unless the user asks otherwise."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from accounts import access, audit

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def preferred_language(request) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in SUPPORTED:
        return chosen
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        for membership in access.memberships_of(user):
            if membership.municipality is not None:
                return membership.municipality.default_language
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = preferred_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class AuditContextMiddleware:
    """Lets `accounts.audit.record` know who acts and from where without every service
    taking the request as an argument."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.bind_request(request)
        try:
            return self.get_response(request)
        finally:
            audit.unbind_request(token)
