from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keyfigures.importers import ImportError_
from keyfigures.services.imports import import_indicator_file, size_error


class Command(BaseCommand):
    help = "Import key figures from a statistics file (CSV or .xlsx), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--indicator", help="indicator code, when the file does not name it")
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("The file %(path)s does not exist.") % {"path": path})
        # Refused by its size before a byte is read: stat, not read_bytes.
        if error := size_error(path.stat().st_size):
            raise CommandError(_("Nothing was imported:") + "\n" + "\n".join(error.errors))

        stages = {"compare": _("compared"), "write": _("written")}

        def progress(stage: str, done: int, total: int) -> None:
            if stage in stages and total:
                self.stderr.write(f"\r{stages[stage]}: {done}/{total}", ending="")
                if done == total:
                    self.stderr.write("")

        try:
            report = import_indicator_file(
                data=path.read_bytes(),
                filename=path.name,
                indicator_code=options["indicator"],
                dry_run=options["dry_run"],
                progress=progress,
            )
        except ImportError_ as error:
            raise CommandError(
                _("Nothing was imported:") + "\n" + "\n".join(error.errors[:50])
            ) from None
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(warning))
        self.stdout.write(
            _(
                "Rows read: %(rows)s. Created: %(created)s, updated: %(updated)s, unchanged: "
                "%(unchanged)s."
            )
            % {
                "rows": report.rows_read,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            }
        )
        if report.aggregates_created or report.aggregates_updated or report.aggregates_unchanged:
            self.stdout.write(
                _(
                    "Official county and country figures: created %(created)s, updated "
                    "%(updated)s, unchanged %(unchanged)s."
                )
                % {
                    "created": report.aggregates_created,
                    "updated": report.aggregates_updated,
                    "unchanged": report.aggregates_unchanged,
                }
            )
        for reason, count in report.skipped.items():
            self.stdout.write(
                _("Skipped %(count)s: %(reason)s") % {"count": count, "reason": reason}
            )
        if report.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
