"""`serve`'s real server (waitress) on loopback: a request that stalls gets 408, a body declared over the limit
gets 413 before it is read, and the server goes on serving after each."""
from __future__ import annotations

import shutil
import socket
import threading
import urllib.request

import pytest

from tests.builders import ROOT
from workbook_engine.execution import SerialExecutor
from workbook_engine.reading.inbox import resolve_settings
from workbook_engine.web.app import create_app
from workbook_engine.web.server import make_server

pytestmark = pytest.mark.slow


@pytest.fixture
def port(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(ROOT / "sample_data", inbox)
    app = create_app(inbox, tmp_path / "out", resolve_settings(inbox, None), executor=SerialExecutor())
    server = make_server(app, "127.0.0.1", 0, max_body=1_000_000, request_timeout=1)
    def run() -> None:
        try:
            server.run()
        except OSError:  # the socket closed under the loop at the end of the test
            pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield server.effective_port
    server.close()
    thread.join(5)


def answer(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


def still_serving(port: int) -> bool:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=20) as r:
        return r.status == 200 and "提交前自查" in r.read().decode("utf-8")


def test_a_request_that_stalls_gets_408_and_the_server_keeps_serving(port):
    head = (b"POST /check HTTP/1.1\r\nHost: school\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 5000\r\n\r\n--x\r\n")  # then nothing more: a client that stalls (or a slowloris)
    reply = answer(port, head)
    assert reply.startswith(b"HTTP/1.1 408 Request Timeout")
    assert "请求在 1 秒内没有发送完整".encode() in reply
    assert still_serving(port)


def test_a_body_declared_over_the_limit_gets_413_before_it_is_read(port):
    head = (b"POST /check HTTP/1.1\r\nHost: school\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 300000000\r\n\r\n--x\r\n")  # 300 MB announced, a few bytes sent
    assert answer(port, head).startswith(b"HTTP/1.1 413")
    assert still_serving(port)


def test_a_malformed_request_gets_400_and_the_server_keeps_serving(port):
    assert answer(port, b"POST /check HTTP/1.1\r\nHost: school\r\nContent-Length: nonsense\r\n\r\n").startswith(
        b"HTTP/1.1 400")
    body = b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\nPK\x03\x04"
    reply = answer(port, b"POST /check HTTP/1.1\r\nHost: school\r\nConnection: close\r\n"
                         b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    assert reply.startswith(b"HTTP/1.1 400") and "上传的内容不完整或格式有误".encode() in reply
    assert still_serving(port)
