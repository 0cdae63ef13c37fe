"""Every page a person waits for, served as production serves it (gunicorn, two sync workers,
DEBUG off, PostgreSQL when there is one), against a bare page of the same server: a crispy
form of 10 questions that runs 5 queries (boligsosial/benchmark.py). Each persona logs in;
each page is loaded by 8 connections for BENCH_SECONDS (default 2), pages interleaved with
the persona's own bare page, BENCH_ROUNDS rounds (default 3); the medians of the rounds'
ratios are printed:

    pages.<page>: <throughput ÷ the bare page's> ratio       (issue 16 wants ≥ 0.5 or 0.65)
    pages.<page> p95: <95th percentile ÷ the bare page's> ratio   (≤ 1.5 for the sections)

and the load figure: 50 connections for BENCH_LOAD_SECONDS (default 30) on the analysis page,
with the number of errors (must be 0). BENCH_SCALE=large (make bench-large) fills every
municipality in three rounds instead of Nordland's 41 in two.

Ratios taken while other processes use the machine are noisy; take figures on a quiet one.
"""

from __future__ import annotations

import http.client
import os
import statistics
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from bench._server import (
    gunicorn,
    load_data,
    setup_environment,
    temporary_folder,
    throwaway_database,
)

SECONDS = float(os.environ.get("BENCH_SECONDS", "2"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = 8
LOAD_CONNECTIONS = 50
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "30"))
PASSWORD = "boligsosial-demo"  # noqa: S105 – the demo users' (README)


def log_in(base: str, username: str) -> str:
    """A Cookie header for a session made through the login form, as a person makes one."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/accounts/login/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(f"{base}/accounts/login/", data=data).read()
    cookies = {c.name: c.value for c in jar}
    assert "sessionid" in cookies, f"{username} could not log in"
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def hammer(base: str, path: str, cookie: str, *, connections: int, seconds: float) -> dict:
    """`connections` clients asking for the page one request after another for `seconds`:
    requests a second, latencies, errors (anything but 200)."""
    host, port = urllib.parse.urlparse(base).netloc.split(":")
    latencies: list[float] = []
    errors = [0]
    sizes: list[int] = []
    statuses: set[int] = set()
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client() -> None:
        mine, bad = [], 0
        while time.perf_counter() < stop_at or not (mine or bad):
            t0 = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, int(port), timeout=60)
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                body = response.read()
                conn.close()
                if response.status != 200:
                    bad += 1
                    statuses.add(response.status)
                    continue
            except OSError:
                bad += 1
                continue
            mine.append(time.perf_counter() - t0)
            if len(sizes) < 1:
                sizes.append(len(body))
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client) for _ in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    return {
        "rps": len(latencies) / elapsed,
        "p95": p95,
        "errors": errors[0],
        "requests": len(latencies),
        "bytes": sizes[0] if sizes else 0,
        "statuses": statuses,
    }


def pages(year: int) -> dict[str, tuple[str, str]]:
    """Every page of issue 16's list: name → (persona, path)."""
    from analysis.models import Analysis
    from reference.models import Region

    fauske = Analysis.objects.get(municipality__number="1841", round__year=year)
    nordland = Region.objects.get(name="Statsforvalteren i Nordland")
    a = f"/analyse/{fauske.pk}"
    found = {"analysis": ("planlegger", f"{a}/")}
    for key in fauske.round.questionnaire.sections.order_by("order").values_list("key", flat=True):
        found[f"section_{key}"] = ("planlegger", f"{a}/del/{key}/")
    found |= {
        "structure_who_does_what": ("planlegger", f"{a}/hvem-gjor-hva/"),
        "structure_cooperation": ("planlegger", f"{a}/samarbeid/"),
        "structure_allocation": ("planlegger", f"{a}/tildeling/"),
        "structure_projects": ("planlegger", f"{a}/prosjekter/"),
        "structure_assignments": ("planlegger", f"{a}/ansvar/"),
        "self_assessment": ("planlegger", f"{a}/suksessfaktorer/"),
        "report": ("planlegger", f"/rapport/{fauske.pk}/"),
        "key_figures": ("planlegger", f"{a}/nokkeltall/"),
        "review": ("radgiver", f"{a}/vurdering/"),
        "region_overview": ("radgiver", f"/analyse/region/{nordland.pk}/"),
        "region_profile": ("radgiver", f"/analyse/region/{nordland.pk}/profil/"),
        "national": ("admin", "/analyse/landet/"),
    }
    return found


BARE = "/benchmark/bare/"


def main() -> None:
    scale = os.environ.get("BENCH_SCALE", "default")
    tmp = temporary_folder("bench-pages-")
    with throwaway_database(tmp) as database_url:
        env = setup_environment(tmp, database_url)
        t0 = time.perf_counter()
        data = load_data(scale)
        print(
            f"# scale {scale}: {data['filled']} analyses, {data['key_figure_values']} key-figure "
            f"values, set up in {time.perf_counter() - t0:.0f} s; {CONNECTIONS} connections, "
            f"{SECONDS:g} s a page, {ROUNDS} rounds, medians of the rounds' ratios"
        )
        targets = pages(data["year"])
        with gunicorn(env) as base:
            cookies = {p: log_in(base, p) for p in {persona for persona, _ in targets.values()}}
            for name, (persona, path) in targets.items():  # warm-up, and every page answers
                result = hammer(base, path, cookies[persona], connections=1, seconds=0.01)
                assert result["errors"] == 0 and result["requests"], (name, path, result)
            ratios: dict[str, list[float]] = {name: [] for name in targets}
            p95s: dict[str, list[float]] = {name: [] for name in targets}
            sizes: dict[str, int] = {}
            for _round in range(ROUNDS):
                # The bare page before and after the round's pages, so that a change in the
                # machine's load during the round falls on both.
                before = {
                    p: hammer(base, BARE, c, connections=CONNECTIONS, seconds=SECONDS)
                    for p, c in cookies.items()
                }
                results = {
                    name: hammer(
                        base, path, cookies[persona], connections=CONNECTIONS, seconds=SECONDS
                    )
                    for name, (persona, path) in targets.items()
                }
                after = {
                    p: hammer(base, BARE, c, connections=CONNECTIONS, seconds=SECONDS)
                    for p, c in cookies.items()
                }
                for name, (persona, _path) in targets.items():
                    bare_rps = (before[persona]["rps"] + after[persona]["rps"]) / 2
                    bare_p95 = (before[persona]["p95"] + after[persona]["p95"]) / 2
                    ratios[name].append(results[name]["rps"] / bare_rps)
                    p95s[name].append(results[name]["p95"] / bare_p95)
                    sizes[name] = results[name]["bytes"]
            for name in targets:
                print(f"pages.{name}: {statistics.median(ratios[name]):.2f} ratio")
                print(f"pages.{name} p95: {statistics.median(p95s[name]):.2f} ratio")
            print(f"pages.national_html: {sizes['national'] / 1024:.0f} KB")
            bare_once = hammer(
                base, BARE, cookies["planlegger"], connections=CONNECTIONS, seconds=SECONDS
            )
            print(f"pages.bare_form: {bare_once['rps']:.1f} requests/s")
            print(f"pages.bare_form p95: {bare_once['p95'] * 1000:.0f} ms")

            persona, path = targets["analysis"]
            load = hammer(
                base,
                path,
                cookies[persona],
                connections=LOAD_CONNECTIONS,
                seconds=LOAD_SECONDS,
            )
            label = f"load.analysis_{LOAD_CONNECTIONS}c_{LOAD_SECONDS:g}s"
            print(f"{label}_requests: {load['requests']} requests")
            print(f"{label}_errors: {load['errors']} errors")
            print(f"{label}_throughput: {load['rps']:.1f} requests/s")
            print(f"{label}_p95: {load['p95'] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
