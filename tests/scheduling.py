"""The slowest modules start first.

`make test` hands each worker one module at a time (pytest-xdist, `--dist loadscope`). By
default xdist hands out the modules with the most tests first, so the slowest modules, which
have one or a few long tests (a browser walk through every page, the fuzz test, the
migrations), came last, and one core sat idle while the other finished them. Here the modules
are put in order of how long they took the last time, slowest first, and xdist keeps that
order (`--no-loadscope-reorder`, Makefile); a module's own tests keep theirs.

How long each module took is written after every run to `test-artifacts/durations.json`
(ignored by git) and read by the next; a module not run there yet (or every module, in a fresh
clone) takes its time from `tests/durations.json`, a copy of one whole run, and a module in
neither is guessed from its number of tests. The order
changes how soon a run ends, never what it runs or what it finds.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAST_RUN = ROOT / "test-artifacts" / "durations.json"
FRESH_CLONE = Path(__file__).with_name("durations.json")
# A module not timed yet: the median test takes a few hundredths of a second.
SECONDS_PER_TEST = 0.1


def module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _read(path: Path) -> dict[str, float]:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {}


def known_durations() -> dict[str, float]:
    """The committed copy, overridden by what this checkout's runs measured."""
    return _read(FRESH_CLONE) | _read(LAST_RUN)


def slowest_modules_first(items: list) -> None:
    """Sort the collected tests in place, module by module, the slowest module first."""
    durations = known_durations()
    tests = Counter(module_of(item.nodeid) for item in items)
    first_seen = {}
    for index, item in enumerate(items):
        first_seen.setdefault(module_of(item.nodeid), index)

    def slowest_first(item) -> tuple[float, int]:
        module = module_of(item.nodeid)
        seconds = durations.get(module, SECONDS_PER_TEST * tests[module])
        return (-seconds, first_seen[module])

    items.sort(key=slowest_first)


class DurationRecorder:
    """Adds up each module's set-up, call and teardown times as the reports arrive (from every
    worker, in the process that runs xdist), and merges them into `test-artifacts/durations.json`
    at the end: a run of some modules updates those and keeps the rest."""

    def __init__(self):
        self.seconds: Counter[str] = Counter()

    def pytest_runtest_logreport(self, report) -> None:
        self.seconds[module_of(report.nodeid)] += report.duration

    def pytest_sessionfinish(self, session) -> None:
        if not self.seconds:
            return
        durations = _read(LAST_RUN) | {module: round(s, 2) for module, s in self.seconds.items()}
        LAST_RUN.parent.mkdir(parents=True, exist_ok=True)
        LAST_RUN.write_text(json.dumps(dict(sorted(durations.items())), indent=1) + "\n")


def pytest_configure(config) -> None:
    if not hasattr(config, "workerinput"):  # the process that runs xdist, or the only one
        config.pluginmanager.register(DurationRecorder(), "boligsosial-durations")
