"""Login forms that go through the throttle (the app's login and the admin's share it, so the
admin's login page is no way around it); the forms for people, invitations, password reset
and the audit log."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordMixin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import throttle as login_throttle
from accounts.models import AuditAction, Role
from accounts.selectors import language_for
from boligsosial.forms import CleanTextMixin
from outbox import services as outbox

THROTTLED = "throttled"


class ThrottledAuthenticationMixin:
    """Refuses every attempt while the user name or the address is locked, even with the
    right password; counts each failure (a wrong password, an inactive or, in the admin, a
    non-staff account); on success clears the user name's count (never the address's)."""

    def clean(self):
        username = self.data.get("username", "")
        if login_throttle.is_locked(self.request, username):
            raise ValidationError(
                _("Too many failed login attempts. Wait a few minutes and try again."),
                code=THROTTLED,
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            login_throttle.record_failure(self.request, username)
            raise
        login_throttle.clear_failures(username)
        return cleaned


class ThrottledAuthenticationForm(CleanTextMixin, ThrottledAuthenticationMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(
    CleanTextMixin, ThrottledAuthenticationMixin, AdminAuthenticationForm
):
    pass


# --- People, invitations, password reset, the audit log ------------------------------------------


class InviteForm(CleanTextMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    role = forms.ChoiceField(label=_("Role"))
    make_municipality_admin = forms.BooleanField(
        label=_("Administrator for the municipality"),
        required=False,
        help_text=_("Can invite colleagues, change their roles and remove them."),
    )

    def __init__(self, *args, roles: list[Role], for_municipality: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0].value
        if not for_municipality:
            del self.fields["make_municipality_admin"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("make_municipality_admin") and cleaned.get("role") != Role.EDITOR:
            self.add_error(
                "make_municipality_admin", _("Only an editor can administer the municipality.")
            )
        return cleaned


class MembershipForm(CleanTextMixin, forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(Role.EDITOR, Role.EDITOR.label), (Role.READER, Role.READER.label)],
    )
    is_municipality_admin = forms.BooleanField(
        label=_("Administrator for the municipality"), required=False
    )


class NewAccountForm(CleanTextMixin, SetPasswordMixin, forms.Form):
    """A new colleague's own account, set up from the invitation link."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Choose a password"), label2=_("The same password again")
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        from django.contrib.auth.models import User

        self.validate_passwords()
        probe = User(
            username=self.email,
            email=self.email,
            first_name=self.cleaned_data.get("first_name", ""),
            last_name=self.cleaned_data.get("last_name", ""),
        )
        self.validate_password_for_user(probe)
        return super().clean()


class OutboxPasswordResetForm(CleanTextMixin, PasswordResetForm):
    """Django's reset form, but the message goes through the outbox: retried when the mail
    server is away instead of being dropped (Django's own send_mail only logs the error),
    in the person's language, and with the link to SITE_URL."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        link = outbox.absolute_url(
            reverse("password_reset_confirm", args=[context["uid"], context["token"]])
        )
        outbox.enqueue(
            outbox.render(
                "emails/password_reset",
                {"user": user, "link": link, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
                to=to_email,
                language=language_for(user),
                kind="password_reset",
                sensitive=True,
            )
        )


class AuditSearchForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    action = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("Everything")), *AuditAction.choices]
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
