"""The municipality's own figures: added and removed by its editors, one row each."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from keyfigures.models import LocalFigure
from reference.models import Municipality


def add_local_figure(*, municipality: Municipality, by: User, **fields) -> LocalFigure:
    figure = LocalFigure(municipality=municipality, created_by=by, **fields)
    figure.full_clean()
    with transaction.atomic():
        figure.save()
    return figure


def remove_local_figure(*, municipality: Municipality, pk: int) -> None:
    deleted, _rows = LocalFigure.objects.filter(municipality=municipality, pk=pk).delete()
    if not deleted:
        raise ValidationError(_("The figure was already removed."))
