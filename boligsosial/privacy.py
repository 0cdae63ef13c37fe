"""The privacy guard: an analysis holds facts about services, not people (DESIGN.md, Privacy).

Pure functions that spot text which looks like it identifies a person, so the planner is
warned before saving (and an anonymous answer is refused):

- a Norwegian national identity number (fødselsnummer, D- or H-number, or a synthetic test
  number): 11 digits whose first six are a date and whose two mod-11 check digits are
  right, however they are written: together, in groups split by spaces, dots, slashes or
  hyphens ("15.03.85 10190", "15 03 85 101 90", "150385/10190"), with invisible characters
  between them, or in full-width digits;
- a person's name together with a case detail: two or more capitalised words in a row (a
  first name and a surname), or a common first name and the next word in any case
  ("kari nordmann", "KARI NORDMANN"), in the same sentence as a word about an individual case
  (diagnosis, debt, eviction, child welfare, treatment, and the like) or a street address,
  or in the sentence before or after one ("Kari Nordmann bor i kommunal bolig. Hun har
  husleierestanse."). Names of units and places also come as capitalised pairs ("Helse og
  omsorg" does not, "Fauske Kommune" may), so a name alone never warns; only the pair with a
  case detail does. The heuristic prefers a warning the planner can dismiss to a silent miss.

Text is normalised first (Unicode NFKC, invisible characters dropped, every dash a hyphen), so
look-alike characters change nothing.
"""

from __future__ import annotations

import re
import unicodedata

_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

# Zero-width and other invisible characters, which split a number or a name for the eye of a
# pattern but not for a reader.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
# Digits in groups, split by at most two separators (space, dot, slash, hyphen) each time.
_DIGIT_RUN = re.compile(r"(?<!\d)\d+(?:[\s./-]{1,2}\d+)*(?!\d)")
_DIGITS = re.compile(r"\d+")

# Capitalised word pairs (Norwegian letters included), e.g. "Kari Nordmann".
_FULL_NAME = re.compile(r"\b[A-ZÆØÅ][a-zæøåé]+(?:[ -][A-ZÆØÅ][a-zæøåé]+)+\b")
_CASE_WORDS = re.compile(
    r"\b(diagnose\w*|rus\w*|gjeld\w*|utkast\w*|begjæring\w*|barnevern\w*|behandling\w*|"
    r"innlagt|innleggelse\w*|psykisk\w*|soning\w*|straff\w*|sosialhjelp\w*|husleierestans\w*|"
    r"vedtak\w*|klient\w*|bruker(?:en)?|pasient\w*|leietaker(?:en)?|bostedsløs\w*|født)\b",
    re.IGNORECASE,
)
# A street address: a street name ending as Norwegian street names do, and a house number.
_ADDRESS = re.compile(
    r"\b\w+(?:gata|gaten|gate|veien|vegen|vei|veg|vn|gt|plassen|bakken|stien|svingen|lia|"
    r"haugen|tunet|torget|allé|alle)\.?\s+\d{1,4}\s?[a-zA-Z]?\b",
    re.IGNORECASE,
)
# Capitalised pairs that are not people: words that often start a sentence or name a unit.
_NOT_NAMES = {
    "nav",
    "husbanken",
    "statsforvalteren",
    "helse",
    "kommune",
    "kommunen",
    "fylkeskommune",
}
# Common first names, for names written in lower case or in capitals. Names that are also
# everyday words ("per", "bo", "liv", "dag", "tor", "finn", "line", "tone", "vår" …) are left
# out: they would warn about half the texts of the domain.
_COMMON_FIRST_NAMES = (
    "abdi ahmed ali anders andreas anita anne arild arne asbjørn astrid atle aud audun "
    "bente berit bård camilla daniel dagfinn egil einar eirik eivind elin ellen emil emma "
    "erik espen eva fatima frode geir gerd grete gunn gunnar hallvard halvor hanne hans "
    "harald hege heidi helge henrik hilde ida inger ingeborg ingrid ingvar irene ivar jakob "
    "jan jarle john jon jonas jostein julie jørgen kari karin kenneth ketil kjell knut "
    "kristian kristin kristoffer kåre laila lars lasse leif lene linda lise mads magnus "
    "maria marit markus martin mathias mette mikkel mohammed mona monica morten nils nina "
    "nora ola olav ole omar oliver ove petter ragnar ragnhild randi reidar reidun roar rolf "
    "ronny roy sander sara sigrid sigurd silje sindre solveig steinar stian stig svein "
    "sverre synnøve terje thea thomas tobias tom tore torill tormod torbjørn tove trine "
    "trond turid vegard vidar vigdis wenche william yngve åge åshild øystein øyvind"
)
_FIRST_NAMES = frozenset(_COMMON_FIRST_NAMES.split())
_FIRST_NAME = re.compile(
    r"\b(?:" + "|".join(sorted(_FIRST_NAMES)) + r")[ -][a-zæøåé]{2,}\b", re.IGNORECASE
)


def normalise(text: str) -> str:
    """The text as the patterns read it: compatibility characters folded (NFKC: full-width
    digits, non-breaking spaces), invisible characters dropped, every dash a hyphen."""
    text = unicodedata.normalize("NFKC", text or "")
    return _DASHES.sub("-", _INVISIBLE.sub("", text))


def _checksum_ok(digits: str) -> bool:
    numbers = [int(d) for d in digits]
    k1 = 11 - sum(w * n for w, n in zip(_W1, numbers[:9], strict=True)) % 11
    k1 = 0 if k1 == 11 else k1
    k2 = 11 - sum(w * n for w, n in zip(_W2, numbers[:10], strict=True)) % 11
    k2 = 0 if k2 == 11 else k2
    return k1 < 10 and k2 < 10 and numbers[9] == k1 and numbers[10] == k2


def _is_birth_date(digits: str) -> bool:
    """The first six digits as a date: a D-number adds 40 to the day, an H-number 40 to the
    month, a synthetic test number 80."""
    day, month = int(digits[:2]), int(digits[2:4])
    return (1 <= day <= 31 or 41 <= day <= 71) and any(
        1 <= month - add <= 12 for add in (0, 40, 80)
    )


def find_identity_numbers(text: str) -> list[str]:
    """Every run of digit groups that together make 11 digits passing both fødselsnummer
    check digits (as written, after normalising). A group is never split: "…190 7" may be
    part of a number, "…1907" is a longer number."""
    text = normalise(text)
    found = []
    for run in _DIGIT_RUN.finditer(text):
        groups = list(_DIGITS.finditer(run.group(0)))
        for first in range(len(groups)):
            digits = ""
            for last in range(first, len(groups)):
                digits += groups[last].group(0)
                if len(digits) >= 11:
                    break
            if len(digits) == 11 and _is_birth_date(digits) and _checksum_ok(digits):
                found.append(run.group(0)[groups[first].start() : groups[last].end()])
    return found


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _names(sentence: str) -> list[str]:
    names = []
    for name in _FULL_NAME.findall(sentence):
        words = {w.lower() for w in re.split(r"[ -]", name)}
        if not words & _NOT_NAMES:
            names.append(name)
    if not names:
        names = _FIRST_NAME.findall(sentence)
    return names


def _has_case_detail(sentence: str) -> bool:
    return bool(_CASE_WORDS.search(sentence) or _ADDRESS.search(sentence))


def find_named_cases(text: str) -> list[str]:
    """Names that share a sentence, or stand in the sentence next to one, with a case detail
    or an address."""
    sentences = _sentences(normalise(text))
    detail = [_has_case_detail(s) for s in sentences]
    hits = []
    for i, sentence in enumerate(sentences):
        if any(detail[max(i - 1, 0) : i + 2]):
            hits += _names(sentence)
    return hits


def privacy_warnings(text: str) -> list[str]:
    """What looks like it identifies a person, as short descriptions for the warning."""
    return [*find_identity_numbers(text), *find_named_cases(text)]
