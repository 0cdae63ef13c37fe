"""The error pages (handler400, 403, 404, 500 in urls.py, CSRF_FAILURE_VIEW in settings).

Django's own handlers are wrapped in `requires_csrf_token`, which runs the CSRF check again
and so reads the request's body. When the body is what could not be read (a form in a
charset that is not UTF-8, a broken multipart body), the 400 handler raised the same error
again, the 500 handler after it too, and one anonymous request left a 500 and a traceback
many kilobytes long in the log (issue 11). These never touch the body: the 400 and 500 pages
render without the request at all; the 403 and 404 pages with it, for the navigation, which
reads only the user and the CSRF cookie.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader


def _page(template_name: str, status: int, request: HttpRequest | None = None) -> HttpResponse:
    html = loader.get_template(template_name).render(request=request)
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page("400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page("403.html", 403, request)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page("404.html", 404, request)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page("500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page("403_csrf.html", 403, request)
