from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from analysis.services.reference import load_reference_data


def _plural(label: str) -> str:
    return str(apps.get_model(label)._meta.verbose_name_plural)


class Command(BaseCommand):
    help = "Load municipalities, counties, regions, success factors and the questionnaire."

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipalities",
            type=Path,
            help="A newer municipality file (same columns as fixtures/reference/kommuner-2024.csv)",
        )

    def handle(self, *args, **options):
        report = load_reference_data(municipalities_file=options["municipalities"])
        if not report.changed_anything:
            self.stdout.write(_("Reference data is already up to date; nothing was changed."))
            return
        for label, n in sorted(report.created.items()):
            self.stdout.write(_("Created %(n)s %(kind)s") % {"n": n, "kind": _plural(label)})
        for label, n in sorted(report.updated.items()):
            self.stdout.write(_("Updated %(n)s %(kind)s") % {"n": n, "kind": _plural(label)})
        for name in report.ended:
            self.stdout.write(_("Ended (no longer in the classification): %s") % name)
        self.stdout.write(self.style.SUCCESS(_("Reference data loaded.")))
