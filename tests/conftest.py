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

from accounts.models import Membership, Role
from analysis.models import Analysis
from reference.models import Municipality, Region
from reference.services.loading import load_reference_data
from tests.rounds import open_year

# Playwright's sync API runs an event loop in the test thread; Django's async-safety check
# would otherwise refuse ORM calls made by the live server fixtures.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "test-passord-123"
FAUSKE, VEFSN, TROMSO = "1841", "1824", "5501"


def pytest_collection_modifyitems(items):
    """Transactional tests (live server, browser) empty the database when they finish, which
    would take the session's reference data from every test after them: run them last."""

    def is_transactional(item) -> bool:
        marker = item.get_closest_marker("django_db")
        return bool(
            marker
            and (
                marker.kwargs.get("transaction")
                or "live_server" in getattr(item, "fixturenames", ())
            )
        )

    items.sort(key=is_transactional)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite, test in a file rather than in memory: an in-memory database shares one
    cache between connections, where a second writer fails at once ("database table is
    locked") instead of waiting, so concurrent saves could not be tested as they run."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3" and not db.get("TEST", {}).get("NAME"):
        name = Path(tempfile.gettempdir()) / f"boligsosial-test-{os.getpid()}.sqlite3"
        db.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 at production strength costs ~0.2 s a user; tests make several per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background tasks run inside enqueue(), in the test's process and transaction; the
    tests that start real workers (marked multiprocess) use the database backend."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's default language (bokmål). A request through the test
    client leaves the language it chose active on the thread (LocaleMiddleware activates and
    never resets it), so without this a service test's messages depend on the test before."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data once per session: every test sees the 357 municipalities."""
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def reference_data(db):
    """For transactional tests (live server), which start from an empty database."""
    if not Municipality.objects.exists():
        load_reference_data()


@pytest.fixture
def round_(reference_data):
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


def _user(username: str, membership: dict | None = None, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if membership:
        Membership.objects.create(user=user, **membership)
    return user


@pytest.fixture
def planner(reference_data):
    return _user(
        "planner", {"role": Role.EDITOR, "municipality": Municipality.objects.get(number=FAUSKE)}
    )


@pytest.fixture
def reader(reference_data):
    return _user(
        "reader", {"role": Role.READER, "municipality": Municipality.objects.get(number=FAUSKE)}
    )


@pytest.fixture
def adviser(reference_data):
    return _user(
        "adviser",
        {"role": Role.ADVISER, "region": Region.objects.get(name="Statsforvalteren i Nordland")},
    )


@pytest.fixture
def outside_adviser(reference_data):
    return _user(
        "outside_adviser",
        {
            "role": Role.ADVISER,
            "region": Region.objects.get(name="Statsforvalteren i Troms og Finnmark"),
        },
    )


@pytest.fixture
def other_planner(reference_data):
    return _user(
        "other_planner",
        {"role": Role.EDITOR, "municipality": Municipality.objects.get(number=VEFSN)},
    )


@pytest.fixture
def administrator(reference_data):
    return _user("administrator", is_staff=True, is_superuser=True)


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

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium; Playwright never downloads a browser here."""
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
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
