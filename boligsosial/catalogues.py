"""The translation catalogues: how each compiled .mo is made from its .po (compile_translations)
and whether the .mo on disk still says what its .po says (the system check in checks.py).

The compiled catalogues are not in the repository. A process started without `make` (a cron
job, a container built without the compile step) would otherwise show English without a word
of warning; the check compares contents, not file dates, since a git checkout sets dates at
random.
"""

from __future__ import annotations

import gettext
import hashlib
from collections.abc import Iterator
from pathlib import Path

import polib
from django.conf import settings

SOURCE_LANGUAGE = "nb"  # complete; the other catalogues fall back on it entry by entry
PLURAL_SAMPLES = (0, 1, 2, 5, 21)


def catalogue_paths() -> Iterator[Path]:
    locale_dir = Path(settings.LOCALE_PATHS[0])
    yield from sorted(locale_dir.glob("*/LC_MESSAGES/django.po"))


def source_catalogue() -> polib.POFile:
    return polib.pofile(
        str(Path(settings.LOCALE_PATHS[0]) / SOURCE_LANGUAGE / "LC_MESSAGES" / "django.po")
    )


# The header of a compiled catalogue that names what it was compiled from (source_digest).
DIGEST_HEADER = "X-Source-SHA256"


def source_digest(po_path: Path) -> str:
    """A digest of everything the catalogue is compiled from: its .po, and for a catalogue
    that falls back on bokmål, bokmål's .po too."""
    digest = hashlib.sha256(po_path.read_bytes())
    if po_path.parts[-3] != SOURCE_LANGUAGE:
        source = Path(settings.LOCALE_PATHS[0]) / SOURCE_LANGUAGE / "LC_MESSAGES" / "django.po"
        digest.update(source.read_bytes())
    return digest.hexdigest()


def compiled_from(mo_path: Path) -> str:
    """The source digest a compiled catalogue records ("" if none: compiled elsewhere)."""
    with mo_path.open("rb") as handle:
        return gettext.GNUTranslations(handle).info().get(DIGEST_HEADER.lower(), "")


def compiled_form(po_path: Path, fallback: dict[str, str]) -> polib.POFile:
    """The catalogue as it is compiled: a nynorsk entry not yet translated carries the bokmål
    text, so a nynorsk reader sees Norwegian rather than the English msgid. Its header
    records the digest of its sources, so the system check can tell a current .mo without
    reading the .po (compiled_from)."""
    po = polib.pofile(str(po_path))
    po.metadata[DIGEST_HEADER] = source_digest(po_path)
    if po_path.parts[-3] != SOURCE_LANGUAGE:
        for entry in po:
            if not entry.msgstr and not entry.msgid_plural and entry.msgid in fallback:
                entry.msgstr = fallback[entry.msgid]
    return po


def fallback_texts() -> dict[str, str]:
    return {e.msgid: e.msgstr for e in source_catalogue().translated_entries()}


def stale_entries(po: polib.POFile, mo_path: Path) -> list[str]:
    """The msgids whose text in the .mo differs from the catalogue's (none: it is current)."""
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in po.translated_entries():
        if entry.msgid_plural:
            got = [
                compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                if entry.msgctxt
                else compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                for n in PLURAL_SAMPLES
            ]
            want = [entry.msgstr_plural.get(compiled.plural(n), "") for n in PLURAL_SAMPLES]
        else:
            got = (
                compiled.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt
                else compiled.gettext(entry.msgid)
            )
            want = entry.msgstr
        if got != want:
            stale.append(entry.msgid)
    return stale
