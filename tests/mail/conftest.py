"""Fixtures of the mail tests: two classes' workbooks as attachments, and a real IMAP server (pymap) on loopback."""
from __future__ import annotations

import datetime as dt
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.builders import class_book
from tests.helpers.net import free_port
from workbook_engine.writing.samples import make_class

AS_OF = dt.date(2026, 10, 20)


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, bytes]:
    base = tmp_path_factory.mktemp("books")
    out = {}
    for n in (8, 9):
        c = make_class(40 + n, 7, n, students=6, mentors=2, until=AS_OF)
        out[c.class_name] = class_book(base, c).read_bytes()
    return out


@pytest.fixture
def imap_server():
    port = free_port()
    exe = Path(sys.executable).with_name("pymap")
    proc = subprocess.Popen([str(exe if exe.exists() else shutil.which("pymap")), "--host", "127.0.0.1", "--port", str(port), "dict",
                             "--demo-user", "jwc", "--demo-password", "s3cret"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    yield port
    proc.terminate()
    proc.wait(10)
