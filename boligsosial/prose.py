"""Words for running text that more than one app writes (the report's main findings, the
draft of a proposed decision): lists of names joined as a person writes them, and small
numbers as words.

Numbers up to twelve are written as words, as Språkrådet advises for running text ("fire
anbefalinger"). One is left to each sentence's own singular, since its form follows the
noun's gender ("én faktor", "ett tiltak").
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _


def number_word(n: int) -> str:
    """2–12 as a word in the active language ("fire"), other numbers as figures."""
    words = {
        2: _("two"),
        3: _("three"),
        4: _("four"),
        5: _("five"),
        6: _("six"),
        7: _("seven"),
        8: _("eight"),
        9: _("nine"),
        10: _("ten"),
        11: _("eleven"),
        12: _("twelve"),
    }
    return words.get(n, str(n))


def join_names(names: Sequence[str]) -> str:
    """ "A", "A og B", "A, B og C" in the active language: the last two joined by "and", the
    rest by commas; no "and" for a single name, nothing for none."""
    names = [str(name) for name in names]
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def quoted(name: str) -> str:
    """A name in Norwegian quotation marks, «Forankring og eierskap»: in a list of names that
    themselves hold "og", the marks show where each name ends."""
    return f"«{name}»"
