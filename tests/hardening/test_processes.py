"""Hardening of reading and of processes: nothing in the inbox can hang a run, no child outlives a killed run, the
memory limit holds without the `resource` module, everything works when children are spawned (as on Windows and
macOS), and the console never crashes for want of a character."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

import workbook_engine
from tests.builders import class_book, school_inbox
from tests.hardening import crashers
from tests.helpers.terms import term_dir
from workbook_engine.execution import ProcessExecutor, SerialExecutor
from workbook_engine.model import WorkerFailure
from workbook_engine.pipeline import run_inbox
from workbook_engine.writing.samples import make_class

AS_OF = dt.date(2026, 10, 20)
ROOT = Path(workbook_engine.__file__).resolve().parent.parent  # the package under test, for subprocesses
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev/zero are POSIX")


def engine(*args: str, timeout: float = 120, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess:
    """`workbook-engine ARGS` in a fresh interpreter (the package under test on its path), bounded in time so a
    hang fails the test instead of the suite."""
    full = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]), **(env or {})}
    return subprocess.run([sys.executable, "-m", "workbook_engine", *args], capture_output=True, timeout=timeout,
                          check=False, env=full, **kw)


def files_of(out: Path) -> dict[str, dict]:
    return {f["path"]: f for f in json.loads((term_dir(out) / "report.json").read_text(encoding="utf-8"))["files"]}


# -- nothing in the inbox hangs a run ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_inbox(tmp_path_factory) -> Path:
    """A good class file beside FIFOs and links to /dev/zero and to a file outside the inbox."""
    base = tmp_path_factory.mktemp("hostile")
    inbox = base / "inbox"
    inbox.mkdir()
    data = make_class(3, 7, 9, students=8, mentors=2, until=AS_OF)
    class_book(inbox, data, "七年级9班.xlsx")
    os.mkfifo(inbox / "x.xlsx")
    os.mkfifo(inbox / "mail.eml")
    os.mkfifo(inbox / "noext")
    os.symlink("/dev/zero", inbox / "big.xlsx")
    os.symlink("/dev/zero", inbox / "zero.eml")
    secret = base / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    os.symlink(secret, inbox / "passwd.xlsx")
    os.symlink(inbox / "七年级9班.xlsx", inbox / "link-inside.xlsx")  # a link within the inbox is read
    return inbox


@pytest.fixture(scope="module")
def hostile_runs(hostile_inbox, tmp_path_factory) -> dict[str, dict[str, dict]]:
    """The run's files list, in Chinese and in English; each run must end within 60 s (today: never)."""
    runs = {}
    for lang in ("zh", "en"):
        out = tmp_path_factory.mktemp(f"out-{lang}")
        done = engine("run", str(hostile_inbox), "--out", str(out), "--as-of", AS_OF.isoformat(), "--lang", lang,
                      timeout=60)
        assert done.returncode in (0, 1), done.stderr.decode(errors="replace")
        runs[lang] = files_of(out)
    return runs


@posix_only
@pytest.mark.parametrize("name, zh, en", [
    ("x.xlsx", "不是普通文件", "not a regular file"),
    ("mail.eml", "不是普通文件", "not a regular file"),
    ("noext", "不是普通文件", "not a regular file"),
    ("big.xlsx", "收件目录之外", "outside the inbox"),
    ("zero.eml", "收件目录之外", "outside the inbox"),
    ("passwd.xlsx", "收件目录之外", "outside the inbox"),
])
def test_pipes_devices_and_links_out_of_the_inbox_are_skipped_with_the_reason(hostile_runs, name, zh, en):
    assert hostile_runs["zh"][name]["status"] == "skipped" and zh in hostile_runs["zh"][name]["reason"]
    assert hostile_runs["en"][name]["status"] == "skipped" and en in hostile_runs["en"][name]["reason"]


@posix_only
def test_the_good_file_beside_them_is_still_read(hostile_runs):
    files = hostile_runs["zh"]
    assert files["七年级9班.xlsx"]["status"] in ("accepted", "superseded")
    assert files["link-inside.xlsx"]["status"] in ("accepted", "superseded")
    assert sum(f["status"] == "accepted" for f in files.values()) == 1


def test_a_mail_over_the_size_limit_is_skipped_before_it_is_read(tmp_path, class_file):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(class_file, inbox / "七年级9班.xlsx")
    (inbox / "school.toml").write_text("[limits]\nmax_email_mb = 0.01\n", encoding="utf-8")
    (inbox / "huge.eml").write_bytes(b"From: a@b.c\r\nSubject: x\r\n\r\n" + b"A" * 20_000)
    result = run_inbox(inbox, tmp_path / "out", as_of=AS_OF, lang="en")
    files = {f.name: f for f in result.files}
    assert files["huge.eml"].status == "skipped"
    assert "too large" in files["huge.eml"].reason and "limits.max_email_mb" in files["huge.eml"].reason
    assert files["七年级9班.xlsx"].status == "accepted"


def test_the_settings_file_is_found_whatever_the_case_of_its_name(tmp_path, class_file):
    """School.toml is the inbox's settings on every disk (case-insensitive ones find it anyway)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(class_file, inbox / "七年级9班.xlsx")
    (inbox / "School.toml").write_text("[limits]\nmax_file_mb = 7\n", encoding="utf-8")
    result = run_inbox(inbox, tmp_path / "out", as_of=AS_OF)
    assert result.settings.limits.max_file_mb == 7
    settings_entry = next(f for f in result.files if f.name == "School.toml")
    assert settings_entry.status == "skipped" and settings_entry.reason == "学校设置文件"


# -- the memory limit without `resource`; spawn everywhere ---------------------------------------------------------
def test_the_memory_limit_holds_without_the_resource_module(tmp_path, class_file, monkeypatch, start_method):
    """As on Windows (no `resource`) and macOS (RLIMIT_AS not enforced): the parent stops the worker over
    limits.worker_memory_mb and reports that file only, as a memory problem."""
    monkeypatch.setitem(sys.modules, "resource", None)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(class_file, inbox / "七年级9班.xlsx")
    shutil.copy(class_file, inbox / "hog.xlsx")
    result = run_inbox(inbox, tmp_path / "out", as_of=AS_OF, lang="en", executor=crashers.HoggingExecutor())
    files = {f["path"]: f for f in result.report["files"]}
    assert files["hog.xlsx"]["status"] == "rejected"
    [problem] = files["hog.xlsx"]["problems"]
    assert problem["code"] == "reader-crashed" and "memory limit of 300 MB" in problem["message"]
    assert files["七年级9班.xlsx"]["status"] == "accepted"


def test_a_crashing_reader_costs_one_file_however_children_start(tmp_path, start_method):
    paths = [tmp_path / f"{n}.xlsx" for n in ("a", "crash", "b")]
    for p in paths:
        p.write_bytes(b"x")
    results = dict(ProcessExecutor(workers=2).map_files(crashers.abort_on_crash, paths))
    assert results[0] == "a.xlsx" and results[2] == "b.xlsx"
    assert isinstance(results[1], WorkerFailure) and results[1].crashed


def test_a_run_gives_the_same_results_however_children_start(tmp_path, class_file, assessment_file, start_method):
    """Every output of a run is the same under fork and under spawn (no fork at all)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(class_file, inbox / "七年级9班.xlsx")
    shutil.copy(assessment_file, inbox / "学校考核数据.xlsx")
    result = run_inbox(inbox, tmp_path / "out", as_of=AS_OF)
    alone = run_inbox(inbox, tmp_path / "serial", as_of=AS_OF, executor=SerialExecutor())
    # (merged, summary, feedback book, 导师分工明细表, the ledger, the term's report.json, OUT's index)
    assert _published(tmp_path / "out") == _published(tmp_path / "serial") and len(result.outputs) == 7
    assert result.report["files"] == alone.report["files"] and result.report["summary"] == alone.report["summary"]
    summary = result.report["summary"]
    assert summary["files"]["accepted"] == 2 and summary["errors"] == 0
    assert summary["rows"]["read"] == summary["rows"]["accepted"] > 0


def test_a_script_without_a_main_guard_runs_serially_with_a_clear_message(tmp_path, class_file):
    """Under spawn a script that calls run_inbox at its top level would start the run again in every worker:
    the workers stop at once, the files are read in the script's process, and a warning says why."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(class_file, inbox / "七年级9班.xlsx")
    script = tmp_path / "nightly.py"
    script.write_text(textwrap.dedent(f"""
        import datetime
        from workbook_engine.pipeline import run_inbox

        result = run_inbox({str(inbox)!r}, {str(tmp_path / "out")!r}, as_of=datetime.date(2026, 10, 20))
        print("RUN-DONE", result.exit_code, result.count("accepted"))
    """), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           "WORKBOOK_ENGINE_START_METHOD": "spawn"}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=180, env=env,
                          check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["RUN-DONE", "0", "1"]  # the run happened once, in the script's process
    assert 'if __name__ == "__main__"' in done.stderr and "Traceback" not in done.stderr


# -- a console that cannot show every character --------------------------------------------------------------------
@pytest.fixture
def mixed_inbox(tmp_path, class_file) -> Path:
    """A class sent twice (↺ superseded) and a file that is not a workbook (✗ rejected)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(class_file, inbox / "七年级9班.xlsx")
    shutil.copy(class_file, inbox / "七年级9班(1).xlsx")
    os.utime(inbox / "七年级9班.xlsx", (1_700_000_000, 1_700_000_000))
    (inbox / "坏文件.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    return inbox


@pytest.mark.parametrize("encoding", ["gbk", "cp1252", "ascii"])
def test_run_output_redirected_in_a_narrow_encoding_does_not_crash(mixed_inbox, tmp_path, encoding):
    done = engine("run", str(mixed_inbox), "--out", str(tmp_path / "out"), "--as-of", AS_OF.isoformat(),
                  env={"PYTHONIOENCODING": encoding})
    out, err = done.stdout.decode(encoding), done.stderr.decode(encoding)
    assert "Traceback" not in err and done.returncode == 1  # 1: a file was rejected
    assert "坏文件.xlsx" in out if encoding == "gbk" else "x ???.xlsx" in out  # the ✗ line, marks replaced
    assert "report.json" in out  # printed after the ✗ and ↺ lines


# -- no child outlives a killed run --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def school20(tmp_path_factory) -> Path:
    classes = [make_class(100 + n, 7 + n // 10, n % 10 + 1, students=45, mentors=5, until=AS_OF) for n in range(20)]
    return school_inbox(tmp_path_factory.mktemp("school20") / "inbox", classes, assessment=True, toml=False)


def _published(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")}


@pytest.mark.parametrize("moment", ["files", "outputs"])
def test_after_kill_9_every_child_is_gone_within_5_s_and_writes_nothing(school20, tmp_path, moment, start_method):
    if not hasattr(os, "kill") or sys.platform == "win32":
        pytest.skip("kill -9 is POSIX; the children's parent watch is the same code on Windows")
    import signal

    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "workbook_engine", "run", str(school20), "--out", str(out),
                             "--as-of", AS_OF.isoformat()], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env)
    run = psutil.Process(proc.pid)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            children = run.children(recursive=True)
            writing = out.exists() and any(".xlsx" in p.name for p in out.rglob("*"))  # a workbook begun
            if moment == "files" and children and not writing:
                break  # workers are reading
            if moment == "outputs" and writing:
                break  # outputs are being written
            time.sleep(0.005)
        else:
            pytest.fail(f"the run ended before the {moment} stage was seen")
        children = run.children(recursive=True)
        os.kill(proc.pid, signal.SIGKILL)
        before = _published(out) if out.exists() else set()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    _, alive = psutil.wait_procs(children, timeout=5)
    alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, f"{len(alive)} of the run's {len(children)} child processes still running 5 s after kill -9"
    after = _published(out) if out.exists() else set()
    assert after == before  # an orphaned child published nothing after its parent died


WATCHER = '''
import multiprocessing as mp, os, sys, time
from workbook_engine.execution import watch_parent

def grandchild(owner):
    watch_parent(owner)  # the thread alone (no kernel help): as on Windows and macOS
    time.sleep(120)

def child(owner):
    p = mp.get_context("spawn").Process(target=grandchild, args=(owner or os.getpid(),))
    p.start()
    print(os.getpid(), p.pid, flush=True)
    time.sleep(120)

if __name__ == "__main__":
    watched = sys.argv[1]  # "parent": the grandchild watches its own parent; "grandparent": this process (psutil)
    c = mp.get_context("spawn").Process(target=child, args=(os.getpid() if watched == "grandparent" else 0,))
    c.start()
    time.sleep(120)
'''


@pytest.mark.parametrize("watched", ["parent", "grandparent"])
def test_the_parent_watch_alone_ends_an_orphan_within_5_s(tmp_path, watched):
    """The watch every child runs, without Linux's kernel help: by a change of parent (POSIX), or through psutil
    (the watched process is not the direct parent, as with a fork server, and as Windows is always watched)."""
    if sys.platform == "win32":
        pytest.skip("kill -9 is POSIX")
    script = tmp_path / "watcher.py"
    script.write_text(WATCHER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    top = subprocess.Popen([sys.executable, str(script), watched], stdout=subprocess.PIPE, text=True, env=env)
    child_pid, grandchild_pid = (int(x) for x in top.stdout.readline().split())
    child, grandchild = psutil.Process(child_pid), psutil.Process(grandchild_pid)
    try:
        victim = top.pid if watched == "grandparent" else child_pid
        time.sleep(0.5)  # the watch is running
        assert grandchild.is_running() and grandchild.status() != psutil.STATUS_ZOMBIE
        os.kill(victim, 9)
        _, alive = psutil.wait_procs([grandchild], timeout=5)
        assert not [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    finally:
        for p in (child, grandchild):
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        top.kill()
        top.wait()


def test_a_crashing_reader_costs_one_file(tmp_path):
    paths = [tmp_path / f"{n}.xlsx" for n in ("a", "crash", "b", "c")]
    for p in paths:
        p.write_bytes(b"x")
    results = dict(ProcessExecutor(workers=2).map_files(crashers.abort_on_crash, paths))
    assert results[0] == "a.xlsx" and results[2] == "b.xlsx" and results[3] == "c.xlsx"
    assert isinstance(results[1], WorkerFailure) and results[1].crashed


def test_a_runaway_allocation_hits_the_worker_memory_limit(tmp_path):
    paths = [tmp_path / "big.xlsx", tmp_path / "ok.xlsx"]
    results = dict(ProcessExecutor(workers=2, memory_mb=400).map_files(crashers.allocate, paths))
    assert isinstance(results[0], WorkerFailure) and results[1] == "ok.xlsx"


def test_the_workers_take_the_largest_files_first(tmp_path):
    """The files phase ends when its last file is read: the biggest workbooks go to the workers first, so the
    run never ends on one worker reading a big file while the others wait. A file that cannot be looked at (gone
    since it was listed) counts as empty, last."""
    from workbook_engine.execution import largest_first

    paths = []
    for name, size in (("small.xlsx", 10), ("big.xlsx", 5000), ("middle.xlsx", 300)):
        (tmp_path / name).write_bytes(b"x" * size)
        paths.append(tmp_path / name)
    paths.append(tmp_path / "gone.xlsx")
    assert largest_first(paths) == [1, 2, 0, 3]


def test_where_nothing_forks_a_helper_writes_the_summary_and_feedback_and_if_it_dies_they_are_written_here(
        tmp_path, class_file, assessment_file, start_method, monkeypatch):
    """Where nothing forks (Windows, macOS) one spawned helper writes the summary and the feedback books while this
    process writes the rest. If the helper dies on its job, the run writes them itself: the same books, byte for
    byte, and the run succeeds; a term too big to copy to a helper (pipeline.HELPER_MAX_ROWS) has none."""
    import hashlib

    from workbook_engine.execution import Helper
    from workbook_engine.writing.outputs import RunOutputs

    if start_method != "spawn":
        pytest.skip("where fork is allowed the books are written by forked children: no helper")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(class_file, inbox / "七年级9班.xlsx")
    shutil.copy(assessment_file, inbox / "学校考核数据.xlsx")
    given: list[str] = []
    submit = Helper.submit

    def spied(self, fn, *args):
        given.append(fn.__name__)
        return submit(self, fn, *args)

    monkeypatch.setattr(Helper, "submit", spied)

    def books(out: Path) -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.rglob("*.xlsx")}

    helped = run_inbox(inbox, tmp_path / "helped", as_of=AS_OF)
    assert given == ["summary_and_feedback"] and helped.exit_code == 0
    monkeypatch.setattr(RunOutputs, "books_job", lambda self: (os._exit, 3))  # the helper's process dies on it
    here = run_inbox(inbox, tmp_path / "here", as_of=AS_OF)
    assert given == ["summary_and_feedback", "_exit"] and here.exit_code == 0
    assert len(books(tmp_path / "here")) == 4  # the merged book, the summary, the feedback book, 导师分工明细表
    assert books(tmp_path / "here") == books(tmp_path / "helped")
    monkeypatch.setattr("workbook_engine.pipeline.HELPER_MAX_ROWS", 0)  # a term too big to copy to a helper
    alone = run_inbox(inbox, tmp_path / "alone", as_of=AS_OF)
    assert len(given) == 2 and alone.exit_code == 0  # no helper: every book written here
    assert books(tmp_path / "alone") == books(tmp_path / "helped")


def test_a_spawned_helper_ends_at_once_when_let_go_and_loses_no_output(tmp_path, capfd):
    """The helper (and a spawned reader) ends as soon as its pool lets it go, without the interpreter's teardown
    (freeing every object one by one: the run's process waited ~0.1 s for it): what its jobs returned and what they
    wrote to the console is all there; what they left behind is never freed."""
    from workbook_engine.execution import Helper

    helper = Helper(())
    assert helper.pool is not None
    assert helper.submit(crashers.say, "helper-said").result(timeout=120) == 11
    assert helper.submit(crashers.keep_until_exit, str(tmp_path / "freed")).result(timeout=120) is None
    (process,) = helper.pool._processes.values()
    helper.close()
    assert process.exitcode == 0
    assert "helper-said" in capfd.readouterr().out  # (left in its buffer by the job: flushed at the end)
    assert not (tmp_path / "freed").exists()


def test_readers_and_the_helper_run_without_the_cycle_collector(tmp_path, start_method):
    """A reader or the helper builds millions of objects that live until its job ends, as the run's process does:
    the collector is off in them as in the run (a forked child inherits it; a spawned one, on Windows and macOS,
    turned it off itself: its scans cost 3% of the spawned run)."""
    from workbook_engine.execution import Helper

    (tmp_path / "a.xlsx").write_bytes(b"x")
    assert dict(ProcessExecutor(workers=1).map_files(crashers.collecting, [tmp_path / "a.xlsx"])) == {0: False}
    helper = Helper(())
    try:
        assert helper.submit(crashers.collecting, tmp_path).result(timeout=120) is False
    finally:
        helper.close()


def test_a_book_is_claimed_by_one_process_only(tmp_path):
    """The run's process and a spawned helper share the feedback books out by claiming each one (files.claim) before
    writing it: whoever claims first writes it, in whatever process, and nobody else does."""
    import multiprocessing

    from workbook_engine.files import claim

    first, second = tmp_path / "七年级1班.xlsx", tmp_path / "反馈" / "七年级2班.xlsx"  # (its folder not made yet)
    assert claim(first) and not claim(first)
    with multiprocessing.get_context("spawn").Pool(1) as other:
        assert other.apply(claim, (first,)) is False
        assert other.apply(claim, (second,)) is True
    assert not claim(second)
    assert not first.exists() and not second.exists()  # a claim is not the book
