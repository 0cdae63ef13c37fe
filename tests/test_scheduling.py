"""The slowest modules start first (tests/scheduling.py): the order comes from the times a
run wrote, module by module, and a module's own tests keep their order."""

import json
from types import SimpleNamespace

import pytest

from tests import scheduling


@pytest.fixture
def timings(tmp_path, monkeypatch):
    """The committed copy and this checkout's last run, in files of the test's own."""
    monkeypatch.setattr(scheduling, "FRESH_CLONE", tmp_path / "committed.json")
    monkeypatch.setattr(scheduling, "LAST_RUN", tmp_path / "artifacts" / "durations.json")
    return scheduling


def items(*nodeids):
    return [SimpleNamespace(nodeid=nodeid) for nodeid in nodeids]


def test_the_slowest_module_goes_first_and_each_modules_tests_keep_their_order(timings):
    timings.FRESH_CLONE.write_text(json.dumps({"a.py": 1.0, "b.py": 30.0, "c.py": 5.0}))
    collected = items("a.py::one", "a.py::two", "b.py::one", "c.py::one", "c.py::two")
    scheduling.slowest_modules_first(collected, scheduling.known_durations())
    assert [i.nodeid for i in collected] == [
        "b.py::one", "c.py::one", "c.py::two", "a.py::one", "a.py::two",
    ]  # fmt: skip


def test_this_checkouts_last_run_wins_over_the_committed_times(timings):
    timings.FRESH_CLONE.write_text(json.dumps({"a.py": 1.0, "b.py": 30.0}))
    timings.LAST_RUN.parent.mkdir()
    timings.LAST_RUN.write_text(json.dumps({"a.py": 60.0}))
    collected = items("b.py::one", "a.py::one")
    scheduling.slowest_modules_first(collected, scheduling.known_durations())
    assert [i.nodeid for i in collected] == ["a.py::one", "b.py::one"]


def test_a_module_never_timed_is_guessed_from_its_number_of_tests(timings):
    collected = items("timed.py::one", "new.py::one", "new.py::two", "new.py::three")
    scheduling.slowest_modules_first(collected, {"timed.py": 0.25})
    assert [i.nodeid for i in collected][0] == "new.py::one"  # 3 × 0.1 s > 0.25 s


def report(nodeid, when, seconds, *, skipped=False):
    return SimpleNamespace(nodeid=nodeid, when=when, duration=seconds, skipped=skipped)


def session(*args, keyword="", markexpr="", maxfail=0, shouldstop=False):
    option = SimpleNamespace(keyword=keyword, markexpr=markexpr, maxfail=maxfail)
    return SimpleNamespace(
        config=SimpleNamespace(option=option, args=list(args)), shouldstop=shouldstop
    )


def recorded(ending, *reports, exitstatus=pytest.ExitCode.OK):
    recorder = scheduling.DurationRecorder()
    for one in reports:
        recorder.pytest_runtest_logreport(one)
    recorder.pytest_sessionfinish(ending, exitstatus)


def test_a_run_adds_up_each_modules_times_and_keeps_the_modules_it_did_not_run(timings):
    timings.LAST_RUN.parent.mkdir()
    timings.LAST_RUN.write_text(json.dumps({"kept.py": 7.0, "a.py": 99.0}))
    recorded(
        session("tests"),
        report("a.py::one", "setup", 0.5),
        report("a.py::one", "call", 1.25),
        report("b.py::two", "call", 2.0),
    )
    assert json.loads(timings.LAST_RUN.read_text()) == {"a.py": 1.75, "b.py": 2.0, "kept.py": 7.0}


@pytest.mark.parametrize(
    "partial",
    [
        session("tests/a.py::one"),
        session("tests", keyword="one"),
        session("tests", markexpr="not browser"),
        session("tests", maxfail=1),
        session("tests", shouldstop="interrupted"),
    ],
    ids=["one test", "-k", "-m", "-x", "stopped"],
)
def test_a_run_of_part_of_a_module_writes_nothing(timings, partial):
    recorded(partial, report("a.py::one", "call", 1.0))
    assert not timings.LAST_RUN.exists()


def test_an_interrupted_run_writes_nothing(timings):
    recorded(session("tests"), report("a.py::one", "call", 1.0), exitstatus=2)
    assert not timings.LAST_RUN.exists()


def test_a_module_whose_tests_were_all_skipped_keeps_its_time(timings):
    timings.LAST_RUN.parent.mkdir()
    timings.LAST_RUN.write_text(json.dumps({"browser.py": 80.0}))
    recorded(
        session("tests"),
        report("browser.py::walk", "setup", 0.01, skipped=True),
        report("fast.py::one", "call", 0.5),
    )
    assert json.loads(timings.LAST_RUN.read_text()) == {"browser.py": 80.0, "fast.py": 0.5}


def test_times_that_are_not_a_table_of_seconds_are_ignored(timings):
    timings.FRESH_CLONE.write_text(json.dumps({"a.py": "slow", "b.py": 3}))
    timings.LAST_RUN.parent.mkdir()
    timings.LAST_RUN.write_text("[1, 2")
    assert scheduling.known_durations() == {"b.py": 3.0}
