"""Real processes for the multiprocess tests: the task worker and gunicorn, started as
production starts them, against the database the test runs on (its committed rows: those
tests are transactional)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The test database as a URL other processes can open."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        name = db["NAME"]
        if not name or str(name).startswith(":memory:") or "mode=memory" in str(name):
            pytest.skip("the test database is in memory; other processes cannot open it")
        return f"sqlite:///{name}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "boligsosial.settings",
        "DATABASE_URL": database_url(),
        "DEBUG": "0",
        "SECRET_KEY": "multiprocess-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "false",
        "CONN_MAX_AGE": "0",
        "LOG_FORMAT": "json",
        "WORKER_HEARTBEAT_SECONDS": "0.5",
        "WORKER_LOST_AFTER_SECONDS": "2",
    }
    env.update(extra)
    return env


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 – the project's own command
        [sys.executable, "manage.py", "run_worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    env = {**env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"}
    return subprocess.Popen(  # noqa: S603 – the image's own command
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "boligsosial.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, logs=()) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    text = "\n".join(Path(log).read_text(errors="replace")[-3000:] for log in logs)
    raise AssertionError(f"timed out waiting for {what}\n{text}")


def healthy(port: int) -> bool:
    with (
        contextlib.suppress(OSError),
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r,  # noqa: S310
    ):
        return r.status == 200
    return False


def stop(processes: list[subprocess.Popen]) -> None:
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in processes:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
