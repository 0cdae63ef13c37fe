from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def sso_failed(request):
    """Where a refused single sign-on lands: the login page, saying so (the reason is in the
    audit log and the server's log, not shown to the visitor)."""
    messages.error(
        request,
        _(
            "Single sign-on did not let you in. If you were invited, use the link in the "
            "invitation e-mail, or log in with your user name and password."
        ),
    )
    return redirect("login")
