"""Fill msgstr in a catalogue from a tab-separated file of `msgid<TAB>msgstr` lines.

Usage: python scripts/fill_translations.py nb translations.tsv
(for a plural entry, the translation is "singular||plural")
Existing translations are overwritten only when the file gives a new one; afterwards run
`python manage.py compile_translations`. The bokmål catalogue must stay complete (CI checks).
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main(language: str, tsv: str) -> None:
    pairs = {}
    for line in Path(tsv).read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            msgid, msgstr = line.split("\t", 1)
            pairs[msgid] = msgstr
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path))
    filled = 0
    for entry in po:
        if entry.msgid in pairs:
            if entry.msgid_plural:
                # plural forms as "singular||plural"
                singular, _sep, plural = pairs[entry.msgid].partition("||")
                entry.msgstr_plural = {0: singular, 1: plural or singular}
            else:
                entry.msgstr = pairs[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
    po.save(str(path))
    missing = [e.msgid for e in po.untranslated_entries()]
    print(f"{filled} filled; {len(missing)} still untranslated")
    for msgid in missing:
        print("  untranslated:", msgid)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
