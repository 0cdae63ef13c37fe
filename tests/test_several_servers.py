# ruff: noqa: F811 -- the S3 fixtures are imported from tests/s3.py and named as parameters
"""Several app servers, one database (DESIGN.md capability 13): two gunicorn processes and a
task worker against one PostgreSQL, Redis as the cache and S3 (moto's server on loopback) for
files, each process with a media folder of its own. A session from one server works on the
other, failed logins count across both, and a region's batch started on one is finished by
the worker and downloaded from the other: the app servers keep no state of their own."""

from __future__ import annotations

import http.cookiejar
import io
import json
import os
import re
import urllib.parse
import urllib.request
import uuid
import zipfile

import pytest
from django.contrib.auth.models import User
from django.db import connection

from accounts.models import Membership, Role
from analysis.models import Analysis, AnalysisStatus
from reference.models import Region
from reports.management.commands.load_recommendation_rules import load_recommendation_rules
from tests.processes import (
    environment,
    free_port,
    healthy,
    start_gunicorn,
    start_worker,
    stop,
    wait_for,
)
from tests.s3 import s3_environment, s3_server  # noqa: F401 – fixtures

pytestmark = [pytest.mark.multiprocess, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "flere-servere-passord-42"


@pytest.fixture
def redis_url():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required in CI ({REDIS_URL})")
        pytest.skip(f"Redis is not running at {REDIS_URL}")
    return REDIS_URL


class Browser:
    """A person's browser: one cookie jar for every server on 127.0.0.1."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, bytes, str]:
        try:
            with self.opener.open(url, timeout=60) as response:
                return response.status, response.read(), response.geturl()
        except urllib.error.HTTPError as error:
            return error.code, error.read(), url

    def post(self, url: str, data: dict) -> tuple[int, bytes, str]:
        token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        try:
            with self.opener.open(url, data=body, timeout=60) as response:
                return response.status, response.read(), response.geturl()
        except urllib.error.HTTPError as error:
            return error.code, error.read(), url

    def log_in(self, server: str, username: str, password: str) -> str:
        self.get(f"{server}/accounts/login/")
        _status, page, _url = self.post(
            f"{server}/accounts/login/", {"username": username, "password": password}
        )
        return page.decode()


def test_two_app_servers_and_a_worker_share_sessions_throttling_and_batches(
    round_, tmp_path, redis_url, s3_environment, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("several servers over one database are tested on PostgreSQL (make test-pg)")
    # The servers know production's hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    load_recommendation_rules()
    nordland = Region.objects.get(name="Statsforvalteren i Nordland")
    adviser = User.objects.create_user("radgiver.flere", password=PASSWORD)
    Membership.objects.create(user=adviser, role=Role.ADVISER, region=nordland)
    Analysis.objects.filter(round=round_, municipality__number__in=["1841", "1865"]).update(
        status=AnalysisStatus.IN_PROGRESS
    )

    shared = {
        **s3_environment,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "LOGIN_THROTTLE_ATTEMPTS": "3",
    }
    ports = [free_port(), free_port()]
    logs = [tmp_path / "a.log", tmp_path / "b.log", tmp_path / "worker.log"]
    processes = []
    try:
        for port, log, media in zip(ports, logs, ["a", "b"], strict=False):
            env = environment(**shared, MEDIA_ROOT=str(tmp_path / media))
            processes.append(start_gunicorn(env, port, log))
        env = environment(**shared, MEDIA_ROOT=str(tmp_path / "worker"))
        processes.append(start_worker(env, logs[2]))
        for port in ports:
            wait_for(lambda p=port: healthy(p), timeout=60, what="gunicorn", logs=logs)
        a, b = (f"http://127.0.0.1:{port}" for port in ports)

        # A session made on one server is good on the other (sessions in the database).
        person = Browser()
        person.log_in(a, "radgiver.flere", PASSWORD)
        status, page, url = person.get(f"{b}/analyse/region/{nordland.pk}/")
        assert status == 200 and "/accounts/login/" not in url
        assert "Statsforvalteren i Nordland" in page.decode()

        # Failed logins count across both servers (the counter is in Redis): three wrong
        # passwords, alternating, lock the name on both, even with the right password.
        intruder = Browser()
        for server in (a, b, a):
            assert "oppgi korrekt" in intruder.log_in(server, "radgiver.flere", "feil")
        locked = intruder.log_in(b, "radgiver.flere", PASSWORD)
        assert "For mange mislykkede innloggingsforsøk" in locked

        # A batch started on server A is run by the worker and downloaded from server B.
        status, _page, job_url = person.post(f"{a}/rapport/region/{nordland.pk}/2026/zip/", {})
        assert status == 200 and re.search(r"/jobber/[0-9a-f-]{36}/$", job_url), job_url
        job_path = urllib.parse.urlparse(job_url).path

        def finished():
            _s, body, _u = person.get(f"{b}{job_path}framdrift/")
            progress = json.loads(body)
            return progress if progress["finished"] else None

        progress = wait_for(finished, timeout=180, what="the batch", logs=logs)
        assert progress["status"] == "done" and progress["done"] == progress["total"] == 2
        status, data, _url = person.get(f"{b}{job_path}last-ned/")
        assert status == 200
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert names == ["README.txt", "1841-Fauske.pdf", "1865-Vågan.pdf"]
        # Nothing of it is in any process's own folder: the zip lives in the bucket.
        assert not list((tmp_path / "worker").glob("jobs/**/*.zip"))
    finally:
        stop(processes)
    # The servers wrote JSON lines: each line of their logs is one object.
    for log in logs[:2]:
        lines = [line for line in log.read_text().splitlines() if line.startswith("{")]
        assert lines and all(json.loads(line)["level"] for line in lines)
        assert any(json.loads(line).get("path") == "/healthz" for line in lines)
