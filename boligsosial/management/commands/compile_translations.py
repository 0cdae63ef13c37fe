"""Compile the .po catalogues with polib, so a fresh machine with only Python needs no GNU
gettext (see the stack notes on translations).

The bokmål catalogue must be complete. Nynorsk follows: where a nynorsk entry is not yet
translated, the compiled catalogue carries the bokmål text, so a nynorsk user sees Norwegian
rather than the English msgid.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/django.po to .mo without GNU gettext."
    # It reads and writes catalogue files only. The system checks would open the database
    # (the JSONField check asks the backend what it supports), which on SQLite creates an
    # empty db.sqlite3 in a fresh checkout that has not migrated yet.
    requires_system_checks = []

    def handle(self, *args, **options):
        locale_dir = Path(settings.LOCALE_PATHS[0])
        bokmaal = polib.pofile(str(locale_dir / "nb" / "LC_MESSAGES" / "django.po"))
        missing = [e.msgid for e in bokmaal.untranslated_entries() + bokmaal.fuzzy_entries()]
        if missing:
            raise CommandError(
                "The bokmål catalogue is incomplete; untranslated: " + "; ".join(missing[:10])
            )
        fallback = {e.msgid: e.msgstr for e in bokmaal.translated_entries()}
        for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/django.po")):
            po = polib.pofile(str(po_path))
            if po_path.parts[-3] != "nb":
                for entry in po:
                    if not entry.msgstr and entry.msgid in fallback:
                        entry.msgstr = fallback[entry.msgid]
            po.save_as_mofile(str(po_path.with_suffix(".mo")))
            self.stdout.write(str(po_path.with_suffix(".mo")))
