import uuid

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext_lazy as _

from boligsosial.forms import BoundedNumbersMixin, CleanTextMixin
from boligsosial.privacy import privacy_warnings
from keyfigures.models import Indicator, LocalFigure


class IndicatorUploadForm(CleanTextMixin, forms.Form):
    # An empty file reaches the importer, which says so in the same words as for the command.
    file = forms.FileField(
        allow_empty_file=True,
        label=_("Statistics file"),
        help_text=_("CSV or Excel (.xlsx) as downloaded from SSB, KOSTRA, Husbanken or NAV."),
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        queryset=Indicator.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("Read it from the file"),
        help_text=_(
            "Needed only when the file does not name the indicator. In a file with several "
            "indicators, only the rows of the chosen one are taken."
        ),
    )
    dry_run = forms.BooleanField(label=_("Check the file only; write nothing"), required=False)
    # Names this import's progress; the page's script asks for it while the upload runs.
    import_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("import_id", uuid.uuid4())


class LimitedUploadHandler(FileUploadHandler):
    """Stops receiving an uploaded file as soon as it passes the limit, so a huge file is
    never kept on disk or in memory; the rest of the request body is read and thrown away."""

    def __init__(self, limit: int, request=None):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class LocalFigureForm(CleanTextMixin, BoundedNumbersMixin, forms.ModelForm):
    """A figure of the municipality's own: what, year, value, unit, source (required) and a
    note."""

    class Meta:
        model = LocalFigure
        fields = ["name", "year", "value", "unit", "source", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "source": _("Where the figure comes from, e.g. “the housing office's case system”."),
        }

    def clean(self):
        """A figure is a number about the municipality, never about a person: text that looks
        like it identifies someone (boligsosial/privacy.py) is refused, with no confirmation
        to tick, in the name, the source and the note alike."""
        cleaned = super().clean()
        for name in ("name", "source", "note"):
            if privacy_warnings(cleaned.get(name) or ""):
                self.add_error(
                    name,
                    forms.ValidationError(
                        _(
                            "This can identify a person. A figure of the municipality's own is "
                            "about many: remove names, national identity numbers and addresses."
                        ),
                        code="privacy",
                    ),
                )
        return cleaned
