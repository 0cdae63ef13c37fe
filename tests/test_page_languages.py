"""Every page, in nynorsk and in English, holds no text left in another language.

The pages are the browser walk's (tests/browser/test_every_page.py): every page each persona
opens, with the demo data. They are read as the server renders them, with the test client:
every text a person sees comes from the server (the scripts take theirs from data attributes),
so a browser would find nothing more, and this runs in seconds.

What counts as untranslated comes from the catalogues themselves:
- in nynorsk, a bokmål text of ours whose nynorsk is different, and an English msgid;
- in English, a bokmål or nynorsk text of ours.
A text is looked for by its longest run of words without a placeholder, when that run is long
enough to mean something (a short one such as "Lagre" or "Status" is the same word in several
languages) and appears in no text of the language the page is in. What people wrote (the demo's
answers, measures and projects, in bokmål) is theirs, not ours: a run the demo data writes as a
person's text is not counted.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils.translation import get_language_info

from tests import module_data
from tests.browser.test_every_page import DEMO_USERS, demo_world, pages_for, urls_for

pytestmark = pytest.mark.django_db

__all__ = ["demo_world"]  # the fixture, imported to be used here


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, seeded once for the module's pages (about 1.5 s a seeding); what each
    test makes (`demo_world`, a request's writes) is rolled back before the next
    (tests/module_data.py)."""
    with module_data.made_once(django_db_blocker, tmp_path_factory.mktemp("media")):
        call_command("seed_demo", stdout=StringIO())
        yield


@pytest.fixture
def demo_data(seeded_once, db):
    """The demo data seeded once (conftest.py's fixture would seed it again)."""


LOCALE = Path(settings.BASE_DIR) / "locale"
DEMO_SOURCE = Path(settings.BASE_DIR) / "demo" / "management" / "commands" / "seed_demo.py"
PLACEHOLDER = re.compile(r"%(\([^)]*\))?[sdfr%]|\{[^}]*\}")
# Long enough that the same run of words in two languages would be a coincidence.
MIN_LENGTH = 16


def _runs(text: str) -> list[str]:
    return [" ".join(part.split()) for part in PLACEHOLDER.split(text or "") if part]


def _longest_run(text: str) -> str:
    runs = [r for r in _runs(text) if " " in r]
    return max(runs, key=len, default="")


def _texts(entry: polib.POEntry, *, source: bool) -> list[str]:
    if source:
        return [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
    if entry.msgid_plural:
        return [v for _, v in sorted(entry.msgstr_plural.items())]
    return [entry.msgstr]


@cache
def catalogue(lang: str) -> dict[tuple[str, str], polib.POEntry]:
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    return {(e.msgctxt or "", e.msgid): e for e in po if not e.obsolete}


@cache
def foreign_texts(page_language: str) -> dict[str, str]:
    """Run of words → where it comes from, for texts that must not show on a page in
    `page_language`."""
    nb, nn = catalogue("nb"), catalogue("nn")
    own = " \n ".join(
        " ".join(" ".join(_runs(t)) for t in _texts(e, source=page_language == "en"))
        for e in (nn if page_language == "nn" else nb).values()
    )
    if page_language == "en":
        # The English page's own texts are the msgids, in nb's catalogue as in nn's.
        own = " \n ".join(
            " ".join(" ".join(_runs(t)) for t in (e.msgid, e.msgid_plural)) for e in nb.values()
        )
    candidates: dict[str, str] = {}

    def consider(text: str, origin: str) -> None:
        run = _longest_run(text)
        if len(run) >= MIN_LENGTH and run.lower() not in own.lower():
            candidates.setdefault(run, origin)

    for key, entry in nb.items():
        if page_language == "nn":
            nn_entry = nn.get(key)
            if nn_entry is None or _texts(nn_entry, source=False) == _texts(entry, source=False):
                continue  # not (yet) a nynorsk text of its own: bokmål is what nynorsk shows
            for text in _texts(entry, source=False):
                consider(text, f"bokmål of {entry.msgid!r}")
            for text in _texts(entry, source=True):
                consider(text, "an English msgid")
        else:
            for text in _texts(entry, source=False):
                consider(text, f"bokmål of {entry.msgid!r}")
            if nn_entry := nn.get(key):
                for text in _texts(nn_entry, source=False):
                    consider(text, f"nynorsk of {entry.msgid!r}")
    return candidates


class _Text(HTMLParser):
    """What a person sees or hears on a page: text outside script and style, and the texts of
    the attributes a screen reader or a tooltip reads out."""

    SPOKEN = {"alt", "title", "aria-label", "placeholder", "aria-description"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self.hidden += 1
        button = tag == "input" and dict(attrs).get("type") in {"submit", "button"}
        for name, value in attrs:
            if value and (name in self.SPOKEN or (button and name == "value")):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"} and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def written_by_people() -> str:
    """The texts the demo data writes as planners' answers, measures and projects, and the
    proposed decisions it saved: each in the municipality's own language, whatever the page's."""
    from plans.models import DecisionProposal

    saved = " ".join(DecisionProposal.objects.values_list("text", flat=True))
    return " ".join((DEMO_SOURCE.read_text() + " " + saved).split())


def untranslated_on(html: str, language: str) -> list[str]:
    text, theirs = page_text(html), written_by_people()
    found = [
        f"{run!r} ({origin})"
        for run, origin in foreign_texts(language).items()
        if run in text and run not in theirs
    ]
    if language != "en":
        english = english_only_words()
        found += [
            f"{word!r} (an English word)"
            for word in dict.fromkeys(WORD.findall(text))
            if word.lower() in english
        ]
    return found


def test_the_check_finds_a_bokmaal_text_on_a_nynorsk_page():
    """The check itself: it sees "Skjemaet ble ikke sendt som forventet" (bokmål) on a nynorsk
    page, and the English msgid, and is quiet on the nynorsk text and in a script."""
    msgid = "The form was not sent as expected."
    nb, nn = catalogue("nb")[("", msgid)].msgstr, catalogue("nn")[("", msgid)].msgstr
    assert nb != nn
    assert untranslated_on(f"<p>{nb}</p>", "nn")
    assert untranslated_on(f"<button title='{msgid}'>x</button>", "nn")
    assert untranslated_on(f"<p>{nn}</p>", "nn") == []
    assert untranslated_on(f"<p>{nb}</p>", "en")
    assert untranslated_on(f"<p>{nn}</p>", "en")
    assert untranslated_on(f"<p>{msgid}</p>", "en") == []
    assert untranslated_on(f"<script>'{nb}'</script>", "nn") == []


@pytest.mark.parametrize("language", ["nn", "en"])
@pytest.mark.parametrize("persona", DEMO_USERS)
def test_every_page_the_persona_opens_is_in_the_chosen_language(
    persona, language, client, demo_world
):
    if DEMO_USERS[persona]:
        client.force_login(User.objects.get(username=DEMO_USERS[persona]))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    found = []
    for row in pages_for(persona):
        for url in urls_for(persona, row, demo_world):
            response = client.get(url)
            assert response.status_code == 200, f"{url} answered {response.status_code}"
            assert response.headers["Content-Language"] == language, url
            found += [
                f"{url}: {hit}" for hit in untranslated_on(response.content.decode(), language)
            ]
    assert found == [], "\n".join(found)


WORD = re.compile(r"[A-Za-zÆØÅæøå]{5,}")


@cache
def english_only_words() -> frozenset[str]:
    """Words of our English msgids that no bokmål or nynorsk text of ours, and no demo text,
    uses: such a word on a nynorsk page is English nobody translated, or never marked for
    translation at all."""
    nb, nn = catalogue("nb"), catalogue("nn")
    english = {
        w.lower()
        for e in nb.values()
        for t in (e.msgid, e.msgid_plural)
        for w in WORD.findall(PLACEHOLDER.sub(" ", t or ""))
    }
    norwegian = {
        w.lower()
        for cat in (nb, nn)
        for e in cat.values()
        for t in _texts(e, source=False)
        for w in WORD.findall(t or "")
    }
    demo = {w.lower() for w in WORD.findall(" ".join(DEMO_SOURCE.read_text().split()))}
    # The language switcher names each language in itself ("English"), as it should.
    autonyms = {get_language_info(code)["name_local"].lower() for code, _ in settings.LANGUAGES}
    return frozenset(english - norwegian - demo - autonyms)
