"""The privacy guard: an analysis holds facts about services, not people (DESIGN.md, Privacy).

Pure functions that spot text which looks like it identifies a person, so the planner is
warned before saving:

- a Norwegian national identity number (fødselsnummer or D-number): 11 digits whose two
  mod-11 check digits are right, written together or with a space or a hyphen after the
  six date digits ("010190 12345", "010190-12345");
- a person's full name together with a case detail: two or more capitalised words in a row
  (a first name and a surname) in the same sentence as a word about an individual case
  (diagnosis, debt, eviction, child welfare, treatment, and the like). Names of units and
  places also come as capitalised pairs ("Helse og omsorg" does not, "Fauske Kommune" may),
  so a name alone never warns; only the pair with a case word does. The heuristic prefers a
  warning the planner can dismiss to a silent miss.
"""

from __future__ import annotations

import re

_FNR = re.compile(r"(?<!\d)(\d{6})[\s-]?(\d{5})(?!\d)")
_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

# Capitalised word pairs (Norwegian letters included), e.g. "Kari Nordmann".
_FULL_NAME = re.compile(r"\b[A-ZÆØÅ][a-zæøåé]+(?:[ -][A-ZÆØÅ][a-zæøåé]+)+\b")
_CASE_WORDS = re.compile(
    r"\b(diagnose\w*|rus\w*|gjeld\w*|utkast\w*|begjæring\w*|barnevern\w*|behandling\w*|"
    r"innlagt|innleggelse\w*|psykisk\w*|soning\w*|straff\w*|sosialhjelp\w*|husleierestans\w*|"
    r"vedtak\w*|klient\w*|bruker(?:en)?|pasient\w*|leietaker(?:en)?|bostedsløs\w*|født)\b",
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


def _checksum_ok(digits: str) -> bool:
    numbers = [int(d) for d in digits]
    k1 = 11 - sum(w * n for w, n in zip(_W1, numbers[:9], strict=True)) % 11
    k1 = 0 if k1 == 11 else k1
    k2 = 11 - sum(w * n for w, n in zip(_W2, numbers[:10], strict=True)) % 11
    k2 = 0 if k2 == 11 else k2
    return k1 < 10 and k2 < 10 and numbers[9] == k1 and numbers[10] == k2


def find_identity_numbers(text: str) -> list[str]:
    """Every 11-digit sequence that passes both fødselsnummer check digits."""
    found = []
    for match in _FNR.finditer(text or ""):
        digits = match.group(1) + match.group(2)
        if _checksum_ok(digits):
            found.append(match.group(0))
    return found


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def find_named_cases(text: str) -> list[str]:
    """Full-name-like word pairs that share a sentence with a case detail."""
    hits = []
    for sentence in _sentences(text or ""):
        if not _CASE_WORDS.search(sentence):
            continue
        for name in _FULL_NAME.findall(sentence):
            words = {w.lower() for w in re.split(r"[ -]", name)}
            if words & _NOT_NAMES:
                continue
            hits.append(name)
    return hits


def privacy_warnings(text: str) -> list[str]:
    """What looks like it identifies a person, as short descriptions for the warning."""
    return [*find_identity_numbers(text), *find_named_cases(text)]
