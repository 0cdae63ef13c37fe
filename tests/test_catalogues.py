"""No silent English: with DEBUG off, a compiled catalogue that is missing or says something
else than its .po is a system check error, so the release step (and migrate, and the report
commands) refuse to run; with DEBUG on (a laptop) nothing is checked."""

from __future__ import annotations

import shutil
from io import StringIO

import polib
import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from boligsosial.checks import check_compiled_catalogues

ROOT_LOCALE = "locale"


@pytest.fixture
def locale(settings, tmp_path):
    """A copy of the catalogues, compiled, that the test may break."""
    from pathlib import Path

    copy = tmp_path / "locale"
    shutil.copytree(Path(settings.BASE_DIR) / ROOT_LOCALE, copy)
    settings.LOCALE_PATHS = [copy]
    settings.DEBUG = False
    call_command("compile_translations", stdout=StringIO())
    return copy


def test_compiled_catalogues_pass(locale):
    assert check_compiled_catalogues() == []


def test_a_missing_catalogue_is_an_error(locale):
    (locale / "nn" / "LC_MESSAGES" / "django.mo").unlink()
    errors = check_compiled_catalogues()
    assert [e.id for e in errors] == ["boligsosial.E001"]
    assert "nn/LC_MESSAGES/django.mo is missing" in errors[0].msg


def test_a_catalogue_older_than_its_source_is_an_error(locale):
    po_path = locale / "nb" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    entry = po.find("Home")
    entry.msgstr = "Hjem (ny tekst)"
    po.save()
    errors = check_compiled_catalogues()
    assert [e.id for e in errors] == ["boligsosial.E002"]
    assert "'Home'" in errors[0].msg
    # Recompiling puts it right.
    call_command("compile_translations", stdout=StringIO())
    assert check_compiled_catalogues() == []


def test_a_nynorsk_entry_not_yet_translated_follows_the_bokmaal_text(locale):
    """compile_translations fills it with the bokmål text; a changed bokmål text must then be
    compiled into the nynorsk catalogue too."""
    nn = polib.pofile(str(locale / "nn" / "LC_MESSAGES" / "django.po"))
    nn.find("Home").msgstr = ""
    nn.save()
    call_command("compile_translations", stdout=StringIO())
    assert check_compiled_catalogues() == []
    nb = polib.pofile(str(locale / "nb" / "LC_MESSAGES" / "django.po"))
    nb.find("Home").msgstr = "Heim eller hjem"
    nb.save()
    assert {e.id for e in check_compiled_catalogues()} == {"boligsosial.E002"}


def test_with_debug_on_nothing_is_checked(locale, settings):
    (locale / "nb" / "LC_MESSAGES" / "django.mo").unlink()
    settings.DEBUG = True
    assert check_compiled_catalogues() == []


@pytest.mark.django_db
def test_the_report_command_refuses_to_run_on_a_stale_catalogue(locale, tmp_path):
    (locale / "nb" / "LC_MESSAGES" / "django.mo").unlink()
    with pytest.raises(SystemCheckError, match="django.mo is missing"):
        # As from the command line: call_command skips the checks unless told not to.
        call_command(
            "render_report",
            municipality="1841",
            round=2026,
            output=tmp_path / "x.pdf",
            skip_checks=False,
        )


def test_a_current_catalogue_is_known_by_its_recorded_digest_without_reading_the_po(
    locale, monkeypatch
):
    """render_report runs this check on every call: a catalogue compiled from exactly its .po
    says so in its header, and the texts are not compared."""

    def compare_texts(*args, **kwargs):
        raise AssertionError("the texts were compared")

    monkeypatch.setattr("boligsosial.catalogues.compiled_form", compare_texts)
    assert check_compiled_catalogues() == []


def test_a_catalogue_compiled_by_another_tool_is_compared_text_by_text(locale):
    """Without the digest (Django's compilemessages, say) the texts decide: current passes,
    changed since fails."""
    po_path = locale / "nb" / "LC_MESSAGES" / "django.po"
    polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
    assert check_compiled_catalogues() == []
    po = polib.pofile(str(po_path))
    po.find("Home").msgstr = "Hjem (ny tekst)"
    po.save()
    assert {e.id for e in check_compiled_catalogues()} == {"boligsosial.E002"}
