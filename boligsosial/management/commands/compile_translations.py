"""Compile the .po catalogues with polib, so a fresh machine with only Python needs no GNU
gettext (see the stack notes on translations).

The bokmål catalogue must be complete. Nynorsk follows: where a nynorsk entry is not yet
translated, the compiled catalogue carries the bokmål text, so a nynorsk user sees Norwegian
rather than the English msgid.
"""

from django.core.management.base import BaseCommand, CommandError

from boligsosial import catalogues


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/django.po to .mo without GNU gettext."
    # It reads and writes catalogue files only. The system checks would open the database
    # (the JSONField check asks the backend what it supports), which on SQLite creates an
    # empty db.sqlite3 in a fresh checkout that has not migrated yet.
    requires_system_checks = []

    def handle(self, *args, **options):
        bokmaal = catalogues.source_catalogue()
        missing = [e.msgid for e in bokmaal.untranslated_entries() + bokmaal.fuzzy_entries()]
        if missing:
            raise CommandError(
                "The bokmål catalogue is incomplete; untranslated: " + "; ".join(missing[:10])
            )
        fallback = catalogues.fallback_texts()
        for po_path in catalogues.catalogue_paths():
            po = catalogues.compiled_form(po_path, fallback)
            po.save_as_mofile(str(po_path.with_suffix(".mo")))
            self.stdout.write(str(po_path.with_suffix(".mo")))
