"""Data a module's tests share, made once instead of before every test.

`made_once` holds a transaction open while the module's tests run: what is made inside it
exists for every test, and is rolled back when the module ends. Each test still runs in its
own savepoint (pytest-django's `db`), so what one test writes is rolled back before the next
starts, exactly as when each test made the data itself. Only for modules whose tests are all
plain `django_db` tests: a transactional test commits, and cannot run inside this
transaction.

Inside the block, the settings the autouse fixtures in conftest.py give every test apply too
(they are function fixtures, not active yet), and files go to `media`: a test copies them into
its own MEDIA_ROOT (`own_media`), so that files a test writes never reach the next one.
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.db import connections, transaction
from django.test.utils import override_settings
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from tests.factories import FAUSKE, PERSONAS, VEFSN, analysis_of, make_user, open_year

# What the autouse fixtures in conftest.py set for every test.
TASKS_AT_ONCE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
SSB_NEVER_REACHED = {
    "SSB_API_URL": "http://127.0.0.1:9/api/pxwebapi/v2",
    "SSB_KLASS_URL": "http://127.0.0.1:9/api/klass/v1",
    "SSB_RETRIES": 0,
    # No pace: at SSB's 30 queries a minute, each request to the port above waited up to 2 s
    # for the one before it in the same worker (10 s of sleep in tests/test_fuzz.py alone).
    # The pace has tests of its own (tests/keyfigures/ssb/test_fetch_command.py).
    "SSB_QUERIES_PER_MINUTE": 0,
}


@contextmanager
def made_once(django_db_blocker, media: Path):
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, TASKS=TASKS_AT_ONCE, **SSB_NEVER_REACHED),
        translation.override(settings.LANGUAGE_CODE),
        rolled_back_at_the_end(),
    ):
        yield


@contextmanager
def rolled_back_at_the_end():
    """The transaction that holds data made for many tests, rolled back when they are done:
    what Django's TestCase opens around setUpTestData, and marked as TestCase marks its own
    blocks (`_from_testcase`). So the code under test takes it for the test's own block, not
    for a block of its own: a durable block may open inside it, and a write made in it is
    one in autocommit (analysis/versions.py keeps no page from a block of its own that has
    written until that block ends, and this one ends only after the module)."""
    block = transaction.atomic()
    block._from_testcase = True
    with block:
        yield
        transaction.set_rollback(True)


def check_deferred_constraints(config) -> None:
    """Runs the foreign-key checks PostgreSQL deferred in each open transaction (conftest.py
    calls it when a module's data is made; each test's savepoint would otherwise bring them
    back, and every test would check them again)."""
    open_ = [
        c
        for c in connections.all(initialized_only=True)
        if c.vendor == "postgresql" and c.in_atomic_block and not c.needs_rollback
    ]
    if open_:
        with config.stash[blocking_manager_key].unblock():
            for c in open_:
                c.check_constraints()


def own_media(settings, media: Path, tmp_path: Path) -> None:
    """The test's MEDIA_ROOT: a copy of the files made once, in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    shutil.copytree(media, settings.MEDIA_ROOT)


def usual_world() -> SimpleNamespace:
    """What conftest.py's fixtures make for one test, made inside `made_once`: this year's
    round and all six personas (a test makes only those it asks for). Returns the primary
    keys of the round and of Fauske's and Vefsn's analyses."""
    round_ = open_year(2026)
    for name, spec in PERSONAS.items():
        make_user(name, **spec)
    return SimpleNamespace(
        round=round_.pk,
        analysis=analysis_of(round_, FAUSKE).pk,
        other_analysis=analysis_of(round_, VEFSN).pk,
    )


def personas() -> dict:
    """The personas `usual_world` made, read again for a test (as conftest.py's `personas`)."""
    from django.contrib.auth.models import User

    return {**User.objects.in_bulk(list(PERSONAS), field_name="username"), "anonymous": None}
