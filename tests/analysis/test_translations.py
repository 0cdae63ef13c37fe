"""The bokmål catalogue must be complete: compile_translations (run by make run, make test and
.ci/run after a fresh makemessages) refuses an untranslated or fuzzy entry."""

import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command, execute_from_command_line


@pytest.fixture
def locale_copy(tmp_path, settings):
    directory = tmp_path / "locale"
    shutil.copytree(settings.LOCALE_PATHS[0], directory, ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [directory]
    return directory


def add_entry(locale_dir, **entry) -> None:
    path = locale_dir / "nb" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path))
    po.append(polib.POEntry(**entry))
    po.save(str(path))


def test_the_complete_catalogue_compiles(locale_copy):
    call_command("compile_translations", stdout=None)
    assert (locale_copy / "nb" / "LC_MESSAGES" / "django.mo").exists()
    assert (locale_copy / "nn" / "LC_MESSAGES" / "django.mo").exists()


def test_an_untranslated_bokmaal_entry_fails_the_build(locale_copy):
    add_entry(locale_copy, msgid="A new sentence nobody translated", msgstr="")
    with pytest.raises(CommandError, match="A new sentence nobody translated"):
        call_command("compile_translations")
    assert not (locale_copy / "nb" / "LC_MESSAGES" / "django.mo").exists()


def test_a_fuzzy_bokmaal_entry_fails_the_build(locale_copy):
    add_entry(locale_copy, msgid="A guessed sentence", msgstr="En gjettet setning", flags=["fuzzy"])
    with pytest.raises(CommandError, match="A guessed sentence"):
        call_command("compile_translations")


def test_the_real_catalogue_has_no_untranslated_bokmaal_entry():
    po = polib.pofile(str(settings.LOCALE_PATHS[0] / "nb" / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()] == []


def test_compiling_needs_no_database(locale_copy):
    """A fresh checkout compiles its catalogues before it has a database: the command, run as
    manage.py runs it (system checks included), must not open one (on SQLite that would leave
    an empty db.sqlite3 behind). pytest-django refuses any database access in this test."""
    execute_from_command_line(["manage.py", "compile_translations"])
    assert (locale_copy / "nb" / "LC_MESSAGES" / "django.mo").exists()
