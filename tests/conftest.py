"""Shared fixtures: reference data, a round with analyses, and the personas every permission
test uses (a planner and a reader in Fauske, the Nordland adviser, an adviser from another
region, a planner from another municipality, an administrator)."""

from __future__ import annotations

import os
import shutil
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from analysis.models import Analysis, Round
from reference.models import Municipality
from reference.services.loading import load_reference_data
from tests import module_data, snapshots
from tests.factories import FAUSKE, PERSONAS, VEFSN, make_user, open_year
from tests.module_data import SSB_NEVER_REACHED, TASKS_AT_ONCE

# The `smtp_server` fixture: a real SMTP server on loopback (aiosmtpd). The slowest modules
# first (tests/scheduling.py).
pytest_plugins = ["tests.smtp_server", "tests.scheduling"]

# Playwright's sync API runs an event loop in the test thread; Django's async-safety check
# would otherwise refuse ORM calls made by the live server fixtures.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Tests that reach SSB's real API (marked ssb_live) run only when asked for by marker
    (`-m ssb_live`): the suite itself never reaches the internet. And the modules that get
    their world made once (_world_once) are picked. (tests/scheduling.py then puts the
    slowest modules first.)"""
    if "ssb_live" not in (config.getoption("markexpr") or ""):
        live = [item for item in items if item.get_closest_marker("ssb_live")]
        if live:
            config.hook.pytest_deselected(items=live)
            items[:] = [item for item in items if not item.get_closest_marker("ssb_live")]
    config.stash[_world_once_modules] = modules_whose_tests_all_make_the_usual_world(items)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Data a module (or class) makes once, in a transaction its tests run inside
    (tests/module_data.py), has its foreign keys checked once, when it is made.

    PostgreSQL defers those checks to the end of the transaction, and each test ends by
    asking for them (Django's TestCase: SET CONSTRAINTS ALL IMMEDIATE) inside its own
    savepoint; rolling that savepoint back makes them pending again. So every test checked
    every row the module had made: about 0.1 s a test in tests/analysis/test_query_counts.py.
    Checked here, outside the tests' savepoints, they are done for the transaction."""
    value = yield
    if fixturedef.scope != "function":
        module_data.check_deferred_constraints(request.config)
    return value


def is_transactional(item) -> bool:
    """Live-server and transactional tests commit what they do (as pytest-django decides)."""
    marker = item.get_closest_marker("django_db")
    kwargs = marker.kwargs if marker else {}
    return bool(kwargs.get("transaction") or kwargs.get("reset_sequences")) or bool(
        {"live_server", "transactional_db", "django_db_reset_sequences"}
        & set(getattr(item, "fixturenames", ()))
    )


# The modules whose world (`round_` and the personas) is made once (see _world_once).
_world_once_modules = pytest.StashKey[set[str]]()


def ours_and_per_test(name: str, fixture) -> bool:
    """Whether the fixture the test gets under this name fits a world made once: a fixture
    of the world from this file, and none of the tests' own made once for a module, a
    package or a class (pytest-django's own class fixture for unittest classes is left)."""
    module = fixture.func.__module__
    if name in WORLD_FIXTURES:
        return module == __name__
    return (
        not module.startswith("tests.")
        or fixture.scope in {"function", "session"}
        or name == "_world_once"
    )


# The fixtures that take their objects from the world a module made once.
WORLD_FIXTURES = {"round_", "analysis", "other_analysis", "personas", *PERSONAS}


def modules_whose_tests_all_make_the_usual_world(items) -> set[str]:
    """Modules in which every test opens this year's round (`round_`, also through
    `analysis`) with the fixtures of this file, none commits (a transactional test cannot
    run inside the module's transaction), and no other fixture is made once for the module
    or a class (it might make a round or a persona of its own)."""
    modules: dict[str, bool] = {}
    for item in items:
        module = item.nodeid.split("::")[0]
        info = getattr(item, "_fixtureinfo", None)
        fits = (
            info is not None
            and "round_" in info.names_closure
            and not is_transactional(item)
            and all(
                ours_and_per_test(name, defs[-1]) for name, defs in info.name2fixturedefs.items()
            )
        )
        modules[module] = modules.get(module, True) and fits
    return {module for module, fits in modules.items() if fits}


# The reference data as loaded once per worker (set by django_db_setup below).
_reference_rows: snapshots.Snapshot | None = None


@pytest.fixture(autouse=True, scope="session")
def _transactional_tests_end_with_the_reference_data():
    """A transactional test (a live server, a browser) commits what it does. Django empties
    the database after one (`flush`); here the database is put back to the reference data
    instead (tests/snapshots.py: a DELETE and an INSERT per table), so whatever test runs next
    on this worker finds it, and the database is not emptied first. On PostgreSQL a flush
    (TRUNCATE of 72 tables) took 0.3 to 0.7 s a test and putting the rows back 0.1 to 0.2 s;
    on SQLite each about 0.01 s."""
    from django.contrib.contenttypes.models import ContentType
    from django.test import TransactionTestCase

    def _fixture_teardown(test_case):
        snapshots.restore(_reference_rows)
        ContentType.objects.clear_cache()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", _fixture_teardown)
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite, test in a file rather than in memory: an in-memory database shares one
    cache between connections, where a second writer fails at once ("database table is
    locked") instead of waiting, so concurrent saves could not be tested as they run. Nor
    would memory be faster: the file sits in the page cache. Measured on two workers,
    interleaved, file against memory: 124/110 s against 116/113 s on the analysis, overview,
    reports, key-figure, factor and account tests; 39/43 s against 40/40 s on four browser
    modules.

    The test database's tables are made from the models, not by replaying every migration
    (about 10 s less a worker on SQLite and 6 s on PostgreSQL; a run of one test took 4.2 s
    instead of 14.0 and 8.9 s instead of 15.0): the
    migrations' own tests (tests/test_migrations.py) run them on a database of their own
    and check that they make the same tables, and `makemigrations --check` (`make lint`, run
    by CI) holds the models to the migrations."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    test = db.setdefault("TEST", {})
    if db["ENGINE"] == "django.db.backends.sqlite3" and not test.get("NAME"):
        name = Path(tempfile.gettempdir()) / f"boligsosial-test-{os.getpid()}.sqlite3"
        test["NAME"] = str(name)
    test["MIGRATE"] = False


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    # PBKDF2 at production strength costs ~0.2 s a user; tests make several per test, and
    # module fixtures make theirs before any function fixture runs.
    hashers = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    settings.PASSWORD_HASHERS = hashers


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background tasks run inside enqueue(), in the test's process and transaction; the
    tests that start real workers (marked multiprocess) use the database backend."""
    settings.TASKS = TASKS_AT_ONCE


@pytest.fixture(autouse=True)
def _ssb_never_reached(settings):
    """No test reaches SSB over the internet: its APIs point at a loopback port nobody
    listens on (the discard port), unless a test starts the local stand-in (ssb_server)."""
    for name, value in SSB_NEVER_REACHED.items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def _empty_local_cache():
    """Every test starts with an empty local-memory cache. Each test's database changes are
    rolled back, but the cache is not: a cached computation (keyfigures/versions.py) keyed by
    a token that the rollback restored would otherwise describe the previous test's data.
    (A shared Redis is left alone; its tests use their own key prefix.)"""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's default language (bokmål). A request through the test
    client leaves the language it chose active on the thread (LocaleMiddleware activates and
    never resets it), so without this a service test's messages depend on the test before."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data once per test worker: every test sees the 357 municipalities. The rows
    are kept (tests/snapshots.py) and put back after every test that commits."""
    global _reference_rows
    with django_db_blocker.unblock():
        record_every_migration_applied()
        load_reference_data()
        _reference_rows = snapshots.capture()
    yield _reference_rows
    with django_db_blocker.unblock():
        end_other_sessions()


def end_other_sessions() -> None:
    """Ends this worker's other sessions on its PostgreSQL test database, so that the database
    can be dropped when the worker is done. Connections the browser tests' servers and contexts
    opened stay open (under Playwright's running event loop Django keeps one per context, in
    asgiref's Local); with them, DROP DATABASE waited 5 s and failed, leaving the database
    behind (a warning at the end of every run on PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def record_every_migration_applied() -> None:
    """The tables made from the models are those the migrations make: say so in the
    database's migration history, as `migrate` would have, so that `migrate` (the release
    step) has nothing to do and the tests that migrate backwards start from the latest
    state."""
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    applied = recorder.applied_migrations()
    # On disk: a squashed migration and those it replaces, recorded together as migrate does.
    recorder.migration_qs.bulk_create(
        recorder.Migration(app=app, name=name)
        for app, name in MigrationLoader(connection).disk_migrations
        if (app, name) not in applied
    )


@pytest.fixture
def reference_data(db, django_db_setup):
    """Every test starts on the reference data: a transactional test (live server) puts it
    back when it ends (_transactional_tests_end_with_the_reference_data); should the tables be
    empty all the same, they get it back from the snapshot (not a new load)."""
    if not Municipality.objects.exists():
        snapshots.restore(django_db_setup)


@pytest.fixture(scope="module")
def _world_once(request, django_db_blocker, tmp_path_factory):
    """This year's round and the personas, made once for a module whose tests all open the
    round (modules_whose_tests_all_make_the_usual_world), instead of before each of its tests
    (about 60 ms a test on SQLite, more on PostgreSQL). Every test still runs in its own
    savepoint inside the module's transaction, so what one test writes is rolled back before
    the next (tests/module_data.py). All six personas exist for every test of such a module,
    not only those it asks for. Elsewhere None: each test makes its own."""
    if request.node.nodeid not in request.config.stash.get(_world_once_modules, set()):
        yield None
        return
    request.getfixturevalue("django_db_setup")
    with module_data.made_once(django_db_blocker, tmp_path_factory.mktemp("media")):
        yield module_data.usual_world()


@pytest.fixture
def round_(_world_once, reference_data, request):
    if _world_once is not None:
        # Files a test writes stay its own, as where each test makes its world (asked for
        # only here: most tests with a round make their own and need no folder).
        settings = request.getfixturevalue("settings")
        settings.MEDIA_ROOT = request.getfixturevalue("tmp_path") / "media"
        return Round.objects.get(pk=_world_once.round)
    return open_year(2026)


@pytest.fixture
def fauske(reference_data):
    return Municipality.objects.get(number=FAUSKE)


@pytest.fixture
def analysis(round_, fauske) -> Analysis:
    return Analysis.objects.get(round=round_, municipality=fauske)


@pytest.fixture
def other_analysis(round_) -> Analysis:
    """Vefsn's analysis: same region as Fauske, another municipality."""
    return Analysis.objects.get(round=round_, municipality__number=VEFSN)


def persona(name: str, world_once) -> User:
    """The persona: made for the test, or read again where the module made it once."""
    if world_once is not None:
        return User.objects.get(username=name)
    return make_user(name, **PERSONAS[name])


@pytest.fixture
def planner(_world_once, reference_data):
    return persona("planner", _world_once)


@pytest.fixture
def reader(_world_once, reference_data):
    return persona("reader", _world_once)


@pytest.fixture
def adviser(_world_once, reference_data):
    return persona("adviser", _world_once)


@pytest.fixture
def outside_adviser(_world_once, reference_data):
    return persona("outside_adviser", _world_once)


@pytest.fixture
def other_planner(_world_once, reference_data):
    return persona("other_planner", _world_once)


@pytest.fixture
def administrator(_world_once, reference_data):
    return persona("administrator", _world_once)


@pytest.fixture
def personas(planner, reader, adviser, outside_adviser, other_planner, administrator):
    return {
        "planner": planner,
        "reader": reader,
        "adviser": adviser,
        "outside_adviser": outside_adviser,
        "other_planner": other_planner,
        "administrator": administrator,
        "anonymous": None,
    }


@pytest.fixture
def client_for(client, personas):
    """client_for("planner") → a test client logged in as that persona (or anonymous)."""

    def login(name: str):
        client.logout()
        if personas[name] is not None:
            client.force_login(personas[name])
        return client

    return login


@pytest.fixture
def demo_data(reference_data):
    call_command("seed_demo", stdout=StringIO())


# --- Browser tests --------------------------------------------------------------------------

# Debian builds two binaries from Chromium's source: `chromium`, the whole browser, and
# `chromium-headless-shell`, the same engine (Blink, V8, the accessibility tree axe reads)
# without the browser's window, profile and extensions. The shell is what Playwright itself
# drives for headless runs; here it ran the browser tests in 136 s against 192 s for the whole
# browser (tests/browser, two workers, same run). `--headed` needs the whole browser.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_HEADLESS_SHELL = shutil.which("chromium-headless-shell")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium; Playwright never downloads a browser here."""
    headless = browser_type_launch_args.get("headless", True)
    executable = (CHROMIUM_HEADLESS_SHELL if headless else None) or CHROMIUM
    if not executable:
        packages = "chromium-headless-shell" if headless else "chromium"
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI (apt-get install {packages})")
        pytest.skip(
            f"Chromium is not installed (apt-get install {packages}); browser tests skipped"
        )
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


# --- Query counts -----------------------------------------------------------------------------


@pytest.fixture
def queries_on_reload():
    """queries_on_reload(client, url, **params) → the number of queries the second GET of
    `url` runs (the first warms the session), after checking it answered 200. Tests call it
    with a little and with a lot of data, and pin both to the same named number."""

    def count(client, url: str, **params) -> int:
        assert client.get(url, params).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(queries)

    return count
