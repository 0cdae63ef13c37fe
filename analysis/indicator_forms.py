from django import forms
from django.utils.translation import gettext_lazy as _

from analysis.models import Indicator


class IndicatorUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Statistics file"),
        help_text=_("CSV or Excel (.xlsx) as downloaded from SSB, KOSTRA, Husbanken or NAV."),
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        queryset=Indicator.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("Read it from the file"),
    )
    dry_run = forms.BooleanField(label=_("Check the file only; write nothing"), required=False)
