"""A pytest plugin (loaded by tests/conftest.py): records every problem code a test session raises, so
tests/validation/test_rule_registry.py can fail when a registered code is raised by no test.

A code counts as raised when a `Problem` with it is created in the test process, or arrives from a worker
process (unpickled: validation in an executor's child). The set is kept in the session's stash."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from workbook_engine.model import Problem

RAISED: set[str] = set()
FINAL_TEST = "test_every_registered_code_is_raised_by_a_test"
TESTS = Path(__file__).resolve().parent.parent

_init = Problem.__init__


def _recording_init(self: Problem, *args: Any, **kwargs: Any) -> None:
    _init(self, *args, **kwargs)
    RAISED.add(self.code)


def _recording_setstate(self: Problem, state: dict[str, Any]) -> None:
    self.__dict__.update(state)
    RAISED.add(state.get("code"))


def install() -> None:
    Problem.__init__ = _recording_init  # type: ignore[method-assign]
    Problem.__setstate__ = _recording_setstate  # type: ignore[attr-defined]


COLLECTED: set[str] = set()  # the test modules collected (before -m deselects any test)
DESELECTED: list[pytest.Item] = []


def whole_suite(session: pytest.Session) -> str | None:
    """None when this session collected every test module of tests/, chose no test by -k or node id and left out
    at most the slow ones, in one process; else why not (then the comparison would be meaningless)."""
    config = session.config
    if hasattr(config, "workerinput"):
        return "a worker of a distributed run"
    if config.getoption("keyword", ""):
        return "tests chosen with -k"
    if any("::" in str(a) for a in config.args):
        return "tests chosen by node id"
    missing = sorted({p.relative_to(TESTS).as_posix() for p in TESTS.rglob("test_*.py")} - COLLECTED)
    if missing:
        return "test modules not collected: " + ", ".join(missing[:5])
    if any(item.get_closest_marker("slow") is None for item in DESELECTED):
        return "tests other than the slow ones deselected"
    return None


def collected(items: list[pytest.Item]) -> None:
    COLLECTED.update(Path(str(item.fspath)).resolve().relative_to(TESTS).as_posix() for item in items)


def order_last(items: list[pytest.Item]) -> None:
    """The final comparison runs after every other test."""
    items.sort(key=lambda item: item.name == FINAL_TEST)


def unraised(registered: set[str]) -> set[str]:
    """The registered codes that no Problem of this session carried."""
    return registered - RAISED
