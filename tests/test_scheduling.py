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
    scheduling.slowest_modules_first(collected)
    assert [i.nodeid for i in collected] == [
        "b.py::one", "c.py::one", "c.py::two", "a.py::one", "a.py::two",
    ]  # fmt: skip


def test_this_checkouts_last_run_wins_over_the_committed_times(timings):
    timings.FRESH_CLONE.write_text(json.dumps({"a.py": 1.0, "b.py": 30.0}))
    timings.LAST_RUN.parent.mkdir()
    timings.LAST_RUN.write_text(json.dumps({"a.py": 60.0}))
    collected = items("b.py::one", "a.py::one")
    scheduling.slowest_modules_first(collected)
    assert [i.nodeid for i in collected] == ["a.py::one", "b.py::one"]


def test_a_module_never_timed_is_guessed_from_its_number_of_tests(timings):
    timings.FRESH_CLONE.write_text(json.dumps({"timed.py": 0.25}))
    collected = items("timed.py::one", "new.py::one", "new.py::two", "new.py::three")
    scheduling.slowest_modules_first(collected)
    assert [i.nodeid for i in collected][0] == "new.py::one"  # 3 × 0.1 s > 0.25 s


def test_a_run_adds_up_each_modules_times_and_keeps_the_modules_it_did_not_run(timings):
    timings.LAST_RUN.parent.mkdir()
    timings.LAST_RUN.write_text(json.dumps({"kept.py": 7.0, "a.py": 99.0}))
    recorder = scheduling.DurationRecorder()
    for nodeid, seconds in [("a.py::one", 0.5), ("a.py::one", 1.25), ("b.py::two", 2.0)]:
        recorder.pytest_runtest_logreport(SimpleNamespace(nodeid=nodeid, duration=seconds))
    recorder.pytest_sessionfinish(session=None)
    assert json.loads(timings.LAST_RUN.read_text()) == {"a.py": 1.75, "b.py": 2.0, "kept.py": 7.0}
