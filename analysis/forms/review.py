"""The review page's comment and decision forms, and opening a round."""

from django import forms
from django.utils.translation import gettext_lazy as _

from analysis.forms.mixins import PrivacyGuardMixin
from boligsosial.forms import BoundedNumbersMixin, CleanTextMixin
from reference.models import Questionnaire


class CommentForm(CleanTextMixin, PrivacyGuardMixin, forms.Form):
    """A comment or a reply; the privacy guard warns as on the planner's pages (a comment is
    kept with the analysis and shown in its history)."""

    privacy_fields = ("body",)
    # Drawn by hand on the review page (analysis/review/_pending_comment.html).
    summary_ids = {"body": "pending-comment"}

    body = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    target = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    # A reply may close the comment it answers ("løst").
    resolve = forms.BooleanField(label=_("Mark the comment as resolved"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_privacy_guard()


class InternalNoteForm(CleanTextMixin, PrivacyGuardMixin, forms.Form):
    """A note for the office only; the privacy guard warns as everywhere else, since a note
    is kept with the analysis all the same."""

    privacy_fields = ("body",)

    body = forms.CharField(
        label=_("Internal note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_privacy_guard()


class DecisionForm(CleanTextMixin, PrivacyGuardMixin, forms.Form):
    """Approve or send back, with a message the municipality gets by e-mail and keeps in the
    analysis's history; the privacy guard warns as on the planner's pages."""

    privacy_fields = ("message",)

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("send_back", _("Send back"))],
        widget=forms.HiddenInput,
    )
    message = forms.CharField(
        label=_("Message to the municipality"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Asked for on the page only while comments are open; the service checks it.
    despite_open_comments = forms.BooleanField(
        label=_("Approve even though comments are open"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_privacy_guard()


class RoundForm(CleanTextMixin, BoundedNumbersMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire edition"),
        queryset=Questionnaire.objects.filter(published_at__isnull=False),
    )
    opens_on = forms.DateField(label=_("Opens"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Closes"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("A round cannot close before it opens."))
        return cleaned
