"""Hardening of send-feedback and watch: each class's head teacher gets exactly that class's book even when class
names collide as file names; a slow mail server costs one class at most mail.timeout_s; a second send skips what was
sent; a relay without login works; watch ignores hidden and temporary files, runs within a bounded wait, polls when
asked, and reports a file still being copied as such instead of as damaged."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import json
import os
import socketserver
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.builders import class_book
from workbook_engine.cli import main
from workbook_engine.cli.watch import watch
from workbook_engine.errors import UsageError
from workbook_engine.files import safe_file_name
from workbook_engine.mail import send_feedback
from workbook_engine.settings import Settings
from workbook_engine.writing.samples import make_class, school_toml

SENT_LOG = ".workbook-engine-sent.json"  # in OUT, documented in the README
COLLIDING = ["七年级/2班", "七年级_2班", "a/b班", "a\\b班", ".", "..", "七年级3班.", "七年级3班"]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_out(out: Path, classes: list[str], paths: list[str] | None = None) -> dict[str, bytes]:
    """An OUT folder as `run` leaves it: one feedback book per class, recorded in report.json's `feedback`
    (class, path relative to OUT, sha256), and each class's head teacher in the mentor list."""
    (out / "班级反馈").mkdir(parents=True, exist_ok=True)
    books, feedback, mentors = {}, [], []
    used: set[str] = set()
    for i, name in enumerate(classes):
        stem = safe_file_name(name)  # named as the old `run` named them: a collision gets a "_" appended
        while stem.lower() in used:
            stem += "_"
        used.add(stem.lower())
        rel = paths[i] if paths else f"班级反馈/{stem}.xlsx"
        data = f"PK {name} 的反馈工作簿 ".encode() * 50 + bytes([i])
        (out / rel).write_bytes(data)
        books[name] = data
        feedback.append({"class": name, "path": rel, "sha256": _sha(data)})
        mentors.append({"name": f"班主任{i}", "class": name, "role": "班主任", "email": f"head{i}@example.edu.cn"})
    report = {"as_of": "2026-10-20", "classes": [{"class": c, "talk_rate": 0.5, "parent_rate": 1.0} for c in classes],
              "mentors": mentors, "students": [], "overdue": [], "feedback": feedback}
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    return books


def _settings(port: int, **mail) -> Settings:
    return Settings.model_validate({"mail": {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none",
                                             "sender": "教务处 <jwc@example.edu.cn>", "password_env": "", **mail}})


def _toml(tmp_path: Path, port: int) -> Path:
    path = tmp_path / "smtp.toml"
    path.write_text(f'[mail]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\nsmtp_security = "none"\n'
                    'password_env = ""\n', encoding="utf-8")
    return path


def _received(raw: bytes) -> tuple[str, str]:
    """(To, sha256 of the one attachment) of a message as the server got it."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    attachments = list(msg.iter_attachments())
    assert len(attachments) == 1
    return str(msg["To"]), _sha(attachments[0].get_payload(decode=True))


# -- the right book to the right head teacher ----------------------------------------------------------------------
def test_colliding_class_names_each_get_their_own_book(tmp_path, smtp_server):
    port, handler = smtp_server
    books = _write_out(tmp_path / "out", COLLIDING)
    result = send_feedback(tmp_path / "out", _settings(port), pause=0)
    assert sorted(result.sent) == sorted(COLLIDING) and not result.failed
    expected = {f"head{i}@example.edu.cn": _sha(books[name]) for i, name in enumerate(COLLIDING)}
    got = [(rcpts, _received(raw)) for rcpts, raw in handler.messages]
    assert len(got) == len(COLLIDING)
    assert {rcpts[0]: sha for rcpts, (_, sha) in got} == expected
    assert all(rcpts == [to] for rcpts, (to, _) in got)


def test_dry_run_writes_one_eml_per_class_with_its_own_book(tmp_path):
    books = _write_out(tmp_path / "out", COLLIDING)
    result = send_feedback(tmp_path / "out", _settings(1), dry_run=tmp_path / "eml")
    files = sorted((tmp_path / "eml").iterdir())
    assert len(result.written) == len(files) == len(COLLIDING)
    expected = {f"head{i}@example.edu.cn": _sha(books[name]) for i, name in enumerate(COLLIDING)}
    assert dict(_received(p.read_bytes()) for p in files) == expected


def test_a_changed_missing_or_outside_book_fails_that_class_only(tmp_path, smtp_server):
    port, handler = smtp_server
    out = tmp_path / "out"
    (tmp_path / "secret.xlsx").write_bytes(b"not yours")
    classes = ["七年级1班", "七年级2班", "七年级3班", "七年级4班"]
    paths = ["班级反馈/a.xlsx", "班级反馈/b.xlsx", "班级反馈/c.xlsx", "../secret.xlsx"]
    books = _write_out(out, classes[:3], paths[:3])
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    report["classes"].append({"class": classes[3]})
    report["feedback"].append({"class": classes[3], "path": paths[3], "sha256": _sha(b"not yours")})
    report["mentors"].append({"name": "x", "class": classes[3], "role": "班主任", "email": "head3@example.edu.cn"})
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    (out / "班级反馈/a.xlsx").write_bytes(b"edited after the run")
    (out / "班级反馈/b.xlsx").unlink()
    result = send_feedback(out, _settings(port), pause=0)
    assert result.sent == ["七年级3班"]
    assert {k: "请重新运行 run" in v for k, v in result.failed.items()} == {
        "七年级1班": True, "七年级2班": True, "七年级4班": True}
    assert [_received(raw) for _, raw in handler.messages] == [("head2@example.edu.cn", _sha(books["七年级3班"]))]


def test_an_out_folder_without_the_feedback_record_is_refused(tmp_path, smtp_server, capsys):
    port, handler = smtp_server
    out = tmp_path / "out"
    _write_out(out, ["七年级1班"], ["班级反馈/七年级1班.xlsx"])
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    del report["feedback"]
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(UsageError, match="重新运行 run"):
        send_feedback(out, _settings(port), pause=0)
    assert main(["send-feedback", str(out), "--config", str(_toml(tmp_path, port))]) == 2
    assert "重新运行 run" in capsys.readouterr().err
    assert handler.messages == []


# -- mail ----------------------------------------------------------------------------------------------------------
def test_a_second_send_skips_books_already_sent_unless_resend(tmp_path, smtp_server, capsys):
    port, handler = smtp_server
    out = tmp_path / "out"
    classes = ["七年级1班", "七年级2班", "七年级3班"]
    _write_out(out, classes)
    first = send_feedback(out, _settings(port), pause=0)
    assert sorted(first.sent) == classes and len(handler.messages) == 3
    log = json.loads((out / SENT_LOG).read_text(encoding="utf-8"))["sent"]
    assert {(e["class"], e["recipient"]) for e in log} == {(c, f"head{i}@example.edu.cn") for i, c in enumerate(classes)}
    assert all(len(e["sha256"]) == 64 and dt.datetime.fromisoformat(e["time"]) for e in log)

    again = send_feedback(out, _settings(port), pause=0)
    assert again.sent == [] and sorted(again.skipped) == classes and len(handler.messages) == 3

    # a new run changed class 2's book; class 3 has a new head teacher
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    book = out / report["feedback"][1]["path"]
    book.write_bytes(b"PK new version")
    report["feedback"][1]["sha256"] = _sha(b"PK new version")
    report["mentors"][2]["email"] = "newhead@example.edu.cn"
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    third = send_feedback(out, _settings(port), pause=0)
    assert sorted(third.sent) == ["七年级2班", "七年级3班"] and third.skipped == ["七年级1班"]
    assert sorted(_received(raw)[0] for _, raw in handler.messages[3:]) == ["head1@example.edu.cn",
                                                                            "newhead@example.edu.cn"]

    assert main(["send-feedback", str(out), "--config", str(_toml(tmp_path, port))]) == 0
    assert "3 个已发送且未改变" in capsys.readouterr().out and len(handler.messages) == 5
    assert main(["send-feedback", str(out), "--config", str(_toml(tmp_path, port)), "--resend"]) == 0
    assert len(handler.messages) == 8


def test_a_relay_without_login_needs_no_password(tmp_path, smtp_server, monkeypatch):
    port, handler = smtp_server
    monkeypatch.delenv("WORKBOOK_ENGINE_MAIL_PASSWORD", raising=False)
    out = tmp_path / "out"
    _write_out(out, ["七年级1班"], ["班级反馈/七年级1班.xlsx"])
    settings = Settings.model_validate({"mail": {"smtp_host": "127.0.0.1", "smtp_port": port,
                                                 "smtp_security": "none"}})  # password_env left at its default
    result = send_feedback(out, settings, pause=0)
    assert result.sent == ["七年级1班"] and len(handler.messages) == 1


class _DripServer(socketserver.ThreadingTCPServer):
    """A hand-written SMTP server that answers RCPT for slow@… (or, with drip_greeting, its greeting) one
    continuation line every 0.3 s and never finishes; everything else is answered at once."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, drip_greeting: bool = False) -> None:
        self.drip_greeting = drip_greeting
        self.stopping = threading.Event()
        self.received: list[str] = []
        super().__init__(("127.0.0.1", 0), _DripHandler)


class _DripHandler(socketserver.StreamRequestHandler):
    server: _DripServer

    def _say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def _drip(self, code: int) -> None:
        while not self.server.stopping.wait(0.3):
            self._say(f"{code}-still working")

    def handle(self) -> None:
        try:
            if self.server.drip_greeting:
                self._drip(220)
            self._say("220 drip ready")
            rcpt = ""
            while not self.server.stopping.is_set():
                line = self.rfile.readline().decode("utf-8", "replace").strip()
                verb = line.split(" ", 1)[0].split(":", 1)[0].upper()
                if not line and not verb:
                    return
                if verb == "RCPT":
                    rcpt = line
                    if "slow@" in line:
                        self._drip(250)
                    self._say("250 ok")
                elif verb == "DATA":
                    self._say("354 go on")
                    while self.rfile.readline() not in (b".\r\n", b""):
                        pass
                    self.server.received.append(rcpt)
                    self._say("250 accepted")
                elif verb == "QUIT":
                    self._say("221 bye")
                    return
                else:
                    self._say("250 ok")
        except OSError:
            return


@pytest.fixture
def drip_server():
    servers: list[_DripServer] = []

    def start(drip_greeting: bool = False) -> _DripServer:
        server = _DripServer(drip_greeting)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stopping.set()
        server.shutdown()
        server.server_close()


def _send_in_thread(out: Path, settings: Settings) -> tuple[threading.Thread, list]:
    box: list = []
    thread = threading.Thread(target=lambda: box.append(send_feedback(out, settings, pause=0)), daemon=True)
    thread.start()
    return thread, box


def test_a_dripping_server_costs_one_class_at_most_the_timeout(tmp_path, drip_server):
    server = drip_server()
    out = tmp_path / "out"
    _write_out(out, ["七年级1班", "七年级2班"])
    settings = _settings(server.server_address[1], timeout_s=2,
                         recipients={"七年级1班": "slow@example.edu.cn"})
    thread, box = _send_in_thread(out, settings)
    thread.join(30)
    assert not thread.is_alive(), "send-feedback still running after 30 s"
    result = box[0]
    assert result.sent == ["七年级2班"] and list(result.failed) == ["七年级1班"]
    assert "超过 2 秒" in result.failed["七年级1班"]
    assert len(server.received) == 1 and "head1@" in server.received[0]


def test_a_server_that_drips_its_greeting_fails_every_class_within_the_bound(tmp_path, drip_server):
    server = drip_server(drip_greeting=True)
    out = tmp_path / "out"
    _write_out(out, ["七年级1班", "七年级2班"])
    thread, box = _send_in_thread(out, _settings(server.server_address[1], timeout_s=1.5))
    thread.join(30)
    assert not thread.is_alive(), "send-feedback still running after 30 s"
    assert box[0].sent == [] and sorted(box[0].failed) == ["七年级1班", "七年级2班"]
    log = out / SENT_LOG
    assert not log.exists() or json.loads(log.read_text(encoding="utf-8"))["sent"] == []


# -- watch ---------------------------------------------------------------------------------------------------------
AS_OF = dt.date(2026, 10, 20)


class _Watching:
    """watch() in a thread with a run callback that only records when it was called and what was unsettled."""

    def __init__(self, inbox: Path, **kwargs) -> None:
        self.runs: list[tuple[float, frozenset]] = []
        self.stop = threading.Event()

        def run(unsettled=frozenset()):
            self.runs.append((time.monotonic(), frozenset(unsettled)))

        self.thread = threading.Thread(target=watch, args=(inbox, run), kwargs={"stop": self.stop, **kwargs},
                                       daemon=True)

    def __enter__(self) -> _Watching:
        self.thread.start()
        self.wait_for(1, 10)
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive(), "watch did not stop"

    def wait_for(self, count: int, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while len(self.runs) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return len(self.runs) >= count


def _keep_writing(paths: list[Path], seconds: float, every: float = 0.05) -> threading.Thread:
    def touch() -> None:
        end, n = time.monotonic() + seconds, 0
        while time.monotonic() < end:
            for p in paths:
                p.parent.mkdir(parents=True, exist_ok=True)
                with open(p, "ab") as fh:
                    fh.write(b"%d" % n)
            n += 1
            time.sleep(every)

    thread = threading.Thread(target=touch, daemon=True)
    thread.start()
    return thread


def test_hidden_and_temporary_files_neither_trigger_nor_starve_a_run(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    noise = [inbox / ".sync-state", inbox / "~$七年级1班.xlsx", inbox / "七年级1班.xlsx.tmp",
             inbox / ".dropbox.cache" / "blob", inbox / "子目录" / ".DS_Store"]
    (inbox / "子目录").mkdir()
    with _Watching(inbox, debounce=0.3) as w:
        toucher = _keep_writing(noise, 4.5)
        time.sleep(1.0)
        assert len(w.runs) == 1, "a hidden or temporary file triggered a run"
        landed = time.monotonic()
        (inbox / "七年级1班.xlsx").write_bytes(b"PK\x03\x04 a class file")
        assert w.wait_for(2, 3), "no run while a hidden file was being touched"
        assert w.runs[1][0] - landed < 3 and toucher.is_alive()
        toucher.join()
        time.sleep(0.8)
        assert len(w.runs) == 2


def test_a_file_that_keeps_changing_gets_a_run_within_the_bounded_wait(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    growing = inbox / "七年级1班.xlsx"
    with _Watching(inbox, debounce=0.3, max_wait=1.0) as w:
        started = time.monotonic()
        writer = _keep_writing([growing], 4.5)
        assert w.wait_for(2, 4), "no run while a file kept changing"
        assert w.runs[1][0] - started < 4 and writer.is_alive()
        assert str(growing.resolve()) in w.runs[1][1]  # the run is told the file is still being written
        writer.join()
        stopped = time.monotonic()
        deadline = stopped + 6
        while time.monotonic() < deadline and not (w.runs[-1][0] > stopped and not w.runs[-1][1]):
            time.sleep(0.05)
        assert w.runs[-1][0] > stopped and w.runs[-1][1] == frozenset()  # and again once it settled


def test_poll_mode_needs_no_change_events(tmp_path, monkeypatch):
    import workbook_engine.cli.watch as watch_module

    class Deaf:  # a network share: the native observer never reports anything
        def __init__(self, *a, **k) -> None: ...
        def schedule(self, *a, **k) -> None: ...
        def start(self) -> None: ...
        def stop(self) -> None: ...
        def join(self, *a, **k) -> None: ...

    monkeypatch.setattr(watch_module, "Observer", Deaf)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with _Watching(inbox, debounce=0.3, poll=0.2) as w:
        (inbox / "七年级1班.xlsx").write_bytes(b"PK\x03\x04 a class file")
        assert w.wait_for(2, 10), "polling did not see the new file"
    assert "--poll" in _help("watch")


def _help(command: str) -> str:
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        main([command, "--help"])
    return buf.getvalue()


@pytest.fixture
def two_classes(tmp_path) -> tuple[Path, dict[str, bytes]]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    data = {}
    for n in (1, 2):
        c = make_class(60 + n, 7, n, students=5, mentors=1, until=AS_OF)
        data[c.class_name] = class_book(tmp_path, c).read_bytes()
    (inbox / "七年级1班.xlsx").write_bytes(data["七年级1班"])
    (inbox / "school.toml").write_text(school_toml(list(data)), encoding="utf-8")
    return inbox, data


STILL_WRITING = "文件仍在写入，稍后自动重新处理"


def test_a_file_copied_in_during_the_run_is_still_being_written_not_damaged(tmp_path, two_classes):
    from workbook_engine.execution import SerialExecutor
    from workbook_engine.pipeline import run_inbox

    inbox, data = two_classes
    copying = inbox / "七年级2班.xlsx"
    full = data["七年级2班"]
    copying.write_bytes(full[: len(full) // 3])  # the copy has begun

    def copy_goes_on(entry) -> None:
        if entry.name == copying.name:
            copying.write_bytes(full)

    result = run_inbox(inbox, tmp_path / "out", as_of=AS_OF, executor=SerialExecutor(), progress=copy_goes_on)
    files = {f["path"]: f for f in result.report["files"]}
    assert (files[copying.name]["status"], files[copying.name]["reason"]) == ("skipped", STILL_WRITING)
    assert files["七年级1班.xlsx"]["status"] == "accepted" and result.exit_code == 0
    again = run_inbox(inbox, tmp_path / "out", as_of=AS_OF, executor=SerialExecutor())  # once it has settled
    assert {f["path"]: f["status"] for f in again.report["files"]}[copying.name] == "accepted"
    # what the watcher saw still changing is set aside without being read
    copying.write_bytes(full[:100])
    # (half the term's records are then out of the run: it is told to replace the term, or it would stop)
    told = run_inbox(inbox, tmp_path / "out", as_of=AS_OF, executor=SerialExecutor(), unsettled=[copying],
                     replace_term=True)
    entry = {f["path"]: f for f in told.report["files"]}[copying.name]
    assert (entry["status"], entry["reason"], entry["problems"]) == ("skipped", STILL_WRITING, [])


def test_watch_reports_a_slow_copy_as_still_being_written_then_takes_it(tmp_path, two_classes):
    from workbook_engine.execution import SerialExecutor
    from workbook_engine.pipeline import run_inbox

    inbox, data = two_classes
    seen: list[tuple[str, str]] = []
    stop = threading.Event()

    def once(unsettled) -> None:
        result = run_inbox(inbox, tmp_path / "out", as_of=AS_OF, executor=SerialExecutor(), unsettled=unsettled)
        entry = {f["path"]: f for f in result.report["files"]}.get("七年级2班.xlsx")
        if entry:
            seen.append((entry["status"], entry["reason"]))

    thread = threading.Thread(target=watch, args=(inbox, once), daemon=True,
                              kwargs={"debounce": 0.5, "max_wait": 0.5, "stop": stop})
    thread.start()
    try:
        time.sleep(1.0)
        full = data["七年级2班"]
        step = len(full) // 60 + 1
        with open(inbox / "七年级2班.xlsx", "wb") as fh:  # a slow copy: about 3 s
            for i in range(0, len(full), step):
                fh.write(full[i:i + step])
                fh.flush()
                time.sleep(0.05)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (not seen or seen[-1][0] != "accepted"):
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(20)
    assert seen and seen[-1][0] == "accepted"
    assert ("skipped", STILL_WRITING) in seen
    assert all(status in ("skipped", "accepted") for status, _ in seen), seen  # never "damaged, re-save"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_fifos_in_the_inbox_do_not_block_the_watcher(tmp_path):
    from workbook_engine.cli.watch import _snapshot

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("x.xlsx", "pipe", ".hidden"):
        os.mkfifo(inbox / name)
    (inbox / "七年级1班.xlsx").write_bytes(b"PK\x03\x04")
    assert list(_snapshot(inbox, [])) == [str(inbox / "七年级1班.xlsx")]
    with _Watching(inbox, debounce=0.3) as w:
        os.mkfifo(inbox / "later")  # its event is looked at by name and stat only
        (inbox / "七年级2班.xlsx").write_bytes(b"PK\x03\x04")
        assert w.wait_for(2, 10)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_watch_command_with_a_fifo_stops_on_sigterm(tmp_path, two_classes):
    import signal
    import subprocess

    inbox, _ = two_classes
    os.mkfifo(inbox / "x.xlsx")
    os.mkfifo(inbox / "pipe")
    proc = subprocess.Popen([sys.executable, "-m", "workbook_engine", "watch", str(inbox), "--out",
                             str(tmp_path / "out"), "--debounce", "0.3", "--as-of", "2026-10-20"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(5)
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        pass
    finally:
        alive = proc.poll() is None
        if alive:
            proc.kill()
            proc.communicate()
    assert not alive, "watch still running 60 s after SIGTERM"


@pytest.mark.parametrize("poll", [None, 0.2])
def test_a_run_the_watcher_starts_runs_alone_so_it_may_fork_and_a_file_landing_meanwhile_runs_again(tmp_path, poll):
    """The watcher's threads stop while its run works: beside another thread the run may not fork and writes every
    workbook in one process (3.5 s instead of 1.9 s for 40 classes). A file that lands during the run is still
    seen, and the watcher runs again."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    stop = threading.Event()
    guard = threading.Timer(20, stop.set)  # (a watcher that never runs again fails the test, not the suite)
    others: list[list[str]] = []

    def run() -> None:
        others.append([t.name for t in threading.enumerate() if t not in (threading.main_thread(), guard)])
        if len(others) == 1:
            (inbox / "new.xlsx").write_bytes(b"landed during the run")
        else:
            stop.set()

    guard.start()
    watch(inbox, run, debounce=0.2, stop=stop, poll=poll)
    guard.cancel()
    assert others == [[], []]  # two runs, no watcher thread beside either
