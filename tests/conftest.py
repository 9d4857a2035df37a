"""The suite's fixtures: a small class and its files, the inbox, the sample school's runs, the start method of
child processes, a real SMTP server. What they are built from is in tests/builders.py."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import settings

# The suite is deterministic (the same examples every run, so main stays green for the same code);
# HYPOTHESIS_PROFILE=explore searches afresh each run, as a fuzzing campaign does.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

from tests.builders import SAMPLE, class_book, class_data  # noqa: E402 (after the profile is chosen)
from tests.helpers import raised_codes  # noqa: E402
from tests.helpers.net import free_port  # noqa: E402
from workbook_engine.pipeline import run_inbox  # noqa: E402
from workbook_engine.writing.samples import write_assessment, write_messy  # noqa: E402

raised_codes.install()  # every Problem code the session raises (tests/validation/test_rule_registry.py)


@pytest.hookimpl(tryfirst=True)  # before -m deselects: which test modules were collected
def pytest_collection_modifyitems(session, config, items):
    raised_codes.collected(items)
    raised_codes.order_last(items)


def pytest_deselected(items):
    raised_codes.DESELECTED.extend(items)


@pytest.fixture
def small_class():
    """A small class: 8 students, a head teacher and 2 mentors, talks up to 2026-10-20."""
    return class_data(3, 7, 9, students=8, mentors=2, until=dt.date(2026, 10, 20))


@pytest.fixture
def class_file(tmp_path, small_class) -> Path:
    """The small class filled into the blank template with openpyxl."""
    return class_book(tmp_path, small_class)


@pytest.fixture
def messy_file(tmp_path, small_class) -> Path:
    return write_messy(small_class, tmp_path / "messy.xlsx")


@pytest.fixture
def inbox(tmp_path, small_class) -> Path:
    """An inbox as the office's folder often is: the small class's workbook, the lock file Excel leaves beside an
    open workbook, and a CSV export. (A test module that needs another inbox defines its own `inbox`.)"""
    box = tmp_path / "inbox"
    box.mkdir()
    class_book(box, small_class)
    (box / "~$七年级9班.xlsx").write_bytes(b"\x08owner  \x00" * 10)
    (box / "名单.csv").write_text("学号,姓名\n2026070901,卢语\n", encoding="utf-8")
    return box


@pytest.fixture
def assessment_file(tmp_path, small_class) -> Path:
    return write_assessment([small_class], tmp_path / "学校考核数据.xlsx")


@pytest.fixture(params=["default", "spawn"])
def start_method(request, monkeypatch) -> str:
    """Run a process-related test twice: as this platform starts children, and as Windows and macOS do
    (WORKBOOK_ENGINE_START_METHOD=spawn, and fork made unavailable in this process, so any fork fails)."""
    if request.param == "spawn":
        import multiprocessing

        monkeypatch.setenv("WORKBOOK_ENGINE_START_METHOD", "spawn")
        methods = [m for m in multiprocessing.get_all_start_methods() if m != "fork"]
        monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: methods)

        def no_fork() -> int:
            raise OSError("fork is unavailable in this test (as on Windows)")

        if hasattr(os, "fork"):
            monkeypatch.setattr(os, "fork", no_fork)
    else:
        monkeypatch.delenv("WORKBOOK_ENGINE_START_METHOD", raising=False)
    return request.param


# -- a real SMTP server on loopback (aiosmtpd), for the mail tests ------------------------------------------
class _Handler:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bounce"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    handler = _Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, handler
    controller.stop()


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """The sample school as of 2026-11-20, once in Chinese (the default) and once in English (read, never changed,
    by the tests of the summary's words and of history's)."""
    base = tmp_path_factory.mktemp("sample-runs")
    as_of = dt.date(2026, 11, 20)
    return {lang: run_inbox(SAMPLE, base / lang, as_of=as_of, **({"lang": lang} if lang == "en" else {}))
            for lang in ("zh", "en")}
