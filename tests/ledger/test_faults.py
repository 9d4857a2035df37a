"""The school ledger under fault: odd paths, damage, a full disk, another program's lock, a read-only file, a hot
journal, an interrupted publish. Each test runs the commands as the office does (`main`) and checks what the
office would notice: the exit code, the message (path, what is wrong, what to do), and that the previous outputs
and the ledger are exactly as they were."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.builders import LEDGER, T1_END, T2_END, graduating_class, term1_class, term2_inbox, write_inbox
from workbook_engine.cli import main
from workbook_engine.ledger import file as ledgerfile
from workbook_engine.ledger.schema import SCHEMA_VERSION
from workbook_engine.publishing import publish

PREVIOUS = "学校台账.previous.sqlite"
POSIX_NAMES = sys.platform != "win32"  # Windows refuses ? in names; # % space Chinese and a leading - it takes


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under folder (the engine's work folder aside) and its SHA-256: a term's outputs, the ledger,
    the previous copy, wherever the layout puts them."""
    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and not rel.startswith(".workbook-engine"):
            files[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def terms_in(ledger: Path) -> list[tuple[str, str]]:
    con = sqlite3.connect(ledger)
    try:
        return con.execute("SELECT school_year, term FROM terms ORDER BY school_year, term").fetchall()
    finally:
        con.close()


def with_ledger_path(inbox: Path, path: Path | str) -> None:
    toml = inbox / "school.toml"
    text = toml.read_text(encoding="utf-8") + f"\n[ledger]\npath = {json.dumps(str(path), ensure_ascii=False)}\n"
    toml.write_text(text, encoding="utf-8")


def run(inbox: Path, out: Path, *more: str) -> int:
    return main(["run", str(inbox), "--out", str(out), "--as-of", T1_END.isoformat(), *more])


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> SimpleNamespace:
    """OUT after two runs of term 1 (七年级9班 and 九年级1班): the ledger holds the term and the previous copy
    publishing keeps is there. Each test works on its own copy (`school`)."""
    base = tmp_path_factory.mktemp("published")
    inbox, out = base / "inbox", base / "out"
    write_inbox(inbox, [term1_class(), graduating_class()])
    assert run(inbox, out) == 0 and run(inbox, out) == 0
    return SimpleNamespace(inbox=inbox, out=out)


@pytest.fixture
def school(published, tmp_path) -> SimpleNamespace:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    shutil.copytree(published.inbox, inbox)
    shutil.copytree(published.out, out)
    return SimpleNamespace(inbox=inbox, out=out, ledger=out / LEDGER, before=snapshot(out))


# -- any OUT path --------------------------------------------------------------------------------------------------
ODD = "-反馈 #2 %41" + (" a?b" if POSIX_NAMES else "")


@pytest.mark.parametrize("where", ["in OUT", "outside OUT"])
def test_any_out_or_ledger_path_keeps_both_terms_and_writes_nothing_outside(tmp_path, monkeypatch, capsys,
                                                                          start_method, where):
    """OUT and the ledger's folder named with # ? % spaces Chinese and a leading -: term 1 then term 2 both exit
    0, the ledger holds both terms, history and new-term read it, and nothing appears outside OUT but the ledger
    the settings name (an unquoted SQLite URI cut such a path at # or ? and left an empty file beside OUT)."""
    root = tmp_path / "root"
    root.mkdir()
    out = root / ODD
    inbox1 = tmp_path / "in1"
    write_inbox(inbox1, [term1_class()])
    config: list[str] = []
    ledger = out / LEDGER
    if where == "outside OUT":
        ledger = root / f"{ODD} 台账" / "-学校 #台账?%41.sqlite".replace("?", "?" if POSIX_NAMES else "")
        with_ledger_path(inbox1, ledger)
        config = ["--config", str(tmp_path / "school.toml")]
        shutil.copy(inbox1 / "school.toml", tmp_path / "school.toml")
    assert run(inbox1, out) == 0
    inbox2 = term2_inbox(tmp_path, out, monkeypatch, change_mentor=False, config=config)
    if where == "outside OUT":
        with_ledger_path(inbox2, ledger)
    # (the generated term-2 records carry data errors of their own, exit 1; a ledger fault would be 2 or 3)
    assert main(["run", str(inbox2), "--out", str(out), "--as-of", T2_END.isoformat()]) in (0, 1)
    assert terms_in(ledger) == [("2026-2027", "第一学期"), ("2026-2027", "第二学期")]
    assert run(inbox1, out) == 0  # term 1 again: its set replaces the ledger and the previous copy term 2 left
    assert terms_in(ledger) == [("2026-2027", "第一学期"), ("2026-2027", "第二学期")]
    assert terms_in(ledger.with_name(ledger.stem + ".previous.sqlite")) == terms_in(ledger)
    assert {p.name for p in root.iterdir()} == {out.name, ledger.parent.name}  # nothing cut at # or ? beside OUT
    assert {p.name for p in ledger.parent.iterdir()} >= {ledger.name, ledger.stem + ".previous.sqlite"}
    if where == "outside OUT":
        assert {p.name for p in ledger.parent.iterdir()} == {ledger.name, ledger.stem + ".previous.sqlite"}
        assert not (out / LEDGER).exists()
    capsys.readouterr()
    assert main(["history", str(out), "--json", *config]) == 0
    assert [r["term"] for r in json.loads(capsys.readouterr().out)["terms"]] == ["第一学期", "第二学期"]
    assert {p.name for p in root.iterdir()} == {out.name, ledger.parent.name}


def test_sqlite_is_given_every_character_of_a_windows_path():
    """The URI a Windows school's ledger is opened by: a drive or a network share (SQLite refuses a server as a
    URI's authority), # ? % spaces and Chinese quoted, the - kept."""
    from pathlib import PureWindowsPath

    assert ledgerfile.file_uri(PureWindowsPath(r"D:\-反馈 #2\学校台账.sqlite")) == \
        "file:///D:/-%E5%8F%8D%E9%A6%88%20%232/%E5%AD%A6%E6%A0%A1%E5%8F%B0%E8%B4%A6.sqlite"
    assert ledgerfile.file_uri(PureWindowsPath(r"\\office\共享\a%b\x.sqlite")) == \
        "file:////office/%E5%85%B1%E4%BA%AB/a%25b/x.sqlite"


# -- a damaged ledger ----------------------------------------------------------------------------------------------
def malformed(ledger: Path) -> None:
    """Pages in the middle overwritten (a disk error, a copy cut short): the header still says SQLite."""
    size = ledger.stat().st_size
    with open(ledger, "r+b") as f:
        f.seek(4096 * 2)
        f.write(b"\xa5" * min(4096 * 3, size - 4096 * 2))


def version_2_without_tables(ledger: Path) -> None:
    ledger.unlink()
    con = sqlite3.connect(ledger)
    con.execute("PRAGMA user_version = 2")
    con.close()


def failed_migration(ledger: Path) -> None:
    """A version-1 ledger whose 学生 figures table already has the column version 2 adds: the upgrade fails."""
    from workbook_engine.ledger.schema import MIGRATIONS

    ledger.unlink()
    con = sqlite3.connect(ledger)
    con.executescript(MIGRATIONS[0])
    con.execute("ALTER TABLE student_figures ADD COLUMN archive_expected INTEGER")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()


def link_out(ledger: Path) -> None:
    outside = ledger.parent.parent / "elsewhere.sqlite"
    shutil.copy(ledger, outside)
    ledger.unlink()
    ledger.symlink_to(outside)


def link_to_dev_zero(ledger: Path) -> None:
    ledger.unlink()
    ledger.symlink_to("/dev/zero")


DAMAGE = {"malformed": (malformed, 2, "已损坏"), "version 2 without tables": (version_2_without_tables, 2, "缺少表"),
          "failed migration from version 1": (failed_migration, 2, f"从版本 1 升级到 {SCHEMA_VERSION} 失败"),
          "link out of OUT": (link_out, 3, "是一个链接"), "link to /dev/zero": (link_to_dev_zero, 3, "是一个链接")}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_ledger_is_explained_and_the_previous_set_kept(school, tmp_path, capsys, damage):
    """run, new-term and history on a damaged ledger: no traceback, exit 2 (3 for a link), the path, what is wrong
    and what to do; OUT as it was; and doing what the message says (the previous copy over the ledger) works."""
    if damage.startswith("link") and sys.platform == "win32":
        pytest.skip("symbolic links need a privilege on Windows")
    make, code, what = DAMAGE[damage]
    make(school.ledger)
    damaged = snapshot(school.out)
    for argv in (["run", str(school.inbox), "--out", str(school.out)],
                 ["new-term", str(school.out), "--to", str(tmp_path / "books")],
                 ["history", str(school.out)]):
        capsys.readouterr()
        assert main(argv) == code, argv
        err = capsys.readouterr().err
        assert str(school.ledger) in err and what in err, (argv, err)
        assert ("上一版" in err and PREVIOUS in err) if code == 2 else "请删除该链接" in err
        assert snapshot(school.out) == damaged, argv  # nothing published, nothing changed
    assert not list((tmp_path / "books").rglob("*.xlsx"))  # new-term wrote no book
    # what the message says to do: the previous copy over the ledger (a link: removed first)
    school.ledger.unlink()
    shutil.copy(school.out / PREVIOUS, school.ledger)
    assert main(["history", str(school.out)]) == 0
    assert run(school.inbox, school.out) == 0


def test_a_damaged_ledger_stops_run_new_term_and_history_in_english(school, tmp_path, capsys):
    malformed(school.ledger)
    assert main(["history", str(school.out), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert f"the ledger {school.ledger} is damaged" in err and PREVIOUS in err and "move" in err


# -- a full disk while the ledger is written -----------------------------------------------------------------------
@contextmanager
def small_filesystem(folder: Path, size: str = "2m"):
    """A tmpfs of `size` mounted at folder (Linux, root); skipped with the reason elsewhere."""
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("a size-limited tmpfs needs root on Linux (the in-OUT case covers a full ledger everywhere)")
    folder.mkdir(parents=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave: int) -> None:
    """Fill the filesystem of folder, leaving about `leave` bytes free."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    (folder / "filler").write_bytes(b"\0" * max(0, free - leave))


@pytest.mark.parametrize("where", ["in OUT", "outside OUT on a 2 MB filesystem"])
def test_a_full_disk_while_the_ledger_is_written_exits_3_and_keeps_everything(tmp_path, monkeypatch, capsys,
                                                                             start_method, where):
    """The ledger cannot grow (in OUT: SQLite's max_page_count stands in for the disk, which SQLite reports the
    same way; outside OUT: a real 2 MB filesystem, filled): exit 3 naming the ledger and the full disk, before
    publishing; the previous outputs and the ledger exactly as they were, no staged copy left."""
    inbox, out = tmp_path / "in", tmp_path / "out"
    write_inbox(inbox, [graduating_class()])  # 九年级1班 alone: a small term
    with ExitStack() as stack:
        if where == "in OUT":
            ledger = out / LEDGER
        else:
            ledger = stack.enter_context(small_filesystem(tmp_path / "small")) / LEDGER
            with_ledger_path(inbox, ledger)
        assert run(inbox, out) == 0
        settings = (inbox / "school.toml").read_text(encoding="utf-8")
        write_inbox(inbox, [term1_class(), graduating_class()])  # the same term again, three times the rows
        (inbox / "school.toml").write_text(settings, encoding="utf-8")
        if where == "in OUT":
            from workbook_engine.ledger import store as ledger_module

            real = ledger_module.connect

            def no_room(path, staged=False, lang="zh"):
                conn = real(path, staged, lang)
                if staged:  # the staged copy may not grow beyond the pages it has
                    pages = conn.execute("PRAGMA page_count").fetchone()[0]
                    conn.execute(f"PRAGMA max_page_count = {pages}")
                return conn

            monkeypatch.setattr(ledger_module, "connect", no_room)
        else:
            fill(ledger.parent, leave=ledger.stat().st_size + 4096)
        before, ledger_before = snapshot(out), hashlib.sha256(ledger.read_bytes()).hexdigest()
        beside = sorted(p.name for p in ledger.parent.iterdir())
        from workbook_engine.ledger import store as ledger_module

        failed: list[str] = []

        def spied(real):  # the term's write, in its two halves (the records, then the rest: store.remember)
            def write(*args, **kwargs):
                try:
                    return real(*args, **kwargs)
                except sqlite3.Error as exc:
                    failed.append(str(exc))
                    raise
            return write

        for half in ("begin_term", "finish_term"):
            monkeypatch.setattr(ledger_module, half, spied(getattr(ledger_module, half)))
        capsys.readouterr()
        assert run(inbox, out) == 3
        assert failed and set(failed) == {"database or disk is full"}  # inside the ledger's write
        err = capsys.readouterr().err
        assert str(ledger) in err and "磁盘空间不足" in err and "没有发布" in err, err
        assert "cannot rollback" not in err
        assert snapshot(out) == before
        assert hashlib.sha256(ledger.read_bytes()).hexdigest() == ledger_before
        assert sorted(p.name for p in ledger.parent.iterdir()) == beside  # no staged copy left beside it


# -- the ledger held by another program, read-only, or left with a hot journal -------------------------------------
HOLDER = textwrap.dedent("""
    import sqlite3, sys, time
    con = sqlite3.connect(sys.argv[1], isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    con.execute("DELETE FROM records")
    print("holding", flush=True)
    time.sleep(120)
""")


@pytest.mark.parametrize("where", ["in OUT", "outside OUT"])
def test_another_program_writing_the_ledger_stops_the_run_before_publishing(school, tmp_path, monkeypatch, capsys,
                                                                            start_method, where):
    """Another program holds the ledger's write lock (uncommitted changes): the run waits the bounded time,
    then exits 3 before publishing; it never replaces that ledger."""
    ledger = school.ledger
    if where == "outside OUT":
        ledger = tmp_path / "台账" / LEDGER
        ledger.parent.mkdir()
        shutil.copy(school.ledger, ledger)
        with_ledger_path(school.inbox, ledger)
    monkeypatch.setattr(ledgerfile, "WAIT_S", 0.5)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(ledger)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        ledger_before = hashlib.sha256(ledger.read_bytes()).hexdigest()
        before = snapshot(school.out)
        assert run(school.inbox, school.out) == 3
        err = capsys.readouterr().err
        assert "另一个程序正在写入学校台账" in err and str(ledger) in err and "没有发布" in err, err
        assert snapshot(school.out) == before
        assert hashlib.sha256(ledger.read_bytes()).hexdigest() == ledger_before
    finally:
        holder.kill()
        holder.wait()
    assert run(school.inbox, school.out) == 0  # the other program gone: the run goes through


@contextmanager
def read_only_file(path: Path):
    """The ledger file made read-only: by its mode, or for root (whom modes do not stop) by a read-only
    filesystem holding it."""
    if os.name == "nt" or os.geteuid() != 0:
        path.chmod(0o444)
        try:
            yield path
        finally:
            path.chmod(0o644)
        return
    with small_filesystem(path.parent.parent / "ro", "4m") as folder:
        shutil.copy(path, folder / path.name)
        done = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True)
        if done.returncode:
            pytest.skip("cannot remount read-only here")
        yield folder / path.name


def test_a_read_only_ledger_outside_out_is_said_before_publishing(school, tmp_path, capsys, start_method):
    with read_only_file(_outside_copy(school, tmp_path)) as ledger:
        with_ledger_path(school.inbox, ledger)
        ledger_before = hashlib.sha256(ledger.read_bytes()).hexdigest()
        assert run(school.inbox, school.out) == 3
        err = capsys.readouterr().err
        assert "只读" in err and str(ledger) in err and "没有发布" in err, err
        assert snapshot(school.out) == school.before
        assert hashlib.sha256(ledger.read_bytes()).hexdigest() == ledger_before


def _outside_copy(school: SimpleNamespace, tmp_path: Path) -> Path:
    ledger = tmp_path / "台账" / LEDGER
    ledger.parent.mkdir(exist_ok=True)
    shutil.copy(school.ledger, ledger)
    return ledger


KILLED_WRITER = textwrap.dedent("""
    import os, sqlite3, sys
    con = sqlite3.connect(sys.argv[1], isolation_level=None)
    con.execute("PRAGMA cache_size = 1")  # every change spills into the file at once
    con.execute("BEGIN IMMEDIATE")
    con.execute("DELETE FROM records")
    con.execute("DELETE FROM terms")
    os._exit(9)  # killed: the journal stays, hot
""")


@pytest.mark.parametrize("command", ["history", "new-term", "run"])
def test_a_hot_journal_left_by_a_killed_writer_is_rolled_back(school, tmp_path, capsys, start_method, command):
    """A program killed while writing the ledger left its -journal: the next command rolls it back under OUT's
    lock (SQLite's own recovery) and goes on: the term and its records are all there."""
    con = sqlite3.connect(school.ledger)
    records = con.execute("SELECT count(*) FROM records").fetchone()[0]
    con.close()
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(school.ledger)], check=False)
    journal = school.ledger.with_name(LEDGER + "-journal")
    assert journal.exists() and journal.stat().st_size > 0
    argv = {"history": ["history", str(school.out), "--json"],
            "new-term": ["new-term", str(school.out), "--to", str(tmp_path / "books")],
            "run": ["run", str(school.inbox), "--out", str(school.out), "--as-of", T1_END.isoformat()]}[command]
    capsys.readouterr()
    assert main(argv) == 0, capsys.readouterr().err
    if command == "history":
        assert [r["term"] for r in json.loads(capsys.readouterr().out)["terms"]] == ["第一学期"]
    con = sqlite3.connect(school.ledger)
    assert con.execute("PRAGMA quick_check").fetchone() == ("ok",)
    assert con.execute("SELECT count(*) FROM records").fetchone()[0] == records
    assert con.execute("SELECT count(*) FROM terms").fetchone()[0] == 1
    con.close()


# -- an interrupted publish, seen by history and send-feedback -----------------------------------------------------
class Killed(BaseException):
    """As if the process died here."""


def interrupt_publish(school: SimpleNamespace, monkeypatch) -> None:
    """A run of the same term killed after setting the previous set aside (the ledger among it), before its
    commit point: what it leaves is the set in the work folder and the journal saying so."""
    from workbook_engine.pipeline import run_inbox

    real_move, aside = publish._move, school.out / publish.WORK_DIR / "previous"

    def dying(src, dst):
        if "previous" in Path(dst).parts and (aside / LEDGER).exists():
            raise Killed
        real_move(src, dst)

    with monkeypatch.context() as m:
        m.setattr(publish, "_move", dying)
        m.setattr("workbook_engine.pipeline.recover", lambda out: None)  # a dead process runs no `finally`
        with pytest.raises(Killed):
            run_inbox(school.inbox, school.out, as_of=T1_END)
    assert (school.out / publish.WORK_DIR / publish.JOURNAL).is_file() and not school.ledger.exists()


def test_history_explains_and_new_term_and_send_feedback_finish_an_interrupted_publish(school, tmp_path, monkeypatch,
                                                                                       capsys):
    """A run killed after setting the previous set aside: history reads the ledger as last published and says so
    (OUT untouched); new-term and send-feedback finish the publish first, as run does (never "no ledger")."""
    interrupt_publish(school, monkeypatch)
    interrupted = snapshot(school.out)
    assert main(["history", str(school.out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["interrupted_run"] is True and [r["term"] for r in data["terms"]] == ["第一学期"]
    assert snapshot(school.out) == interrupted
    assert main(["new-term", str(school.out), "--to", str(tmp_path / "books")]) == 0
    assert snapshot(school.out) == school.before  # the previous set put back
    interrupt_publish(school, monkeypatch)
    assert main(["send-feedback", str(school.out), "--dry-run", str(tmp_path / "eml")]) == 0
    assert len(list((tmp_path / "eml").glob("*.eml"))) == 2  # one per class: 七年级9班 and 九年级1班
    assert snapshot(school.out) == school.before


def test_an_interrupted_publish_that_cannot_be_finished_is_explained(school, tmp_path, monkeypatch, capsys):
    """OUT cannot be locked (a read-only disk): new-term and send-feedback say a publish was interrupted there and
    that one `run` with write access finishes it (exit 3), instead of "no ledger"; history reads what was last
    published and says the same."""
    interrupt_publish(school, monkeypatch)

    @contextmanager
    def refused(out, *args, **kwargs):
        raise publish.OutputError(publish.t("publish.read_only", "zh", path=out), out)
        yield

    monkeypatch.setattr(publish, "locked", refused)
    for argv in (["send-feedback", str(school.out), "--dry-run", str(tmp_path / "e")],
                 ["new-term", str(school.out), "--to", str(tmp_path / "books")]):
        assert main(argv) == 3, argv
        err = capsys.readouterr().err
        assert "被中断的发布" in err and str(school.out) in err and "run" in err, err
    assert main(["history", str(school.out)]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("上一次 run 在发布时被中断")
