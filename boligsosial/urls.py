from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts.forms import ThrottledAdminAuthenticationForm
from accounts.views import passwords
from accounts.views.login import ThrottledLoginView
from analysis.views import core

# The admin's login page counts failures and locks like the app's: no way around the throttle.
admin.site.login_form = ThrottledAdminAuthenticationForm

# The app's own error pages, none of which reads the request's body (boligsosial/errors.py).
handler400 = "boligsosial.errors.bad_request"
handler403 = "boligsosial.errors.permission_denied"
handler404 = "boligsosial.errors.page_not_found"
handler500 = "boligsosial.errors.server_error"

urlpatterns = [
    path("", core.home, name="home"),
    path("healthz", core.healthz, name="healthz"),
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password_reset/",
        passwords.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The login page has the language switcher too: it must work before logging in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("notifications.urls")),
    path("analyse/", include("analysis.urls")),
    path("analyse/", include("keyfigures.urls")),
    path("analyse/", include("overview.urls")),
    # These two name their own paths under /analyse/, /faktorer/ and /rapport/.
    path("", include("factors.urls")),
    path("", include("reports.urls")),
    path("", include("jobs.urls")),
]

if settings.BENCHMARK_PAGES:
    from boligsosial import benchmark

    urlpatterns.append(path("benchmark/bare/", benchmark.bare_form, name="benchmark_bare"))
