from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keyfigures.services.fetching import FetchFailed, fetch_indicators


class Command(BaseCommand):
    help = (
        "Fetch the catalogue's key figures from Statistics Norway's API (PxWebApi 2) for all "
        "municipalities, counties, the country and the KOSTRA groups; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--indicator", help="fetch this indicator only (its code)")
        parser.add_argument("--from-year", type=int, help="only years from this one")
        parser.add_argument("--dry-run", action="store_true", help="fetch and check, write nothing")

    def handle(self, *args, **options):
        def progress(done: int, total: int, message: str) -> None:
            if options["verbosity"] > 1:
                self.stderr.write(f"{done}/{total} {message}")

        try:
            result = fetch_indicators(
                indicator_code=options["indicator"],
                from_year=options["from_year"],
                dry_run=options["dry_run"],
                via="command",
                progress=progress,
            )
        except FetchFailed as error:
            raise CommandError(
                _("Nothing was fetched or written:") + "\n" + "\n".join(error.errors[:50])
            ) from None
        report = result.report
        for message in result.messages:
            self.stdout.write(self.style.WARNING(message))
        self.stdout.write(
            _(
                "Indicators fetched: %(indicators)s (%(queries)s queries). Values read: "
                "%(rows)s. Created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s."
            )
            % {
                "indicators": ", ".join(result.indicators) or "–",
                "queries": result.queries,
                "rows": report.rows_read,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            }
        )
        self.stdout.write(
            _(
                "Official county, country and KOSTRA group figures: created %(created)s, "
                "updated %(updated)s, unchanged %(unchanged)s."
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
