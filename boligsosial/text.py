"""Free text as the app keeps it: no C0 control characters, whatever was pasted.

A vertical tab from Word ("Koordinerings\\x0bgruppe", Word's line break) or a NUL byte is
invisible on the page but breaks an Excel export (openpyxl refuses it), a CSV reader or a
PostgreSQL text column. Text is cleaned when it comes in (boligsosial/forms.py) and once more
when it goes out (boligsosial/spreadsheets.py), for what was stored before.

Pure functions; they import nothing of ours.
"""

from __future__ import annotations

import re

# Word's manual line break (vertical tab) and page break (form feed) mean a new line.
_LINE_BREAKS = re.compile(r"[\x0b\x0c]")
# Every C0 control character but tab and the line ends (LF, and the CR of a browser's CRLF,
# which analysis/merge.py reads as LF), and DEL.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# The same, with tab, newline and carriage return, for text of one line.
_ALL_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_WHITE_CONTROLS = re.compile(r"[\t\n\r\x0b\x0c]+")


def clean_text(value: str, *, multiline: bool) -> str:
    """The text without control characters. Text of several lines keeps its tabs and line
    breaks (a vertical tab or form feed becomes a newline); text of one line
    gets a space for each run of them. Every other control character is dropped."""
    if multiline:
        return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", value))
    return _ALL_CONTROLS.sub("", _WHITE_CONTROLS.sub(" ", value))
