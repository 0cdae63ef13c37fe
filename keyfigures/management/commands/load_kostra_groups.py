from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keyfigures.importers import ImportError_
from keyfigures.services.kostra_groups import load_kostra_groups
from keyfigures.ssb import SSBUnavailable


class Command(BaseCommand):
    help = (
        "Load each municipality's KOSTRA group for a year from SSB's KLASS (classification "
        "112 → 131), or from a KLASS answer kept in a file (--file, with --source)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--file", type=Path, help="a KLASS correspondsAt answer (JSON)")
        parser.add_argument(
            "--source", default="", help="where and when the file was retrieved (with --file)"
        )

    def handle(self, *args, **options):
        data = None
        if options["file"]:
            if not options["source"]:
                raise CommandError(
                    _(
                        "Name the file's source and date with --source, e.g. “SSB KLASS, "
                        "retrieved 2025-10-15”."
                    )
                )
            data = options["file"].read_bytes()
        try:
            report = load_kostra_groups(year=options["year"], data=data, source=options["source"])
        except (ImportError_, SSBUnavailable) as error:
            errors = getattr(error, "errors", None) or [str(error)]
            raise CommandError(_("Nothing was loaded:") + "\n" + "\n".join(errors)) from None
        for reason, count in report.skipped.items():
            self.stdout.write(
                self.style.WARNING(
                    _("Skipped %(count)s: %(reason)s") % {"count": count, "reason": reason}
                )
            )
        message = (
            _("KOSTRA groups %(year)s unchanged: %(groups)s groups, %(n)s municipalities.")
            if report.unchanged
            else _("KOSTRA groups %(year)s loaded: %(groups)s groups, %(n)s municipalities.")
        )
        self.stdout.write(
            message % {"year": report.year, "groups": report.groups, "n": report.memberships}
        )
        self.stdout.write(_("Source: %(source)s") % {"source": report.source})
