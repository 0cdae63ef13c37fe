"""The slowest modules start first.

`make test` hands each worker one module at a time (pytest-xdist, `--dist loadscope`). By
default xdist hands out the modules with the most tests first, so the slowest modules, which
have one or a few long tests (a browser walk through every page, the fuzz test, the
migrations), came last, and one core sat idle while the other finished them. Here the modules
are put in order of how long they took the last time, slowest first, and xdist keeps that
order (`--no-loadscope-reorder`, Makefile); a module's own tests keep theirs. A run without
workers (`-n 0`) keeps pytest's own order: there is nothing to balance.

After a run of whole modules (no `-k`, `-m`, `-x` or single tests, not interrupted), the time
each module took is written to `test-artifacts/durations.json` (ignored by git), and the next
run reads it; a module that was only skipped (no Chromium on a laptop) is not written. A module
not run there yet (every module, in a fresh clone) takes its time from `tests/durations.json`,
a copy of one whole run (refresh it with `cp test-artifacts/durations.json tests/` after a
whole `make test` when modules have been added or have grown much), and a module in neither is
guessed from its number of tests. The process that runs xdist reads the times once and hands
them to every worker, so all workers collect the same order (xdist stops a run when they do
not). The order changes how soon a run ends, never what it runs or what it finds.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAST_RUN = ROOT / "test-artifacts" / "durations.json"
FRESH_CLONE = Path(__file__).with_name("durations.json")
# A module not timed yet: a generous guess (the median test takes a few hundredths of a
# second), so that a new module is not left to the very end.
SECONDS_PER_TEST = 0.1
_WORKER_KEY = "boligsosial_module_durations"


def module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _read(path: Path) -> dict[str, float]:
    try:
        durations = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(durations, dict):
        return {}
    return {
        module: float(seconds)
        for module, seconds in durations.items()
        if isinstance(module, str) and isinstance(seconds, int | float)
    }


def known_durations() -> dict[str, float]:
    """The committed copy, overridden by what this checkout's runs measured."""
    return _read(FRESH_CLONE) | _read(LAST_RUN)


def slowest_modules_first(items: list, durations: dict[str, float]) -> None:
    """Sort the collected tests in place, module by module, the slowest module first."""
    tests = Counter(module_of(item.nodeid) for item in items)
    first_seen = {}
    for index, item in enumerate(items):
        first_seen.setdefault(module_of(item.nodeid), index)

    def slowest_first(item) -> tuple[float, int]:
        module = module_of(item.nodeid)
        seconds = durations.get(module, SECONDS_PER_TEST * tests[module])
        return (-seconds, first_seen[module])

    items.sort(key=slowest_first)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """xdist, before it starts a worker: the times the worker orders its modules by."""
    node.workerinput[_WORKER_KEY] = known_durations()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items) -> None:
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None and _WORKER_KEY in workerinput:
        slowest_modules_first(items, workerinput[_WORKER_KEY])


def whole_modules_ran(session) -> bool:
    """Whether every module the run touched ran whole: a partial run would write a module's
    time as the time of the few tests it ran."""
    option = session.config.option
    return (
        not getattr(option, "keyword", "")
        and not getattr(option, "markexpr", "")
        and not getattr(option, "maxfail", 0)
        and not session.shouldstop
        and not any("::" in arg for arg in session.config.args)
    )


class DurationRecorder:
    """Adds up each module's set-up, call and teardown times as the reports arrive (from every
    worker, in the process that runs xdist), and merges them into `test-artifacts/durations.json`
    at the end of a run of whole modules: the modules it ran are updated, the rest kept."""

    def __init__(self):
        self.seconds: Counter[str] = Counter()
        self.ran: set[str] = set()

    def pytest_runtest_logreport(self, report) -> None:
        module = module_of(report.nodeid)
        self.seconds[module] += report.duration
        if report.when == "call" and not report.skipped:
            self.ran.add(module)

    def pytest_sessionfinish(self, session, exitstatus) -> None:
        if exitstatus not in {pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED}:
            return
        if not self.ran or not whole_modules_ran(session):
            return
        measured = {module: round(self.seconds[module], 2) for module in self.ran}
        durations = _read(LAST_RUN) | measured
        LAST_RUN.parent.mkdir(parents=True, exist_ok=True)
        # Written whole or not at all: another run may read it at any moment.
        with tempfile.NamedTemporaryFile(
            "w", dir=LAST_RUN.parent, suffix=".tmp", delete=False
        ) as file:
            json.dump(dict(sorted(durations.items())), file, indent=1)
            file.write("\n")
        os.replace(file.name, LAST_RUN)


def pytest_configure(config) -> None:
    if not hasattr(config, "workerinput"):  # the process that runs xdist, or the only one
        config.pluginmanager.register(DurationRecorder(), "boligsosial-durations")
