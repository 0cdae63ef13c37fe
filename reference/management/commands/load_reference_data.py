import argparse
import datetime
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reference.services.loading import ReferenceDataError, load_reference_data


def _plural(label: str) -> str:
    return str(apps.get_model(label)._meta.verbose_name_plural)


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            _("«%(value)s» is not a date; write it as YYYY-MM-DD, e.g. 2026-01-01.")
            % {"value": value}
        ) from error


class Command(BaseCommand):
    help = "Load municipalities, counties, regions, success factors and the questionnaire."

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipalities",
            type=Path,
            help="A newer municipality file (same columns as fixtures/reference/kommuner-2024.csv)",
        )
        parser.add_argument(
            "--valid-from",
            type=_date,
            help="The date the --municipalities file's classification is valid from (YYYY-MM-DD)",
        )

    def handle(self, *args, **options):
        try:
            report = load_reference_data(
                municipalities_file=options["municipalities"], valid_from=options["valid_from"]
            )
        except ReferenceDataError as error:
            raise CommandError(str(error)) from error
        if report.kept_classification:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "The municipality file is valid from %(file)s, older than the newest "
                        "classification already loaded (valid from %(newest)s); the "
                        "municipalities were left unchanged."
                    )
                    % {
                        "file": date_format(report.refused_classification),
                        "newest": date_format(report.kept_classification),
                    }
                )
            )
        if not report.changed_anything:
            self.stdout.write(_("Reference data is already up to date; nothing was changed."))
            return
        for label, n in sorted(report.created.items()):
            self.stdout.write(_("Created %(n)s %(kind)s") % {"n": n, "kind": _plural(label)})
        for label, n in sorted(report.updated.items()):
            self.stdout.write(_("Updated %(n)s %(kind)s") % {"n": n, "kind": _plural(label)})
        for label, n in sorted(report.deleted.items()):
            self.stdout.write(
                _("Deleted %(n)s %(kind)s (no longer in the file)")
                % {"n": n, "kind": _plural(label)}
            )
        for name in report.ended:
            self.stdout.write(_("Ended (no longer in the classification): %s") % name)
        self.stdout.write(self.style.SUCCESS(_("Reference data loaded.")))
